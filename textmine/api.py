"""One call per job, as ``jieba.lcut`` is one call: ``textmine.words(texts)``, ``textmine.terms(texts)``,
``textmine.embed(texts)``, ``textmine.cluster(vectors)``, ``textmine.link(texts, kb=...)`` and
``textmine.generate_qa(docs, model=...)``.

``texts`` is a list (or any re-iterable) of documents, or the path of a file or folder, read as the
CLI reads its inputs (:func:`textmine.corpus.open_corpus`). Keyword arguments are those of the
estimator behind each call, with the same defaults; the estimators themselves give more (fitted
state, saving, other outputs).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from textmine.errors import InputError

__all__ = ["cluster", "embed", "generate_qa", "link", "terms", "words"]


def words(texts, **params) -> list:
    """New words of ``texts``, best first: WordRecord(word, freq, pmi, left_entropy, right_entropy,
    score) each (parameters: :class:`textmine.words.WordFinder`)."""
    from textmine.words.finder import discover_words

    return discover_words(_documents(texts), **params)


def terms(texts, general="jieba", **params) -> list:
    """Domain terms of ``texts`` against ``general`` language, kept terms first: TermRecord each
    (parameters: :class:`textmine.words.TermContraster`)."""
    from textmine.words.contrast import TermContraster

    return TermContraster(general, **params).fit(_documents(texts)).kept_terms_


def embed(texts, method: str = "jose", tokenizer: str = "jieba", **params):
    """A fitted embedding model of ``texts``: ``.wv`` holds the word vectors (gensim KeyedVectors),
    ``.dv`` the document vectors for JoSE (parameters: :func:`textmine.embed.make_model`)."""
    from textmine.corpus import make_tokenizer, tokenize
    from textmine.embed.methods import make_model

    return make_model(method, **params).fit(tokenize(_documents(texts), make_tokenizer(tokenizer)))


def cluster(vectors, **params) -> list[list[str]]:
    """InfoMap modules of ``vectors``, largest first, members by decreasing flow. ``vectors``: gensim
    KeyedVectors (``model.wv``), a fitted embedding model, a (names, array) pair or a vector file
    (parameters: :class:`textmine.cluster.InfomapClusterer`)."""
    from textmine.cluster.clusterer import InfomapClusterer
    from textmine.cluster.vectors import load_items

    if isinstance(vectors, (str, os.PathLike)):
        vectors = load_items(vectors)
    elif hasattr(vectors, "wv"):
        vectors = vectors.wv
    return InfomapClusterer(**params).fit(vectors).modules()


def link(texts, kb=None, model=None, **params) -> list[list]:
    """The links of each text: Link(start, end, mention, kb_id, score) each. ``model`` is a
    ``textmine link train`` run folder; without one a linker is built from ``kb`` alone (a CCKS
    JSON-lines file or a KnowledgeBase), on its names' priors (parameters: :class:`textmine.linking.EntityLinker`)."""
    from textmine.linking import EntityLinker, KnowledgeBase

    if model is not None:
        linker = EntityLinker.load(model, **params)
    elif kb is not None:
        linker = EntityLinker(**params).fit(kb if isinstance(kb, KnowledgeBase) else KnowledgeBase.load(kb), [])
    else:
        raise InputError("link needs model= (a run folder of textmine link train) or kb= (a knowledge base)")
    return [linker.link(text) for text in _documents(texts)]


def generate_qa(docs, model=None, pairs: int = 3, method: str | None = None, **settings) -> list[dict]:
    """Question-answer pairs of each document in ``docs``: {doc, passage, answer, start, end,
    question, score}, ``pairs`` at most per document, as ``textmine qa generate`` writes them.
    ``method``: "clauses" (the default without ``model``: questions from the documents' own
    clauses, no model), "model" or "both" (the default with ``model``, a ``textmine qa train`` run
    folder); settings: the model's filters (:meth:`textmine.qa.QAGenerator.generate_many`)."""
    from textmine.qa.clauses import ClauseQuestions, check_method
    from textmine.qa.model import QAGenerator

    method = check_method(method, model)
    documents = _documents(docs)
    generator = None if method == "clauses" else QAGenerator.load(model)
    if method == "model":
        return list(generator.generate_many(documents, n_pairs=pairs, **settings))
    return list(ClauseQuestions().fit(documents).generate_many(documents, pairs, model=generator, **settings))


def _documents(texts) -> Iterable[str]:
    """A path (a str naming an existing file or folder, or a PathLike) opened as a corpus; a list
    of texts normalised as a corpus's documents are, blank ones left out."""
    from textmine.corpus import normalize_text, open_corpus

    if isinstance(texts, os.PathLike) or isinstance(texts, str) and Path(texts).exists():
        return open_corpus(texts)
    if isinstance(texts, (str, bytes)):
        raise InputError(f"expected a list of texts or the path of a file or folder; {str(texts)[:40]!r} is neither "
                         f"(for one text, pass [text])")
    return [normalize_text(text) for text in texts if text.strip()]
