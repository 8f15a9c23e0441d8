"""Topic outputs people read: one row per document, one row per topic, the topic tree as JSON, and
topics.html (:mod:`textmine.topics.page`).

Documents are numbered from 0 in input order. Everything is written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from textmine.atomic import atomic_open, write_json
from textmine.topics.page import write_page

__all__ = ["OUTPUTS", "summary", "write_outputs"]

OUTPUTS = {"doc_topics": "doc_topics.tsv", "topics": "topics.tsv", "topics_json": "topics.json",
           "topics_html": "topics.html"}


def _clean(text: str) -> str:
    return " ".join(text.split())


def write_doc_topics(model, path: str | os.PathLike) -> None:
    """doc, topic, score, keywords (space-joined), one row per document."""
    with atomic_open(path) as handle:
        handle.write("doc\ttopic\tscore\tkeywords\n")
        for doc, (topic, score, words) in enumerate(zip(model.labels_.tolist(), model.scores_.tolist(),
                                                        model.keywords_)):
            handle.write(f"{doc}\t{topic}\t{score:.4f}\t{' '.join(words)}\n")


def write_topics_tsv(model, path: str | os.PathLike) -> None:
    """topic, size, label, terms (term:G2, space-joined), representative documents (numbers)."""
    with atomic_open(path) as handle:
        handle.write("topic\tsize\tlabel\tterms\trepresentatives\n")
        for t in model.topics_:
            terms = " ".join(f"{term}:{g2:g}" for term, g2, _ in t["terms"])
            handle.write(f"{t['topic']}\t{t['size']}\t{t['label']}\t{terms}\t"
                         f"{' '.join(map(str, t['representatives']))}\n")


def topic_tree(centers: np.ndarray) -> dict:
    """Topics merged pairwise by average cosine distance of their centres: a nested dict whose
    leaves are topic numbers."""
    nodes: list[dict] = [{"topic": t} for t in range(len(centers))]
    if len(centers) > 1:
        from scipy.cluster.hierarchy import linkage

        for a, b, distance, _ in linkage(centers.astype(np.float64), "average", metric="cosine"):
            nodes.append({"distance": round(float(distance), 4), "children": [nodes[int(a)], nodes[int(b)]]})
    return nodes[-1]


def write_topics_json(model, path: str | os.PathLike, documents: list[str], chars: int = 120) -> None:
    """The topics (label, terms, representative documents' text) and their tree."""
    topics = [{**{k: v for k, v in t.items() if k != "docs"},
               "examples": [_clean(documents[d])[:chars] for d in t["representatives"]]} for t in model.topics_]
    write_json(path, {"n_topics": model.n_topics_, "k_scores": {str(k): v for k, v in model.k_scores_.items()},
                      "topics": topics, "tree": topic_tree(model.centers_)})


def write_outputs(model, out_dir: str | os.PathLike, documents: list[str]) -> dict[str, str]:
    """Write every output into ``out_dir``; return artifact name -> file name."""
    out_dir = Path(out_dir)
    write_doc_topics(model, out_dir / OUTPUTS["doc_topics"])
    write_topics_tsv(model, out_dir / OUTPUTS["topics"])
    write_topics_json(model, out_dir / OUTPUTS["topics_json"], documents)
    write_page(model, out_dir / OUTPUTS["topics_html"], documents)
    return dict(OUTPUTS)


def summary(model, shown: int = 8) -> str:
    """A few lines for people: how many topics, then the largest with their labels."""
    chosen = "given" if model.k is not None else "chosen by agreement between seeds"
    lines = [f"{len(model.labels_)} documents, {model.n_topics_} topics ({chosen})"]
    for t in sorted(model.topics_, key=lambda t: -t["size"])[:shown]:
        lines.append(f"  topic {t['topic']} ({t['size']}): {t['label']}")
    return "\n".join(lines)
