"""The ``embed`` and ``embed_infer`` stages: train word (and document) vectors; fold new documents in.

``embed``'s parameters are the three methods' constructor arguments (:mod:`textmine.embed.methods`);
one that the methods default differently (``epochs``, ``dim``, ``workers``) defaults to None, the
chosen method's own value.
"""

from __future__ import annotations

import shutil

from textmine.embed.jose import JoSE
from textmine.embed.methods import METHODS, make_model
from textmine.embed.methods import load_model
from textmine.persist import model_folder, read_config
from textmine.corpus.vectors import save_vectors
from textmine.errors import InputError
from textmine.stage import StageContext, StageResult, stage

USERDICT = "userdict.txt"  # the jieba dictionary a model was trained with, copied into its folder


@stage("embed", uses=("userdict",), makes=("vectors", "doc_vectors", "embed_model"), paths=("userdict",),
       estimator=tuple(METHODS.values()))
def run_embed(ctx: StageContext, *, method: str = "jose", tokenizer: str = "jieba", userdict: str | None = None,
              binary: bool = False, **params) -> StageResult:
    """Write words.vec (and docs.vec for JoSE, keyed by the document's position among the corpus's
    non-empty documents) and the fitted model as model/ (:mod:`textmine.embed.persist`). The model
    folder records the tokenizer and keeps a copy of the dictionary, so ``embed_infer`` segments new
    text alike. With a user dictionary, the summary shows neighbours among its words.

    Parameters
    ----------
    method : {"jose", "minent", "word2vec"}
        JoSE spherical vectors, minimum-entropy "library" vectors, or gensim's word2vec.
    tokenizer : {"jieba", "chars", "whitespace"}
        jieba (with ``userdict``, or else an earlier words stage's lexicon, added to its
        dictionary), single characters, or whitespace for pre-segmented text.
    userdict : path or None
        A jieba user dictionary, e.g. from ``textmine words --userdict``.
    binary : bool
        Write binary word2vec files (.bin) instead of text (.vec).
    dim : int or None
        Vector size.
    window : int
        Context words on each side of a word.
    negative : int
        Noise words drawn for each word-context pair.
    epochs : int or None
        Passes over the corpus.
    margin : float
        JoSE's hinge margin: a context must beat a noise word's cosine by this much.
    lr : float or None
        Initial learning rate.
    min_count : int
        Words seen fewer times are left out.
    sample : float
        Subsampling threshold of frequent words, as word2vec's.
    """
    from textmine.corpus import make_tokenizer, tokenize

    model = make_model(method, **params, seed=ctx.seed, progress=ctx.progress)
    if tokenizer == "jieba" and userdict is None and "userdict" in ctx.artifacts:
        userdict = str(ctx.artifacts["userdict"])
    model.fit(tokenize(ctx.open_corpus(), make_tokenizer(tokenizer, userdict=userdict if tokenizer == "jieba" else None)))
    suffix = ".bin" if binary else ".vec"
    outputs = {"vectors": f"words{suffix}", "embed_model": "model"}
    save_vectors(model.wv, ctx.path("vectors", outputs["vectors"]))
    if method == "jose":
        outputs["doc_vectors"] = f"docs{suffix}"
        save_vectors(model.dv, ctx.path("doc_vectors", outputs["doc_vectors"]))
    folder = model.save(ctx.path("embed_model", outputs["embed_model"]),
                        meta={"tokenizer": tokenizer, "userdict": USERDICT if tokenizer == "jieba" and userdict else None})
    if tokenizer == "jieba" and userdict:
        shutil.copyfile(userdict, folder / USERDICT)
    discovered = _dictionary_words(userdict) if tokenizer == "jieba" and userdict else None
    return StageResult(outputs=outputs,
                       counts={"vocabulary": len(model.wv), "documents": len(getattr(model, "doc_vectors_", []))},
                       metrics={"words_per_second": round(model.words_per_second_),
                                "train_seconds": round(model.train_seconds_, 2)},
                       summary=_neighbour_lines(model.wv, discovered))


