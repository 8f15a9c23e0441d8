"""The ``words`` and ``terms`` stages: discovered words, and the domain terms among them.

The words stage also saves its fitted finder (the ``finder`` artifact), so a terms stage after it
scores those words instead of counting the corpus a second time.
"""

from __future__ import annotations

import logging

from textmine.errors import InputError
from textmine.stage import StageContext, StageResult, stage
from textmine.words.contrast import TermContraster, write_terms_tsv
from textmine.words.finder import WordFinder

log = logging.getLogger(__name__)


@stage("words", makes=("lexicon", "userdict", "finder"), estimator=WordFinder)
def run_words(ctx: StageContext, *, top: int | None = None, show: int = 15, **params) -> StageResult:
    """Write words.tsv (best first), userdict.txt (for jieba) and finder/.

    Parameters
    ----------
    top : int or None
        Keep only the best ``top`` words in words.tsv (unset: every word).
    show : int
        How many of the best words the summary names.
    """
    if top is not None and top < 1:
        raise InputError(f"top must be at least 1 (or unset for every word), got {top}")
    finder = WordFinder(**params, progress=ctx.progress).fit(ctx.open_corpus())
    finder.to_tsv(ctx.path("lexicon", "words.tsv"), top=top)
    outputs = {"lexicon": "words.tsv"}
    if ctx.wants("userdict"):
        outputs["userdict"] = "userdict.txt"
        finder.to_userdict(ctx.path("userdict", outputs["userdict"]))
    if ctx.wants("finder"):
        outputs["finder"] = "finder"
        finder.save(ctx.path("finder", outputs["finder"]))
    written = len(finder.words_[:top])
    best = ", ".join(r.word for r in finder.words_[:show])
    return StageResult(outputs=outputs, counts={"words": written, "characters": finder.counts_.n_chars},
                       summary=f"{written} words; best: {best}")


@stage("terms", uses=("finder",), makes=("terms",), paths=("general", "seeds"), builtins={"general": ("jieba",)},
       estimator=TermContraster)
def run_terms(ctx: StageContext, *, seeds: str | None = None, show: int = 15, **params) -> StageResult:
    """Write terms.tsv (every candidate with every score, kept terms first).

    With a ``finder`` from an earlier words stage and no ``finder`` parameters of its own (or the
    same ones), the stage reuses that fit rather than counting the corpus again: its candidates are
    then that stage's words, found with its settings.

    Parameters
    ----------
    seeds : path or None
        A file of seed terms, one a line: expand them with word2vec instead of contrasting.
    show : int
        How many of the best terms the summary names.
    """
    fitted = WordFinder.load(ctx.artifacts["finder"]) if "finder" in ctx.artifacts else None
    inherited = fitted is not None and params.get("finder") is None
    if inherited:
        params["finder"] = {k: v for k, v in fitted.get_params().items() if k != "progress"}
    contraster = TermContraster(**params, seed=ctx.seed, progress=ctx.progress)
    if fitted is not None and not fitted.fitted_as(WordFinder(**contraster.finder_params())):
        if inherited:                     # its own settings under today's presets are not what it was fitted with
            log.warning("the finder in %s was fitted by an older textmine with other defaults: counting the corpus "
                        "again", ctx.artifacts["finder"])
        fitted = None                     # else the terms stage asked for other finder settings: count anew
    seed_terms = _read_seeds(seeds) if seeds else None
    contraster.fit(ctx.open_corpus(), seeds=seed_terms, finder=fitted)
    write_terms_tsv(contraster.terms_, ctx.path("terms", "terms.tsv"))
    kept = contraster.kept_terms_
    return StageResult(outputs={"terms": "terms.tsv"},
                       counts={"candidates": len(contraster.terms_), "terms": len(kept),
                               **{f"{kind}s": sum(t.kind == kind for t in kept) for kind in _LONGER}},
                       summary=_summary(contraster, show))


#: the kinds of kept terms the summary also names apart: a corpus's frequent short terms fill its
#: best list, and a user of a law corpus looks for its titles and multi-word terms there in vain
_LONGER = {"phrase": ("phrase", "phrases"), "long": ("long word", "long words"), "title": ("title", "titles")}


def _summary(contraster: TermContraster, show: int) -> str:
    kept = contraster.kept_terms_
    summary = f"{len(kept)} terms of {len(contraster.terms_)} candidates; best: " + ", ".join(t.term for t in kept[:show])
    if not kept:
        return summary + (f" (none kept: each needs G2 >= {contraster.min_g2}, log2 ratio >= "
                          f"{contraster.min_log_ratio} and at least {contraster.min_doc_freq} documents)")
    for kind, (one, many) in _LONGER.items():
        of_kind = [t.term for t in kept if t.kind == kind]
        if of_kind:
            summary += f"\n{len(of_kind)} {one if len(of_kind) == 1 else many}; best: " + ", ".join(of_kind[:show])
    return summary


def _read_seeds(path: str) -> list[str]:
    from textmine.corpus import open_corpus

    return [line.strip() for line in open_corpus(path) if line.strip()]
