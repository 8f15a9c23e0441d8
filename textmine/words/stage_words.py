"""The ``words`` pipeline stage: discovered words and a jieba user dictionary."""

from __future__ import annotations

from textmine.pipeline import StageContext, StageResult
from textmine.words.finder import WordFinder


def run_words(ctx: StageContext, *, preset: str = "default", max_n: int | None = None,
              min_count: int | None = None, min_pmi: list[float] | None = None,
              min_entropy: float | None = None, show: int = 15) -> StageResult:
    """Write words.tsv (best first) and userdict.txt (for jieba) into the stage folder."""
    finder = WordFinder(preset, max_n=max_n, min_count=min_count,
                        min_pmi=tuple(min_pmi) if min_pmi else None, min_entropy=min_entropy,
                        progress=ctx.progress).fit(ctx.open_corpus())
    finder.to_tsv(ctx.out_dir / "words.tsv")
    finder.to_userdict(ctx.out_dir / "userdict.txt")
    top = ", ".join(r.word for r in finder.words_[:show])
    return StageResult(outputs={"lexicon": "words.tsv", "userdict": "userdict.txt"},
                       counts={"words": len(finder.words_), "characters": finder.counts_.n_chars},
                       summary=f"{len(finder.words_)} words; best: {top}")
