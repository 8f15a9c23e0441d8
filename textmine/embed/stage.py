"""Pipeline stage ``embed``: tokenize the corpus, train word (and document) vectors, write them."""

from __future__ import annotations

import logging
from pathlib import Path

from textmine.errors import InputError
from textmine.pipeline import StageContext, StageResult

__all__ = ["run_embed", "train_vectors", "METHODS"]

log = logging.getLogger(__name__)

METHODS = ("jose", "minent", "word2vec")


def train_vectors(corpus, out_dir: str | Path, *, method: str = "jose", dim: int = 100, window: int = 5,
                  min_count: int = 5, epochs: int | None = None, tokenizer: str = "jieba",
                  userdict: str | None = None, workers: int | None = None, seed: int = 0,
                  progress: bool = True, binary: bool = False) -> StageResult:
    """Train ``method`` on ``corpus`` (a Corpus or list of str) and write out_dir/words.vec (+ docs.vec).

    ``tokenizer`` is "jieba" (``userdict`` adds a discovered lexicon), "chars" or "whitespace"
    (pre-segmented text). ``epochs`` None means each method's default (JoSE 10, others 5).
    Document vectors (JoSE only) are keyed by the document's line number in the corpus stream.
    """
    from textmine.corpus import make_tokenizer, tokenize
    from textmine.embed import JoSE, MinEntropy, Word2Vec, save_vectors

    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    tokens = tokenize(corpus, make_tokenizer(tokenizer, userdict=userdict))
    common = dict(dim=dim, window=window, min_count=min_count, seed=seed, progress=progress)
    if epochs is not None:
        common["epochs"] = epochs
    if method == "jose":
        model = JoSE(workers=workers, **common)
    elif method == "minent":
        model = MinEntropy(workers=workers, **common)
    else:
        model = Word2Vec(workers=workers or 2, **common)
    model.fit(tokens)
    out_dir = Path(out_dir)
    suffix = ".bin" if binary else ".vec"
    outputs = {"vectors": f"words{suffix}"}
    kv = model.wv
    save_vectors(kv, out_dir / outputs["vectors"])
    if method == "jose":
        outputs["doc_vectors"] = f"docs{suffix}"
        save_vectors(model.dv, out_dir / outputs["doc_vectors"])
    lines = []
    for word in [w for w in kv.index_to_key[:200] if _is_word(w)][:5]:
        neighbours = [w for w, _ in kv.most_similar(word, topn=30) if _is_word(w)][:6]
        lines.append(f"{word}: " + " ".join(neighbours))
    return StageResult(outputs=outputs,
                       counts={"vocabulary": len(kv), "documents": len(getattr(model, "doc_vectors_", []))},
                       metrics={"words_per_second": round(model.words_per_second_),
                                "train_seconds": round(model.train_seconds_, 2)},
                       summary="\n".join(lines))


def _is_word(token: str) -> bool:
    """Punctuation fills the top of a Chinese vocabulary; the summary shows words only."""
    return any(ch.isalnum() for ch in token)


def run_embed(ctx: StageContext, *, method: str = "jose", dim: int = 100, window: int = 5, min_count: int = 5,
              epochs: int | None = None, tokenizer: str = "jieba", workers: int | None = None,
              binary: bool = False) -> StageResult:
    """Pipeline entry: a discovered lexicon from an earlier ``words`` stage is used by jieba."""
    userdict = ctx.artifacts.get("userdict") if tokenizer == "jieba" else None
    return train_vectors(ctx.open_corpus(), ctx.out_dir, method=method, dim=dim, window=window,
                         min_count=min_count, epochs=epochs, tokenizer=tokenizer,
                         userdict=str(userdict) if userdict else None, workers=workers, seed=ctx.seed,
                         progress=ctx.progress, binary=binary)
