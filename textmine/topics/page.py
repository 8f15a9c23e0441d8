"""topics.html: one self-contained page (no network) to browse topics.

A list of topics with sizes and labels, a 2-D map of the topic centres (PCA), a click on either
shows the topic's terms and documents, and a search box filters documents. ``#topic-N`` in the
address opens topic N. The page carries its own font: a subset of the Noto Sans CJK font that
textmine's cluster extra installs, holding only the characters the page uses, so the Chinese shows
on a machine with no CJK font (where a browser would draw boxes).
"""

from __future__ import annotations

import json
import os

import numpy as np

from textmine.atomic import atomic_open
from textmine.cluster.report import font_face

__all__ = ["write_page"]

SHOWN_DOCS = 30      # documents per topic carried by the page, best first
CHARS = 160          # characters shown of each document


def _map(centers: np.ndarray) -> list[list[float]]:
    """Topic centres projected on their first two principal axes, scaled into [0.05, 0.95]."""
    centred = centers - centers.mean(axis=0)
    if len(centers) < 3:
        xy = np.column_stack([np.linspace(0, 1, len(centers)), np.full(len(centers), 0.5)])
    else:
        xy = centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T
    span = np.ptp(xy, axis=0)
    xy = (xy - xy.min(axis=0)) / np.where(span > 0, span, 1)
    return np.round(0.05 + 0.9 * xy, 4).tolist()


_SCRIPT = """
const data = JSON.parse(document.getElementById('data').textContent);
const list = document.getElementById('topics'), map = document.getElementById('map');
const detail = document.getElementById('detail'), search = document.getElementById('search');
const biggest = Math.max(...data.topics.map(t => t.size));
function el(tag, attrs, text) { const e = document.createElement(tag); Object.assign(e, attrs || {});
  if (text !== undefined) e.textContent = text; return e; }
function show(t) {
  detail.replaceChildren(el('h2', {}, `topic ${t.topic}: ${t.label}`), el('p', {}, `${t.size} documents`),
    el('p', {className: 'terms'}, t.terms.map(x => x[0]).join(' ')));
  const docs = el('ol', {id: 'docs'});
  t.docs.forEach(d => docs.append(el('li', {className: 'doc', value: d[0] + 1}, d[1])));
  detail.append(docs);
  document.querySelectorAll('.topic').forEach(e => e.classList.toggle('on', +e.dataset.topic === t.topic));
}
data.topics.forEach((t, i) => {
  const item = el('li', {className: 'topic'}, `${t.label} (${t.size})`);
  item.dataset.topic = t.topic; item.onclick = () => show(t); list.append(item);
  const dot = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
  dot.setAttribute('cx', 600 * data.map[i][0]); dot.setAttribute('cy', 300 * data.map[i][1]);
  dot.setAttribute('r', 4 + 16 * Math.sqrt(t.size / biggest)); dot.onclick = () => show(t);
  const tip = document.createElementNS('http://www.w3.org/2000/svg', 'title'); tip.textContent = t.label;
  dot.append(tip); map.append(dot);
});
search.oninput = () => {
  const q = search.value.trim(); if (!q) return;
  const hits = el('ol', {id: 'docs'});
  data.topics.forEach(t => t.docs.filter(d => d[1].includes(q)).forEach(d =>
    hits.append(el('li', {className: 'doc', value: d[0] + 1}, `[${t.label}] ${d[1]}`))));
  detail.replaceChildren(el('h2', {}, `search: ${q}`), hits);
};
const wanted = /^#topic-(\\d+)$/.exec(location.hash);
const first = wanted ? data.topics.find(t => t.topic === +wanted[1]) : null;
if (first) show(first);
document.body.dataset.rendered = list.children.length;
"""


def write_page(model, path: str | os.PathLike, documents: list[str]) -> None:
    """Write topics.html for a fitted :class:`~textmine.topics.Topics` and its documents."""
    topics = [{"topic": t["topic"], "size": t["size"], "label": t["label"], "terms": t["terms"],
               "docs": [[d, " ".join(documents[d].split())[:CHARS]] for d in t["docs"][:SHOWN_DOCS]]}
              for t in model.topics_]
    payload = json.dumps({"topics": topics, "map": _map(model.centers_)}, ensure_ascii=False).replace("</", "<\\/")
    title = f"textmine topics: {len(documents)} documents, {model.n_topics_} topics"
    page = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>
<style>{font_face(payload + title + "0123456789")}
body{{font-family:textmine-cjk,sans-serif;margin:1.5em;display:grid;grid-template-columns:18em 1fr;gap:1em}}
h1{{grid-column:1/3;font-size:1.3em}} #topics{{list-style:none;padding:0;margin:0}}
.topic{{cursor:pointer;padding:3px 6px}} .topic.on,.topic:hover{{background:#e4ecf7}}
circle{{fill:#4878b0;fill-opacity:.6;cursor:pointer}} .terms{{color:#555}} .doc{{margin:.3em 0}}</style></head>
<body><h1>{title}</h1>
<div><input id="search" placeholder="search documents"><ul id="topics"></ul></div>
<div><svg id="map" viewBox="0 0 600 300" width="600" height="300"></svg><div id="detail"></div></div>
<script type="application/json" id="data">{payload}</script>
<script>{_SCRIPT}</script></body></html>
"""
    with atomic_open(path) as handle:
        handle.write(page)
