"""The ``terms`` pipeline stage: domain terms of the corpus against a general reference."""

from __future__ import annotations

from textmine.pipeline import StageContext, StageResult
from textmine.words.contrast import TermContraster, write_terms_tsv


def run_terms(ctx: StageContext, *, general: str = "jieba", min_log_ratio: float = 2.0,
              min_g2: float = 10.83, min_doc_freq: int = 2, preset: str = "default",
              show: int = 15) -> StageResult:
    """Write terms.tsv (every candidate with every score, kept terms first)."""
    contraster = TermContraster(general, finder={"preset": preset}, min_g2=min_g2, min_log_ratio=min_log_ratio,
                                min_doc_freq=min_doc_freq, seed=ctx.seed, progress=ctx.progress)
    contraster.fit(ctx.open_corpus())
    write_terms_tsv(contraster.terms_, ctx.out_dir / "terms.tsv")
    kept = contraster.kept_terms_
    return StageResult(outputs={"terms": "terms.tsv"},
                       counts={"candidates": len(contraster.terms_), "terms": len(kept)},
                       summary=f"{len(kept)} terms; best: " + ", ".join(t.term for t in kept[:show]))
