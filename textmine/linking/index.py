"""The alias index: every KB name in an Aho-Corasick automaton, with link priors and pruning counts.

Su's first stage (docs/algorithms/linking.md): maximal matching of the KB's names finds 92% of the mentions
but only 30% of what it proposes are mentions, because many names are also common words. Counting,
on the training texts, how often each name is matched without being annotated gives the pruning
statistic ``(matched but not annotated + 1) / (annotated + 1)``; names at or above ``prune_ratio``
(5, Su's value) are no longer proposed. The same counts give the link prior p(e|m).

Memory is bounded by the automaton (pyahocorasick, in C) and a few numpy arrays: the value stored
for a name is its integer id, and the candidates of name ``i`` are ``entities_[ptr_[i]:ptr_[i+1]]``
(a CSR layout), so no Python object is kept per alias.
"""

from __future__ import annotations

import json
import logging
import os
from array import array
from pathlib import Path
from typing import Iterable, Iterator

import ahocorasick
import numpy as np

from textmine.atomic import atomic_dir_file, atomic_open
from textmine.errors import InputError, NotFittedError
from textmine.linking.data import LinkedText
from textmine.linking.kb import KnowledgeBase
from textmine.persist import read_arrays, write_arrays

__all__ = ["AliasIndex", "MAX_NAME"]

log = logging.getLogger(__name__)

_NAMES = "names.jsonl"
_ARRAYS, _SETTINGS = "index.safetensors", "index.json"
_KB_WEIGHT = {True: 2.0, False: 1.0}        # back-off prior: a subject counts twice an alias
#: Names longer than this many characters are not indexed. KB names are short (el-poets: 20,973 names,
#: the longest 12 characters, 99% at most 4), and the automaton's C code recurses along a name: a
#: 1,000,000-character alias crashed the process with a segmentation fault.
MAX_NAME = 100
#: Characters of a text the automaton scans at once (plus the longest name's length), so a
#: 10-million-character text is matched in bounded memory.
WINDOW = 1 << 16


def _automaton():
    return ahocorasick.Automaton(ahocorasick.STORE_INTS)          # values are name ids: no Python objects


