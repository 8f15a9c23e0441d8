"""``Topics``: a corpus of documents into labelled topics, with or without a number of topics.

Documents become LSA vectors (:mod:`textmine.topics.represent`) and are grouped by spherical
k-means, the best of ``restarts`` seeded runs. Without ``k`` the number of topics is the one whose
partition two independent sets of runs agree on most (adjusted mutual information between them),
tried on a geometric grid between ``min_topics`` and ``max_topics``: a k that cuts through real
groups is cut differently by each seed, a k that follows them is found again. Each topic is then
described by term contrast (:mod:`textmine.topics.labels`).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import numpy as np

from textmine.errors import InputError, NotFittedError
from textmine.persist import Saved
from textmine.topics.labels import describe_topics, document_keywords
from textmine.topics.represent import count_matrix, tfidf, unit_rows

__all__ = ["Topics"]

log = logging.getLogger(__name__)

USERDICT = "userdict.txt"   # the jieba dictionary a model was fitted with, copied into its folder


class Topics(Saved):
    """Fit on a re-iterable corpus of documents; ``labels_`` (one topic per document, every
    document assigned), ``scores_`` (cosine to its topic's centre), ``topics_`` (size, label,
    terms, representative documents) and ``keywords_`` (each document's own distinctive words).
    Holds the corpus's token lists and a documents x ``dim`` matrix in memory.

    Parameters
    ----------
    k : int or None
        Exactly this many topics; unset: chosen from the data in [min_topics, max_topics].
    min_topics : int
        Fewest topics tried when ``k`` is unset.
    max_topics : int
        Most topics tried when ``k`` is unset (capped at a tenth of the documents).
    dim : int
        Dimensions of the LSA space.
    min_df : int
        Keep words in at least this many documents.
    max_df : float
        Drop words in more than this share of the documents (too common to tell topics apart).
    restarts : int
        Seeded k-means runs per number of topics; the tightest is kept.
    tokenizer : {"jieba", "chars", "whitespace"}
        How documents are cut into words.
    userdict : path or None
        A jieba user dictionary, e.g. a words stage's lexicon.
    top_terms : int
        Distinctive terms kept per topic (the first three make its label).
    """

    def __init__(self, k: int | None = None, *, min_topics: int = 10, max_topics: int = 64, dim: int = 100,
                 min_df: int = 2, max_df: float = 0.5, restarts: int = 3, tokenizer: str = "jieba",
                 userdict: str | None = None, top_terms: int = 10, seed: int = 0, progress: bool = False):
        self.k = k
        self.min_topics = min_topics
        self.max_topics = max_topics
        self.dim = dim
        self.min_df = min_df
        self.max_df = max_df
        self.restarts = restarts
        self.tokenizer = tokenizer
        self.userdict = userdict
        self.top_terms = top_terms
        self.seed = seed
        self.progress = progress

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, corpus) -> "Topics":
        if isinstance(corpus, str):
            raise InputError("Topics.fit takes an iterable of documents, not one string")
        tokens = self._tokenize(corpus)
        n = len(tokens)
        if n < 2:
            raise InputError(f"topics need at least 2 documents; the corpus has {n}")
        if self.k is not None and not 1 <= self.k <= n:
            raise InputError(f"k={self.k}: the number of topics must be between 1 and the {n} documents")
        if not 1 <= self.min_topics <= self.max_topics:
            raise InputError(f"min_topics={self.min_topics}, max_topics={self.max_topics}: need 1 <= min <= max")
        self._fit_space(tokens)
        z = self._project(tokens)
        self.k_scores_ = {}
        if self.k is not None:
            labels, centers = self._kmeans(z, self.k, self.seed)
        else:
            labels, centers = self._choose_k(z)
        self.centers_ = centers
        self.fallback_ = int(np.bincount(labels, minlength=len(centers)).argmax())
        self.labels_, self.scores_ = self._assign(z)
        self.topics_ = describe_topics(tokens, self.labels_, self.scores_, self.top_terms)
        self.keywords_ = document_keywords(tokens)
        return self

    def fit_transform(self, corpus) -> np.ndarray:
        return self.fit(corpus).labels_

    def _tokenize(self, corpus) -> list[list[str]]:
        from textmine.corpus import make_tokenizer

        cut = make_tokenizer(self.tokenizer, userdict=self.userdict if self.tokenizer == "jieba" else None)
        return [[w for w in cut(doc) if any(ch.isalnum() for ch in w)] for doc in corpus]

    def _fit_space(self, tokens: list[list[str]]) -> None:
        from sklearn.decomposition import TruncatedSVD

        df: dict[str, int] = {}
        for doc in tokens:
            for word in set(doc):
                df[word] = df.get(word, 0) + 1
        n = len(tokens)
        kept = sorted(w for w, c in df.items() if c >= self.min_df and c <= self.max_df * n)
        if len(kept) < 2:
            raise InputError(f"the {n} documents share fewer than 2 words in {self.min_df}+ documents and at most "
                             f"{self.max_df:.0%} of them; give more (or longer) documents or lower min_df")
        self.vocabulary_ = kept
        self._index = {w: i for i, w in enumerate(kept)}
        self.idf_ = np.log((1 + n) / (1 + np.array([df[w] for w in kept], dtype=np.float64))) + 1
        weights = tfidf(count_matrix(tokens, self._index), self.idf_)
        dim = max(1, min(self.dim, len(kept) - 1, n - 1))
        self.components_ = TruncatedSVD(dim, random_state=self.seed).fit(weights).components_.astype(np.float32)

    def _project(self, tokens: list[list[str]]) -> np.ndarray:
        return unit_rows(np.asarray(tfidf(count_matrix(tokens, self._index), self.idf_) @ self.components_.T))

    def _kmeans(self, z: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        from textmine.embed.skmeans import SphericalKMeans

        runs = [SphericalKMeans(k, seed=seed + r).fit(z) for r in range(self.restarts)]
        best = min(runs, key=lambda run: run.inertia_)
        return best.labels_, best.cluster_centers_

    def _choose_k(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from sklearn.metrics import adjusted_mutual_info_score
        from tqdm.auto import tqdm

        high = max(1, min(self.max_topics, len(z) // 10))
        low = min(self.min_topics, high)
        grid = sorted({int(round(low * (high / low) ** (i / 8))) for i in range(9)})
        best = None
        for k in tqdm(grid, desc="topics: choosing k", disable=not self.progress):
            labels, centers = self._kmeans(z, k, self.seed)
            other, _ = self._kmeans(z, k, self.seed + self.restarts)
            agreement = float(adjusted_mutual_info_score(labels, other)) if k > 1 else 1.0
            self.k_scores_[k] = round(agreement, 4)
            if best is None or agreement > best[0]:
                best = (agreement, labels, centers)
        log.info("topics: agreement between seeds by k: %s", self.k_scores_)
        return best[1], best[2]

    def _assign(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest centre by cosine; a document with no known word goes to the largest topic, score 0."""
        sims = z @ self.centers_.T
        labels = sims.argmax(axis=1)
        scores = sims[np.arange(len(z)), labels]
        empty = ~np.any(z, axis=1)
        labels[empty] = self.fallback_
        scores[empty] = 0.0
        return labels, scores

    # -- new documents ---------------------------------------------------------------------------
    def transform(self, documents) -> tuple[np.ndarray, np.ndarray]:
        """The topic and score of each new document, as ``fit`` assigned its own."""
        if not hasattr(self, "centers_"):
            raise NotFittedError("Topics is not fitted: call fit(corpus) or Topics.load(folder) first")
        if isinstance(documents, str):
            raise InputError("Topics.transform takes an iterable of documents, not one string")
        return self._assign(self._project(self._tokenize(documents)))

    @property
    def n_topics_(self) -> int:
        return len(self.centers_)

    # -- save / load -----------------------------------------------------------------------------
    def _save_parts(self, folder: Path) -> tuple[dict, dict]:
        if not hasattr(self, "centers_"):
            raise NotFittedError("Topics is not fitted: call fit(corpus) before save")
        if self.userdict:
            shutil.copyfile(self.userdict, folder / USERDICT)
        (folder / "vocabulary.txt").write_text("\n".join(self.vocabulary_) + "\n", encoding="utf-8")
        state = {"topics": [{k: v for k, v in t.items() if k != "docs"} for t in self.topics_],
                 "k_scores": {str(k): v for k, v in self.k_scores_.items()}, "fallback": self.fallback_}
        return state, {"idf": self.idf_, "components": self.components_, "centers": self.centers_}

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        self.vocabulary_ = (folder / "vocabulary.txt").read_text(encoding="utf-8").splitlines()
        self._index = {w: i for i, w in enumerate(self.vocabulary_)}
        self.idf_, self.components_, self.centers_ = arrays["idf"], arrays["components"], arrays["centers"]
        if len(self.idf_) != len(self.vocabulary_) or self.components_.shape[1] != len(self.vocabulary_):
            raise InputError(f"{folder}: vocabulary.txt does not match the saved arrays")
        self.topics_, self.fallback_ = state["topics"], int(state["fallback"])
        self.k_scores_ = {int(k): v for k, v in state.get("k_scores", {}).items()}
        if self.userdict:
            self.userdict = os.fspath(folder / USERDICT)