@stage("embed_infer", uses=("embed_model",), makes=("doc_vectors",), paths=("model", "userdict"))
def run_embed_infer(ctx: StageContext, *, model: str | None = None, tokenizer: str | None = None,
                    userdict: str | None = None, epochs: int = 20, lr: float | None = None,
                    workers: int | None = None, binary: bool = False) -> StageResult:
    """Fold the corpus's documents into a saved JoSE model (word vectors frozen); write docs.vec.
    Rows are keyed by the document's position among the non-empty documents, as the embed stage's
    docs.vec.

    Parameters
    ----------
    model : path or None
        A model folder or an embed output folder (JoSE); unset: an earlier stage's ``embed_model``.
    tokenizer : {"jieba", "chars", "whitespace"} or None
        Unset: the model's own, so the new text is segmented as the training text was.
    userdict : path or None
        A jieba user dictionary (unset: the model's own copy).
    epochs : int
        Fold-in passes over each document.
    lr : float or None
        Learning rate (unset: the model's).
    workers : int or None
        CPU threads (unset: every core).
    binary : bool
        Write a binary word2vec file (.bin) instead of text (.vec).
    """
    from textmine.corpus import make_tokenizer, tokenize
    from textmine.corpus.vectors import to_keyed_vectors

    where = model if model is not None else ctx.artifacts.get("embed_model")
    if where is None:
        raise InputError("embed_infer needs a model: give model=FOLDER (a saved JoSE model or an embed stage's folder)")
    meta = read_config(where).get("meta", {})
    fitted = load_model(where)
    if not isinstance(fitted, JoSE):
        raise InputError(f"{model_folder(where)} holds a {type(fitted).__name__} model; only JoSE models have "
                         "document vectors to infer (train with --method jose)")
    fitted.workers = workers
    tokenizer = tokenizer or meta.get("tokenizer") or "jieba"
    if userdict is None and tokenizer == "jieba" and meta.get("userdict"):
        userdict = str(model_folder(where) / meta["userdict"])
    docs = tokenize(ctx.open_corpus(), make_tokenizer(tokenizer, userdict=userdict if tokenizer == "jieba" else None))
    vectors = fitted.infer_vectors(docs, epochs=epochs, lr=lr, seed=ctx.seed)
    if not len(vectors):
        raise InputError("the corpus holds no document with a token; nothing to infer")
    name = "docs.bin" if binary else "docs.vec"
    save_vectors(to_keyed_vectors([str(i) for i in range(len(vectors))], vectors), ctx.path("doc_vectors", name))
    return StageResult(outputs={"doc_vectors": name}, counts={"documents": len(vectors)},
                       summary=f"{len(vectors)} document vectors from {model_folder(where)}")


def _dictionary_words(userdict: str) -> set[str]:
    """The words of a jieba user dictionary (a word, then optionally its count and tag, a line)."""
    with open(userdict, encoding="utf-8") as handle:
        return {line.split()[0] for line in handle if line.strip()}


def _neighbour_lines(kv, vocabulary: set[str] | None = None, words: int = 5, neighbours: int = 6) -> str:
    """The nearest neighbours of the most frequent words, all within ``vocabulary`` when given (a
    words stage's discoveries): the most frequent words of a corpus are its particles (之 与 也),
    neighbours of each other and of every name."""
    def shown(token: str) -> bool:
        return _is_word(token) and (vocabulary is None or token in vocabulary)

    lines = []
    for word in [w for w in kv.index_to_key if shown(w)][:words]:
        near = [w for w, _ in kv.most_similar(word, topn=300) if shown(w)][:neighbours]
        lines.append(f"{word}: " + " ".join(near))
    return "\n".join(lines)


def _is_word(token: str) -> bool:
    """Punctuation fills the top of a Chinese vocabulary; the summary shows words only."""
    return any(ch.isalnum() for ch in token)
