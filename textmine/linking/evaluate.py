"""Micro P/R/F1 over (mention, offset, kb_id), with gold mentions and end to end, beside the prior.

A NIL link is no link: NIL triples count in neither the gold nor the predicted set. "Ambiguous"
restricts both sets to mention strings with two or more candidates in the linker's alias index.
Mention detection is scored on its own, over (mention, offset), end to end only.
"""

from __future__ import annotations

import time
from typing import Sequence

from textmine.linking.data import LinkedText
from textmine.linking.kb import NIL

__all__ = ["prf", "evaluate_linker", "format_report"]


def prf(gold: set, predicted: set) -> dict[str, float]:
    """Micro precision, recall and F1 of two sets of hashable items."""
    tp = len(gold & predicted)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "gold": len(gold), "predicted": len(predicted)}


def _triples(texts: Sequence[LinkedText], keep=None) -> set:
    return {(i, m.mention, m.offset, m.kb_id) for i, t in enumerate(texts) for m in t.mentions
            if m.kb_id != NIL and (keep is None or keep(m.mention))}


def evaluate_linker(linker, texts: Sequence[LinkedText], *, end_to_end: bool = True) -> dict:
    """Scores of ``linker`` (an :class:`~textmine.linking.EntityLinker`) on annotated ``texts``.

    Returns ``{setting: {method: {"all": prf, "ambiguous": prf}}}`` for the settings ``gold_mentions``
    and (if ``end_to_end``) ``end_to_end``, the methods ``model`` and ``prior``; plus ``mentions``
    (detection P/R/F1) and ``texts_per_second`` of the model in each setting.
    """
    index = linker.index_

    def ambiguous(name: str) -> bool:
        nid = index.name_id(name)
        return nid is not None and len(index.candidates(nid)) > 1

    gold_all, gold_amb = _triples(texts), _triples(texts, ambiguous)
    report: dict = {"n_texts": len(texts), "texts_per_second": {}}
    settings = {"gold_mentions": True, **({"end_to_end": False} if end_to_end else {})}
    for setting, given in settings.items():
        report[setting] = {}
        for method in ("model", "prior"):
            started = time.perf_counter()
            predicted = linker.link_texts(texts, gold_mentions=given, method=method)
            if method == "model":
                report["texts_per_second"][setting] = len(texts) / max(time.perf_counter() - started, 1e-9)
            report[setting][method] = {"all": prf(gold_all, _triples(predicted)),
                                       "ambiguous": prf(gold_amb, _triples(predicted, ambiguous))}
            if setting == "end_to_end" and method == "model":
                spans = {(i, m.mention, m.offset) for i, t in enumerate(predicted) for m in t.mentions}
                gold_spans = {(i, m.mention, m.offset) for i, t in enumerate(texts) for m in t.mentions}
                report["mentions"] = prf(gold_spans, spans)
    return report


def format_report(report: dict) -> str:
    """The evaluation as a plain-text table (what ``textmine link evaluate`` prints)."""
    lines = [f"{'setting':14s} {'method':6s} {'names':10s} {'P':>6s} {'R':>6s} {'F1':>6s} {'gold':>6s}"]
    for setting in ("gold_mentions", "end_to_end"):
        for method, parts in report.get(setting, {}).items():
            for names, s in parts.items():
                lines.append(f"{setting:14s} {method:6s} {names:10s} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} "
                             f"{s['gold']:6d}")
    if "mentions" in report:
        s = report["mentions"]
        lines.append(f"{'mentions':14s} {'detect':6s} {'all':10s} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} "
                     f"{s['gold']:6d}")
    speeds = ", ".join(f"{k} {v:.0f}" for k, v in report["texts_per_second"].items())
    lines.append(f"{report['n_texts']} texts; linking speed (texts/s): {speeds}")
    return "\n".join(lines)
