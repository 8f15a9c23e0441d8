"""Cluster outputs people read: a TSV, the module hierarchy as JSON, a picture and a web page.

Everything is written atomically. The picture projects the items to 2-D with PCA, colours the
largest modules and labels their most central members; labels need a font with CJK glyphs, which
is looked up among the system's fonts (when there is none, items are labelled by number and a
warning says which font package to install). The web page embeds the glyphs it uses, a subset of
that font (:func:`font_face`), so its Chinese shows on a machine with none.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from textmine.atomic import atomic_dir_file, atomic_open, write_json

__all__ = ["OUTPUTS", "font_face", "summary", "write_clusters_tsv", "write_hierarchy", "write_outputs", "write_page",
           "write_picture"]

log = logging.getLogger(__name__)


def _flow_rank(labels: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """1 for the item with most flow in its module, 2 for the next, ..."""
    order = np.lexsort((-flow, labels))
    rank = np.empty(len(labels), dtype=np.int64)
    starts = np.searchsorted(labels[order], labels[order], side="left")
    rank[order] = np.arange(len(order)) - starts + 1
    return rank


def write_clusters_tsv(clusterer, path: str | os.PathLike) -> None:
    """item, module, flow_rank, flow, path (multi-level, ':'-joined), by module then rank."""
    labels, flow = clusterer.labels_, clusterer.flow_
    rank = _flow_rank(labels, flow)
    with atomic_open(path) as handle:
        handle.write("item\tmodule\tflow_rank\tflow\tpath\n")
        for i in np.lexsort((rank, labels)).tolist():
            handle.write(f"{clusterer.items_.names[i]}\t{labels[i]}\t{rank[i]}\t{flow[i]:.6g}\t"
                         f"{':'.join(map(str, clusterer.paths_[i]))}\n")


def write_hierarchy(clusterer, path: str | os.PathLike, members: int = 20) -> None:
    """The module tree as nested JSON: flow, size, sub-modules, and the top members of leaves."""
    root: dict = {"flow": 0.0, "size": 0, "children": {}}
    for i, module_path in enumerate(clusterer.paths_):
        node = root
        for level in module_path[:-1]:
            node["flow"] += clusterer.flow_[i]
            node["size"] += 1
            node = node["children"].setdefault(str(level), {"flow": 0.0, "size": 0, "children": {}, "members": []})
        node["flow"] += clusterer.flow_[i]
        node["size"] += 1
        node.setdefault("members", []).append((clusterer.flow_[i], clusterer.items_.names[i]))

    def finish(node):
        node["flow"] = round(node["flow"], 6)
        if node.get("members"):
            node["members"] = [name for _, name in sorted(node["members"], key=lambda m: -m[0])[:members]]
        for child in node["children"].values():
            finish(child)
        return node

    write_json(path, {"codelength": clusterer.codelength_, "one_level_codelength": clusterer.one_level_codelength_,
                      "graph": clusterer.graph_report_, "modules": finish(root)})


# a pip package carrying Noto Sans CJK (the cluster extra installs it), found without importing it
FONT_PACKAGE = "cvttf_NotoSansCJK_Regular"


def _packaged_fonts() -> list[str]:
    import importlib.util

    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(spec.submodule_search_locations[0])
    return sorted(str(p) for p in folder.iterdir() if p.suffix.lower() in (".otf", ".ttf", ".ttc"))


@lru_cache(maxsize=1)
def _cjk_font() -> str | None:
    """Path of a font with Chinese glyphs (the packaged one first, then the system's), or None."""
    from matplotlib import font_manager, ft2font

    for path in _packaged_fonts() + font_manager.findSystemFonts():
        try:
            if ft2font.FT2Font(path).get_char_index(ord("中")):
                return path
        except (OSError, RuntimeError):
            continue
    return None


def font_face(text: str, family: str = "textmine-cjk") -> str:
    """A CSS @font-face embedding the CJK font's glyphs for the characters of ``text``, or "" (with a
    warning naming the package) when no such font is installed."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = _cjk_font()
    if path is None:
        log.warning("no CJK font found: the page's Chinese shows only where the browser has one "
                    "(pip install %s)", FONT_PACKAGE.replace("_", "-"))
        return ""
    font = TTFont(path, fontNumber=0, lazy=False)
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"@font-face{{font-family:{family};src:url(data:font/otf;base64,{data}) format('opentype')}}"


def write_picture(clusterer, path: str | os.PathLike, top_modules: int = 10, labels_per_module: int = 4,
                  seed: int = 0) -> None:
    """A PCA scatter of the items, the largest modules in colour, their central members labelled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from sklearn.decomposition import PCA

    vectors, labels, flow = clusterer.items_.vectors, clusterer.labels_, clusterer.flow_
    points = PCA(n_components=2, random_state=seed).fit_transform(vectors) if vectors.shape[1] > 2 else vectors
    font_path = _cjk_font()
    font = font_manager.FontProperties(fname=font_path) if font_path else None
    if font is None:
        log.warning("no font with Chinese glyphs found; labels are item numbers (pip install "
                    "'textmine[cluster]' brings one, or apt-get install fonts-noto-cjk)")
    fig, ax = plt.subplots(figsize=(10, 8), dpi=110)
    ax.scatter(points[:, 0], points[:, 1], s=4, c="#cccccc", linewidths=0)
    colours = plt.get_cmap("tab10")
    rank = _flow_rank(labels, flow)
    for module in range(min(top_modules, int(labels.max()) + 1)):
        mine = labels == module
        ax.scatter(points[mine, 0], points[mine, 1], s=10, color=colours(module % 10), linewidths=0,
                   label=f"module {module} ({int(mine.sum())})")
        for i in np.flatnonzero(mine & (rank <= labels_per_module)):
            text = clusterer.items_.names[i] if font else str(i)
            ax.annotate(text, points[i], fontsize=8, fontproperties=font, color=colours(module % 10))
    ax.set_title(f"{len(labels)} items, {int(labels.max()) + 1} InfoMap modules (PCA projection)")
    ax.legend(loc="best", fontsize=7, markerscale=2)
    ax.set_xticks([])
    ax.set_yticks([])
    fig.tight_layout()
    with atomic_dir_file(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)


def write_page(clusterer, path: str | os.PathLike, picture: str | None = None, modules: int = 100,
               members: int = 30) -> None:
    """A self-contained HTML page: graph summary, then each module with its top members."""
    groups = clusterer.modules(top=modules)
    report = clusterer.graph_report_
    flow_by_module = np.bincount(clusterer.labels_, weights=clusterer.flow_)
    rows = "\n".join(
        f"<tr><td>{m}</td><td>{len(g)}</td><td>{flow_by_module[m]:.3f}</td>"
        f"<td>{html.escape(' '.join(g[:members]))}{' …' if len(g) > members else ''}</td></tr>"
        for m, g in enumerate(groups))
    image = f'<p><img src="{html.escape(picture)}" alt="clusters" style="max-width:100%"></p>' if picture else ""
    page = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>textmine clusters</title>
<style>{font_face(rows)}
body{{font-family:textmine-cjk,sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}}</style></head>
<body><h1>InfoMap clusters</h1>
<p>{report['items']} items, {report['links']} links, {report['isolated']} isolated,
{int(clusterer.labels_.max()) + 1} modules; codelength {clusterer.codelength_:.3f} bits
(one module: {clusterer.one_level_codelength_:.3f}).</p>
{image}
<table><tr><th>module</th><th>size</th><th>flow</th><th>members by flow</th></tr>
{rows}
</table></body></html>
"""
    with atomic_open(path) as handle:
        handle.write(page)


OUTPUTS = {"clusters": "clusters.tsv", "hierarchy": "hierarchy.json", "png": "clusters.png", "html": "clusters.html"}


def write_outputs(clusterer, out_dir: str | os.PathLike, seed: int = 0) -> dict[str, str]:
    """Write every output into ``out_dir``; return artifact name -> file name."""
    out_dir = Path(out_dir)
    write_clusters_tsv(clusterer, out_dir / OUTPUTS["clusters"])
    write_hierarchy(clusterer, out_dir / OUTPUTS["hierarchy"])
    write_picture(clusterer, out_dir / OUTPUTS["png"], seed=seed)
    write_page(clusterer, out_dir / OUTPUTS["html"], picture=OUTPUTS["png"])
    return dict(OUTPUTS)


def summary(clusterer, modules: int = 8, members: int = 10) -> str:
    """A few lines for people: the graph, then the largest modules' central members."""
    report = clusterer.graph_report_
    lines = [f"{report['items']} items, {report['links']} links, {report['isolated']} isolated, "
             f"{int(clusterer.labels_.max()) + 1} modules"]
    for m, group in enumerate(clusterer.modules(top=modules)):
        lines.append(f"  module {m} ({len(group)}): {' '.join(group[:members])}")
    return "\n".join(lines)
