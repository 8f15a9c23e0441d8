"""Seed expansion of domain terms with word2vec (Su's recipe, docs/algorithms/words.md#seed-expansion).

Train skip-gram vectors on the domain corpus segmented with jieba plus the discovered lexicon,
then walk breadth-first from the seed terms through ``most_similar(topn)``, accepting a neighbour
at depth d only if its cosine reaches 0.6 + 0.4 (1 - exp(-0.35 d)): the further from the seeds,
the closer a word must be, so the walk cannot drift out of the domain.
"""

from __future__ import annotations

import math
import os
from collections import Counter

import numpy as np

from textmine.corpus import JiebaTokenizer, tokenize
from textmine.errors import InputError

__all__ = ["RECIPE", "depth_threshold", "expand_seeds", "train_domain_vectors"]


def depth_threshold(depth: int) -> float:
    return 0.6 + 0.4 * (1 - math.exp(-0.35 * depth))


#: where the recipe departs from :class:`textmine.embed.Word2Vec`'s defaults, which give the rest:
#: a domain corpus is small, so words seen twice are kept and more negatives are drawn for them,
#: and one worker makes the vectors reproducible by seed
RECIPE = {"min_count": 2, "negative": 10, "workers": 1}


def train_domain_vectors(domain, userdict: str | os.PathLike | None = None, *, seed: int = 0, **word2vec):
    """Skip-gram KeyedVectors of the domain corpus segmented with jieba and ``userdict``: textmine's
    Word2Vec with :data:`RECIPE` over its defaults (``word2vec``: its other parameters)."""
    from textmine.embed.word2vec import Word2Vec

    # held in memory: segmenting with jieba costs more than an epoch, and word2vec reads the text 1 + epochs times
    sentences = list(tokenize(domain, JiebaTokenizer(userdict)))
    return Word2Vec(**{**RECIPE, **word2vec}, seed=seed).fit(sentences).wv


def expand_seeds(vectors, seeds: list[str], *, topn: int = 20, max_depth: int = 10) -> dict[str, int]:
    """Terms reached from ``seeds`` with the depth at which each was reached (seeds are depth 0)."""
    known = [s for s in seeds if s in vectors.key_to_index]
    if not known:
        raise InputError(f"none of the {len(seeds)} seed terms occurs in the domain vectors "
                         f"(first seeds: {seeds[:5]}); check the seeds or lower min_count")
    found = {s: 0 for s in known}
    frontier = known
    for depth in range(1, max_depth + 1):
        threshold = depth_threshold(depth)
        reached = Counter()
        for neighbours in _nearest(vectors, frontier, topn):
            reached.update(n for n, similarity in neighbours if similarity >= threshold and n not in found)
        if not reached:
            break
        frontier = sorted(reached)
        found.update(dict.fromkeys(frontier, depth))
    return found


def _nearest(vectors, terms: list[str], topn: int, batch: int = 512):
    """Each term's ``topn`` nearest words by cosine, itself left out, as ``most_similar`` gives them,
    from one matrix product per batch of terms instead of one pass over the vocabulary per term."""
    normed = vectors.get_normed_vectors()
    k = min(topn + 1, len(normed))
    for start in range(0, len(terms), batch):
        rows = [vectors.key_to_index[t] for t in terms[start:start + batch]]
        sims = normed[rows] @ normed.T
        sims[np.arange(len(rows)), rows] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for row, candidates in zip(sims, top):
            order = candidates[np.argsort(-row[candidates], kind="stable")][:topn]
            yield [(vectors.index_to_key[i], float(row[i])) for i in order]