class AliasIndex:
    """Names -> candidate entities, with priors p(e|m) and Su's pruning statistic.

    Parameters
    ----------
    prune_ratio : float
        Names whose ``(matched but not annotated + 1) / (annotated + 1)`` reaches this are not proposed
        by :meth:`maximal_matches` (Su: 5). ``inf`` turns pruning off.
    smoothing : float
        Pseudo-links of the KB-intrinsic back-off in the prior: p(e|m) = (links(m, e) + s * q(e|m)) /
        (links(m) + s), where q gives a subject twice the weight of an alias. A name never linked in
        training gets q alone; a name linked often is ruled by its counts.
    learn_aliases : bool
        A training mention whose string is not a KB name of its entity adds that string as an alias.
    max_name : int
        Names (and learned aliases) longer than this many characters are skipped with a warning
        that counts them (see ``MAX_NAME``); at most 10,000.
    """

    def __init__(self, *, prune_ratio: float = 5.0, smoothing: float = 1.0, learn_aliases: bool = True,
                 max_name: int = MAX_NAME):
        self.prune_ratio, self.smoothing, self.learn_aliases = prune_ratio, smoothing, learn_aliases
        self.max_name = max_name

    # ------------------------------------------------------------------ building
    def fit(self, kb: KnowledgeBase, texts: Iterable[LinkedText] = ()) -> "AliasIndex":
        """Index every name of ``kb``, then count links, matches and annotations in ``texts``.

        Costs one pass over the KB's names and two over ``texts`` (a list, not a generator).
        """
        if not self.prune_ratio > 0 or not self.smoothing > 0:
            raise InputError(f"prune_ratio={self.prune_ratio} and smoothing={self.smoothing} must be positive")
        if isinstance(self.max_name, bool) or not isinstance(self.max_name, int) or not 1 <= self.max_name <= 10_000:
            raise InputError(f"max_name={self.max_name!r}; expected a whole number of characters from 1 to 10000")
        if iter(texts) is texts:
            raise InputError("texts is a one-shot iterator; pass a list (the index makes two passes)")
        automaton = _automaton()
        name_ids, entities, subjects, lengths = array("q"), array("q"), array("b"), array("q")
        skipped = {"kb": 0, "texts": 0, "longest": 0}

        def add(name: str, entity: int, is_subject: bool, source: str = "kb") -> None:
            if len(name) > self.max_name:              # kept away from the automaton (see MAX_NAME)
                skipped[source] += 1
                skipped["longest"] = max(skipped["longest"], len(name))
                return
            nid = automaton.get(name, None)
            if nid is None:
                nid = len(automaton)
                automaton.add_word(name, nid)
                lengths.append(len(name))
            name_ids.append(nid)
            entities.append(entity)
            subjects.append(is_subject)

        for position, entity in enumerate(kb):
            for rank, name in enumerate(entity.names):
                add(name, position, rank == 0)
        if self.learn_aliases:
            for text in texts:
                for m in text.mentions:
                    if m.kb_id in kb:
                        add(m.mention, kb.position(m.kb_id), False, "texts")   # duplicates are merged below
        if skipped["kb"] or skipped["texts"]:
            log.warning("the alias index skipped %d KB name(s) and %d training mention(s) longer than %d characters "
                        "(the longest: %d characters); they cannot be linked", skipped["kb"], skipped["texts"],
                        self.max_name, skipped["longest"])
        self.skipped_names_ = skipped["kb"] + skipped["texts"]
        automaton.make_automaton()
        self._build_csr(np.frombuffer(name_ids, np.int64), np.frombuffer(entities, np.int64),
                        np.frombuffer(subjects, np.int8).astype(bool), len(automaton))
        self.automaton_, self.lengths_ = automaton, np.frombuffer(lengths, np.int64).astype(np.int32)
        self.n_entities_ = len(kb)
        self._count(kb, texts)
        return self

    def _build_csr(self, name_ids: np.ndarray, entities: np.ndarray, subjects: np.ndarray, n_names: int) -> None:
        keys = name_ids * (entities.max(initial=0) + 1) + entities
        order = np.lexsort((~subjects, keys))                                # a subject row first per key
        keys, first = np.unique(keys[order], return_index=True)
        self.entities_ = entities[order][first].astype(np.int32)
        self.is_subject_ = subjects[order][first]
        self.ptr_ = np.zeros(n_names + 1, np.int64)
        np.add.at(self.ptr_, name_ids[order][first] + 1, 1)
        self.ptr_ = np.cumsum(self.ptr_)

    def _count(self, kb: KnowledgeBase, texts: Iterable[LinkedText]) -> None:
        n_names = len(self.ptr_) - 1
        self.links_ = np.zeros(len(self.entities_), np.int32)
        self.annotated_ = np.zeros(n_names, np.int32)
        self.unannotated_ = np.zeros(n_names, np.int32)
        for text in texts:
            gold = set()
            for m in text.mentions:
                nid = self.name_id(m.mention)
                if nid is None:
                    continue
                gold.add((m.offset, m.mention))
                self.annotated_[nid] += 1
                if m.kb_id in kb:
                    row = self.row(nid, kb.position(m.kb_id))
                    if row is not None:
                        self.links_[row] += 1
            for start, end, nid in self.maximal_matches(text.text, prune=False):
                if (start, text.text[start:end]) not in gold:
                    self.unannotated_[nid] += 1
        self.pruned_ = self._pruned()

    def _pruned(self) -> np.ndarray:
        return (self.unannotated_ + 1) / (self.annotated_ + 1) >= self.prune_ratio

    # ------------------------------------------------------------------ queries
    def _check(self) -> None:
        if not hasattr(self, "automaton_"):
            raise NotFittedError("AliasIndex is not built; call fit(kb, texts) or AliasIndex.load(folder)")

    def __len__(self) -> int:
        self._check()
        return len(self.ptr_) - 1

    def name_id(self, name: str) -> int | None:
        """The id of ``name``, or None when it is no KB name."""
        return self.automaton_.get(name, None)

    def candidates(self, nid: int) -> np.ndarray:
        """The KB positions of the entities name ``nid`` may refer to."""
        return self.entities_[self.rows(nid)]

    def row(self, nid: int, entity: int) -> int | None:
        """The position of the (name, entity) pair in the CSR arrays, or None."""
        hit = np.flatnonzero(self.candidates(nid) == entity)
        return int(self.ptr_[nid] + hit[0]) if len(hit) else None

    def rows(self, nid: int) -> slice:
        """The CSR rows of name ``nid``'s candidates (index ``entities_``, ``is_subject_``, ``links_``)."""
        return slice(int(self.ptr_[nid]), int(self.ptr_[nid + 1]))

    def links(self, nid: int, held_out: int | None = None, *, hide: bool = False) -> np.ndarray:
        """Training links of each candidate of ``nid``; ``held_out`` (a candidate's place in that list)
        has one link fewer, so a training mention does not vote for its own answer, or none at all
        with ``hide`` (the entity plays one never linked in training)."""
        links = self.links_[self.rows(nid)].astype(np.float64)
        if held_out is not None and links[held_out] > 0:
            links[held_out] = 0 if hide else links[held_out] - 1
        return links

    def priors(self, nid: int, held_out: int | None = None, *, hide: bool = False) -> np.ndarray:
        """p(e|m) over the candidates of ``nid`` (see ``smoothing``; ``held_out``, ``hide`` as in :meth:`links`)."""
        links = self.links(nid, held_out, hide=hide)
        weights = np.where(self.is_subject_[self.rows(nid)], _KB_WEIGHT[True], _KB_WEIGHT[False])
        return (links + self.smoothing * weights / weights.sum()) / (links.sum() + self.smoothing)

    def maximal_matches(self, text: str, *, prune: bool = True) -> list[tuple[int, int, int]]:
        """Non-overlapping leftmost-longest matches (start, end, name id); pruned names are skipped first,
        so they never hide a shorter name inside them. See :meth:`iter_maximal_matches`."""
        return list(self.iter_maximal_matches(text, prune=prune))

    def iter_maximal_matches(self, text: str, *, prune: bool = True, window: int = WINDOW
                             ) -> Iterator[tuple[int, int, int]]:
        """:meth:`maximal_matches` one after the other, reading ``text`` ``window`` characters at a time.

        The automaton scans each window and the longest name's length beyond it, and a window keeps
        the hits that start inside it: every hit is seen once, in the order of the whole text, so the
        matches are those of one scan of the whole text, while memory holds one window's hits.
        """
        self._check()
        if window < 1:
            raise InputError(f"window={window}; expected a positive number of characters")
        lengths, pruned = self.lengths_, self.pruned_ if prune else None
        reach = int(lengths.max(initial=1)) - 1           # a name starting in a window ends this far beyond it
        end = 0
        for first in range(0, len(text), window):
            stop = min(first + window, len(text))
            hits = []
            for last, nid in self.automaton_.iter(text, first, min(stop + reach, len(text))):
                start = last + 1 - int(lengths[nid])
                if start >= stop or (pruned is not None and pruned[nid]):
                    continue                                 # the next window's, or pruned
                hits.append((start, last + 1, nid))
            hits.sort(key=lambda h: (h[0], -h[1]))
            for hit in hits:
                if hit[0] >= end:
                    yield hit
                    end = hit[1]

    def ratio(self, nid: int) -> float:
        """Su's statistic (matched but not annotated + 1) / (annotated + 1) of name ``nid``."""
        return float((self.unannotated_[nid] + 1) / (self.annotated_[nid] + 1))

    # ------------------------------------------------------------------ persistence
    def save(self, folder: str | os.PathLike) -> Path:
        """``names.jsonl`` (a JSON string a line, in id order), ``index.json`` (the settings) and
        ``index.safetensors`` (CSR arrays and counts)."""
        self._check()
        folder = Path(folder)
        names = [""] * len(self)
        for name, nid in self.automaton_.items():
            names[nid] = name
        with atomic_open(folder / _NAMES) as handle:
            handle.write("".join(json.dumps(name, ensure_ascii=False) + "\n" for name in names))
        with atomic_open(folder / _SETTINGS) as handle:
            json.dump({"prune_ratio": self.prune_ratio, "smoothing": self.smoothing, "learn_aliases": self.learn_aliases,
                       "max_name": self.max_name, "n_entities": self.n_entities_}, handle)
        with atomic_dir_file(folder / _ARRAYS) as tmp:
            write_arrays(tmp, {"ptr": self.ptr_, "entities": self.entities_, "is_subject": self.is_subject_,
                               "links": self.links_, "annotated": self.annotated_, "unannotated": self.unannotated_})
        return folder

    @classmethod
    def load(cls, folder: str | os.PathLike) -> "AliasIndex":
        """Rebuild the automaton from ``names.jsonl`` (about a second per million names) and read the arrays."""
        folder = Path(folder)
        if (folder / "index.npz").is_file():
            raise InputError(f"alias index folder {folder} is in an older layout (index.npz); train the linker again")
        for name in (_NAMES, _SETTINGS, _ARRAYS):
            if not (folder / name).is_file():
                raise InputError(f"alias index folder {folder} lacks {name}; expected the output of AliasIndex.save")
        settings = json.loads((folder / _SETTINGS).read_text(encoding="utf-8"))
        arrays = read_arrays(folder / _ARRAYS)
        index = cls(prune_ratio=settings["prune_ratio"], smoothing=settings["smoothing"],
                    learn_aliases=settings["learn_aliases"], max_name=settings.get("max_name", MAX_NAME))
        index.ptr_, index.entities_, index.is_subject_ = arrays["ptr"], arrays["entities"], arrays["is_subject"]
        index.links_, index.annotated_, index.unannotated_ = arrays["links"], arrays["annotated"], arrays["unannotated"]
        index.n_entities_ = settings["n_entities"]
        automaton = _automaton()
        lengths = array("q")
        with open(folder / _NAMES, encoding="utf-8") as handle:
            for nid, line in enumerate(handle):
                name = json.loads(line)
                automaton.add_word(name, nid)
                lengths.append(len(name))
        automaton.make_automaton()
        index.automaton_, index.lengths_ = automaton, np.frombuffer(lengths, np.int64).astype(np.int32)
        index.pruned_ = index._pruned()
        return index
