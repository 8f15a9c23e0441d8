"""The ``embed`` stage: tokenize the corpus, train word (and document) vectors, write them.

Its parameters are the three methods' constructor arguments (:mod:`textmine.embed.methods`); one
that the methods default differently (``epochs``, ``dim``, ``workers``) defaults to None, the
chosen method's own value.
"""

from __future__ import annotations

from textmine.embed.methods import METHODS, make_model
from textmine.embed.vectors import save_vectors
from textmine.stage import StageContext, StageResult, stage


@stage("embed", uses=("userdict",), makes=("vectors", "doc_vectors"), paths=("userdict",),
       estimator=tuple(METHODS.values()))
def run_embed(ctx: StageContext, *, method: str = "jose", tokenizer: str = "jieba", userdict: str | None = None,
              binary: bool = False, **params) -> StageResult:
    """Write words.vec (and docs.vec for JoSE, keyed by the document's line number in the corpus).

    ``tokenizer`` is "jieba" (with ``userdict``, or else an earlier words stage's lexicon, added
    to its dictionary), "chars" or "whitespace" (pre-segmented text).
    """
    from textmine.corpus import make_tokenizer, tokenize

    model = make_model(method, **params, seed=ctx.seed, progress=ctx.progress)
    if tokenizer == "jieba" and userdict is None and "userdict" in ctx.artifacts:
        userdict = str(ctx.artifacts["userdict"])
    model.fit(tokenize(ctx.open_corpus(), make_tokenizer(tokenizer, userdict=userdict if tokenizer == "jieba" else None)))
    suffix = ".bin" if binary else ".vec"
    outputs = {"vectors": f"words{suffix}"}
    save_vectors(model.wv, ctx.path("vectors", outputs["vectors"]))
    if method == "jose":
        outputs["doc_vectors"] = f"docs{suffix}"
        save_vectors(model.dv, ctx.path("doc_vectors", outputs["doc_vectors"]))
    return StageResult(outputs=outputs,
                       counts={"vocabulary": len(model.wv), "documents": len(getattr(model, "doc_vectors_", []))},
                       metrics={"words_per_second": round(model.words_per_second_),
                                "train_seconds": round(model.train_seconds_, 2)},
                       summary=_neighbour_lines(model.wv))


def _neighbour_lines(kv, words: int = 5, neighbours: int = 6) -> str:
    lines = []
    for word in [w for w in kv.index_to_key[:200] if _is_word(w)][:words]:
        near = [w for w, _ in kv.most_similar(word, topn=30) if _is_word(w)][:neighbours]
        lines.append(f"{word}: " + " ".join(near))
    return "\n".join(lines)


def _is_word(token: str) -> bool:
    """Punctuation fills the top of a Chinese vocabulary; the summary shows words only."""
    return any(ch.isalnum() for ch in token)
