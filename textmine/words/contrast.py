"""Domain-term contrast: which discovered words belong to a domain rather than to the language.

Candidates are the words the finder discovers in the domain corpus, and the titles its writers
marked between book-title marks 《…》 (:func:`marked_titles`): a law's title is a term of law, but
at 5 to 20 characters it is longer than the n-grams the finder counts, and a chunk that long is
rarely seen whole often enough to be grown. Each candidate is scored against a general reference
(docs/algorithms/words.md#domain-terms):

- ``su_ratio``: Su's smoothed share of occurrences from the domain, (f_d + a m) / (f_d + f_g + m)
  with the reference rescaled to the domain's size;
- ``g2``: Rayson & Garside's log-likelihood keyness (signed: negative when rarer in the domain);
- ``log_ratio``: log2 of the relative frequencies, smoothed by half a count;
- ``c_value``: Frantzi's C-value on raw occurrence counts, which discounts a term by the longer
  candidates it sits inside;
- ``doc_freq``: in how many domain documents the term occurs (dispersion);
- ``burstiness``: the index of dispersion (variance over mean) of the term's count per document,
  1 for a Poisson spread (Church & Gale): terms come back within a document once it is about
  them; style words (更多, 取决于, 非常感谢) are spread evenly, near 1. In one-line documents
  (headlines, questions) a word occurs once where it occurs at all, so every word looks evenly
  spread: when the documents average fewer than ``min_doc_chars`` characters the spread test is
  skipped, and a log line says so.

- ``clause_end``: the share of the term's occurrences followed by punctuation or the end of the
  document. Nouns head noun phrases and so end clauses ("购买人寿保险。"); a register's function
  words do not: connectives, modal verbs, prepositions and adverbs are followed by what they
  govern (可以, 如果, 通常, 却说, and in statutes 或者, 应当, 依照).

Some words are typical of a domain without being its terms: the register's function words and
stock phrases. The chosen ranking keeps terms that are significantly and substantially more
frequent in the domain (g2 >= ``min_g2``, log_ratio >= ``min_log_ratio``), not phrase fragments
by the reference's learned function affixes, not compounds of ordinary words only (none of whose
parts is itself domain-marked), spread over at least ``min_doc_freq`` documents and at least
``min_burstiness`` bursty (style words are spread evenly), not tagged by the reference with a
closed-class part of speech (learned from the reference's tag frequencies, see
:class:`~textmine.words.reference.GeneralReference`) while ending clauses less often than the
domain's median candidate, and, unless the reference tags them as nouns, not ending clauses
significantly less often than ``min_clause_end`` times that median (binomial test, p < 0.001), and
not question words (:data:`QUESTION_WORDS`: 什么, and 如何运作 in a corpus of questions).
Every candidate stays in the output; ``demoted`` names each test it failed. The ranking orders
kept terms by ``score`` = min(log_ratio, ratio_cap) x log(1 + g2 x len/2), so that neither rare
oddities (large ratio, little evidence: a word the reference lacks has an unbounded ratio, hence the
cap) nor frequent generic words (much evidence, small ratio) lead. The evidence is weighed by the
term's length in two-character words, as Frantzi's C-value weighs frequency by length: an
occurrence of 中华人民共和国民事诉讼法 is six words' worth of text and far less likely by chance, so
a law's title cited 31 times stands beside a two-character word seen a few hundred times.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from textmine.atomic import atomic_open
from textmine.corpus.readers import as_corpus
from textmine.errors import InputError
from textmine.words.finder import WordFinder
from textmine.words.reference import GeneralReference, load_reference

__all__ = ["TermRecord", "TermContraster", "contrast_terms", "content_words", "marked_titles", "write_terms_tsv",
           "DEMOTIONS", "UNIT_TESTS"]

#: The tests a candidate can fail, in the order the ``demoted`` column lists them.
DEMOTIONS = ("keyness", "doc_freq", "fragment", "ordinary_compound", "even_spread", "function_pos",
             "function_usage", "question_word")
#: The tests that ask whether a candidate is a unit of content rather than a phrase or a style word:
#: a title's writer answered them by marking it (a law's title, cited once in each article that
#: applies it, looks evenly spread, and 中华人民共和国刑法 opens with a common word).
UNIT_TESTS = ("fragment", "ordinary_compound", "even_spread", "function_pos", "function_usage", "question_word")
#: Chinese question words, a closed class the reference tags unevenly (什么 r, 多少 m, 多少钱 nr): in a
#: corpus of questions they are as frequent and as clause-final as its terms. A candidate that is one,
#: or opens with one of two or more characters (如何运作, 多少钱), asks rather than names.
QUESTION_WORDS = frozenset("什么 多少 多久 多大 多长 多远 几时 哪里 哪儿 哪些 哪个 哪种 哪家 哪位 如何 怎么 怎样 怎么样 "
                           "为什么 为何 何时 何处 何地 何种 是否 能否 可否 谁 哪 几".split())
_QUESTION_OPENINGS = tuple(q for q in QUESTION_WORDS if len(q) > 1)   # one character opens words too (几何, 哪吒)

log = logging.getLogger(__name__)

_CLAUSE_END_P = 0.001  # significance of "ends clauses less often", the same level as min_g2's default
_ORDER_MARGIN = 0.1  # blocks must demote this share of key candidates fewer than shuffled documents would
#: a title between book-title marks: 2 to 30 letters or digits, so that an unclosed 《 (or one closed
#: only after a clause's punctuation, or around a nested 〈〉 title) gives no candidate
_TITLE = re.compile(r"《([^\W_]{2,30})》")


@dataclass(frozen=True)
class TermRecord:
    term: str
    domain_freq: int
    general_freq: int
    su_ratio: float
    g2: float
    log_ratio: float
    c_value: float
    doc_freq: int
    burstiness: float
    fragment: bool
    kept: bool
    score: float
    pos: str
    clause_end: float
    demoted: str
    kind: str = "word"   # the finder's kind ("word", "long", "phrase"), or "title" for a marked title


def su_ratio(f_d: np.ndarray, f_g: np.ndarray) -> np.ndarray:
    """Su's smoothed ratio with the general counts already rescaled to the domain total."""
    a = f_d.sum() / (f_d + f_g).sum()
    m = (f_d + f_g).mean()
    return (f_d + a * m) / (f_d + f_g + m)


def log_likelihood(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """Signed G2 of counts a (domain, total c) against b (general, total d)."""
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (np.where(a > 0, a * np.log(a / e1), 0.0) + np.where(b > 0, b * np.log(b / e2), 0.0))
    return np.where(a / c >= b / d, g2, -g2)


def log_ratio(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """log2 of the relative frequencies, each count smoothed by 0.5."""
    return np.log2(((a + 0.5) / c) / ((b + 0.5) / d))


def c_value(terms: list[str], occurrences: np.ndarray) -> np.ndarray:
    """Frantzi's C-value: log2|w| x (f(w) - mean f of the candidates that contain w)."""
    index = {t: i for i, t in enumerate(terms)}
    nested_sum = np.zeros(len(terms))
    nested_n = np.zeros(len(terms))
    for i, term in enumerate(terms):
        seen = set()
        for start in range(len(term)):
            for end in range(start + 2, len(term) + 1):
                inner = term[start:end]
                if inner != term and inner in index and inner not in seen:
                    seen.add(inner)
                    nested_sum[index[inner]] += occurrences[i]
                    nested_n[index[inner]] += 1
    lengths = np.log2([max(len(t), 2) for t in terms])
    return lengths * (occurrences - np.divide(nested_sum, nested_n, out=np.zeros(len(terms)), where=nested_n > 0))


def burstiness(occurrences: np.ndarray, squares: np.ndarray, n_docs: int) -> np.ndarray:
    """Variance over mean of the per-document counts (sum k and sum k^2 over all documents)."""
    mean = occurrences / max(n_docs, 1)
    variance = squares / max(n_docs, 1) - mean ** 2
    return np.divide(variance, mean, out=np.zeros(len(mean)), where=mean > 0)


def marked_titles(corpus) -> Counter:
    """How often each title occurs between book-title marks (《合同法》 counts 合同法). A writer who
    marks a title says where it begins and ends, which the n-gram statistics cannot say of a span
    longer than they count."""
    titles: Counter[str] = Counter()
    for document in corpus:
        titles.update(_TITLE.findall(document))
    return titles


def _occurrences(corpus, terms: list[str], block_chars: int) -> dict:
    """One pass over the corpus: raw (overlapping) occurrence counts of the terms, the sums of
    their squared counts per document and per block (consecutive documents joined until the block
    holds ``block_chars`` characters), document frequencies, how many occurrences end a clause,
    and the numbers of documents, blocks and characters."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for i, term in enumerate(terms):
        automaton.add_word(term, i)
    automaton.make_automaton()
    tally = {name: np.zeros(len(terms), dtype=np.int64)
             for name in ("occurrences", "squares", "block_squares", "doc_freq", "clause_ends")}
    block = np.zeros(len(terms), dtype=np.int64)
    touched: list[np.ndarray] = []
    n_docs = n_chars = n_blocks = block_size = 0

    def close_block():
        if touched:
            seen = np.unique(np.concatenate(touched))
            tally["block_squares"][seen] += block[seen] ** 2
            block[seen] = 0
            touched.clear()

    for document in corpus:
        n_docs += 1
        n_chars += len(document)
        block_size += len(document)
        hits = np.array(list(automaton.iter(document)), dtype=np.int64).reshape(-1, 2)
        if len(hits):
            found, counts = np.unique(hits[:, 1], return_counts=True)
            tally["occurrences"][found] += counts
            tally["squares"][found] += counts * counts
            tally["doc_freq"][found] += 1
            block[found] += counts
            touched.append(found)
            ends = _clause_ends(document)[hits[:, 0] + 1]
            np.add.at(tally["clause_ends"], hits[ends, 1], 1)
        if block_size >= block_chars:
            close_block()
            n_blocks, block_size = n_blocks + 1, 0
    if block_size:
        close_block()
        n_blocks += 1
    return {**tally, "n_docs": n_docs, "n_blocks": n_blocks, "n_chars": n_chars}


def _shuffled_block_squares(seen: dict) -> np.ndarray:
    """Expected sum of squared counts per block were the documents in random order: two
    occurrences in different documents share a block with probability (m - 1) / (n_docs - 1),
    m documents to a block."""
    occurrences, squares = seen["occurrences"].astype(np.float64), seen["squares"].astype(np.float64)
    per_block = seen["n_docs"] / max(seen["n_blocks"], 1)
    return squares + (occurrences ** 2 - squares) * (per_block - 1) / max(seen["n_docs"] - 1, 1)


def _clause_ends(document: str) -> np.ndarray:
    """``mask[k]``: a word ending at character ``k - 1`` ends a clause (character ``k`` is no letter,
    digit or ideograph, or the document ends there)."""
    codes = np.frombuffer(document.encode("utf-32-le"), dtype=np.uint32)
    alphabet, inverse = np.unique(codes, return_inverse=True)
    closing = np.array([not chr(c).isalnum() for c in alphabet], dtype=bool)
    return np.append(closing[inverse], True)


class TermContraster:
    """Domain terms from a domain corpus against a general reference (see the module docstring).

    Parameters
    ----------
    general : "jieba" (default), a frequency-list path, a corpus path, a word->count dict, or a
        GeneralReference.
    finder : parameters of the WordFinder that proposes candidates (and reads a corpus reference);
        those left out take the default preset's.
    min_g2 : significance floor of the keyness (10.83 is p < 0.001 with one degree of freedom).
    min_log_ratio : least log2 ratio of relative frequencies (1 = twice as frequent in the domain).
    min_doc_freq : least number of domain documents a term appears in.
    min_burstiness : least index of dispersion (1 = spread like a Poisson process; see the module
        docstring).
    min_doc_chars : mean document length (characters) below which documents are too short to
        show burstiness, and the spread test is skipped (headlines, questions, one sentence a line).
    min_clause_end : least rate of ending a clause, as a share of the domain's median candidate;
        a candidate significantly below it that the reference does not tag as a noun is a
        function word of the register (see the module docstring). 0 turns both function-word
        tests off.
    ratio_cap : log_ratio above this (64x by default) counts as this in the score.
    titles : also take as candidates the titles marked between book-title marks 《…》 that occur
        the finder's min_count times (see :func:`marked_titles`); they are units by their marks, so
        only the keyness and doc_freq tests apply to them (:data:`UNIT_TESTS` do not).
    seed : seed of the word2vec model used by seed expansion.
    """

    def __init__(self, general="jieba", *, finder: dict | None = None, min_g2: float = 10.83,
                 min_log_ratio: float = 2.0, min_doc_freq: int = 2, min_burstiness: float = 1.25,
                 min_doc_chars: int = 100, min_clause_end: float = 0.2, ratio_cap: float = 6.0, titles: bool = True,
                 seed: int = 0, progress: bool = False):
        self.general = general
        self.finder = finder
        self.min_g2 = min_g2
        self.min_log_ratio = min_log_ratio
        self.min_doc_freq = min_doc_freq
        self.min_burstiness = min_burstiness
        self.min_doc_chars = min_doc_chars
        self.min_clause_end = min_clause_end
        self.ratio_cap = ratio_cap
        self.titles = titles
        self.seed = seed
        self.progress = progress

    def fit(self, domain, seeds: list[str] | None = None, finder: WordFinder | None = None) -> "TermContraster":
        """Score the domain's discovered words; with ``seeds``, score instead the terms reached from
        them by word2vec expansion (:mod:`textmine.words.expand`) over the discovered lexicon.

        ``finder``: a WordFinder already fitted on ``domain`` (a pipeline's words stage), used
        instead of counting the corpus again; it must have the parameters of :meth:`finder_params`,
        and a finder fitted on other text is refused (:meth:`WordFinder.check_corpus`).
        """
        domain = as_corpus(domain, name="domain corpus")
        if self.min_doc_freq < 1:
            raise InputError(f"min_doc_freq must be at least 1, got {self.min_doc_freq}")
        if not 0 <= self.min_clause_end <= 1:
            raise InputError(f"min_clause_end must be a share between 0 and 1, got {self.min_clause_end}")
        params = self.finder_params()
        wanted = WordFinder(**params, progress=self.progress)
        if finder is not None and not finder.fitted_as(wanted):
            raise InputError("the fitted finder given to TermContraster.fit was fitted with other parameters than "
                             f"its finder_params() {params!r} ask for (or by an older textmine with other defaults): "
                             "fit it again")
        if finder is not None:
            finder.check_corpus(domain)
        finder = finder or wanted.fit(domain)
        self.finder_ = finder
        self.reference_ = self.general if isinstance(self.general, GeneralReference) else \
            load_reference(self.general, finder_params=params, progress=self.progress)
        self.titles_ = self._titles(domain) if seeds is None else {}
        if seeds is None:
            candidates = {r.word: r.freq for r in finder.words_ if len(r.word) > 1}
            candidates.update({t: max(n, candidates.get(t, 0)) for t, n in self.titles_.items()})
        else:
            candidates = self._expand(domain, seeds)
        if not candidates:
            raise InputError("no candidate words were found in the domain corpus; it may be too small "
                             "for the finder's min_count")
        self.terms_ = self._score(domain, candidates, self.reference_)
        return self

    def finder_params(self) -> dict:
        """The WordFinder parameters of the candidates (``finder``; the preset gives the rest)."""
        return dict(self.finder or {})

    def _titles(self, domain) -> dict[str, int]:
        """With ``titles``, the marked titles seen as often as the finder asks of a word (a title
        the finder also found keeps the larger of the two counts)."""
        if not self.titles:
            return {}
        least = self.finder_.params_["min_count"]
        return {title: count for title, count in marked_titles(domain).items() if count >= least}

    def _expand(self, domain, seeds: list[str]) -> dict[str, int]:
        import tempfile
        from pathlib import Path

        from textmine.words.expand import expand_seeds, train_domain_vectors

        with tempfile.TemporaryDirectory() as tmp:
            userdict = Path(tmp) / "userdict.txt"
            self.finder_.to_userdict(userdict)
            vectors = train_domain_vectors(domain, userdict, seed=self.seed)
        self.expansion_ = expand_seeds(vectors, seeds)
        return {w: vectors.get_vecattr(w, "count") for w in self.expansion_ if len(w) > 1}

    def _score(self, domain, candidates: dict[str, int], reference: GeneralReference) -> list[TermRecord]:
        terms = list(candidates)
        f_d = np.array(list(candidates.values()), dtype=np.float64)
        f_g = np.array([reference.count(t) for t in terms], dtype=np.float64)
        n_d = float(sum(self.finder_.lexicon_.values()))
        n_g = float(reference.total)
        seen = _occurrences(domain, terms, self.min_doc_chars)
        occurrences, doc_freq, clause_ends = seen["occurrences"], seen["doc_freq"], seen["clause_ends"]
        scores = {
            "su_ratio": su_ratio(f_d, f_g * n_d / n_g),
            "g2": log_likelihood(f_d, f_g, n_d, n_g),
            "log_ratio": log_ratio(f_d, f_g, n_d, n_g),
            "c_value": c_value(terms, occurrences.astype(np.float64)),
            "burstiness": self._burstiness(seen),
            "clause_end": np.divide(clause_ends, occurrences, out=np.zeros(len(terms)), where=occurrences > 0),
        }
        fragment = np.array([reference.is_fragment(t) for t in terms])
        keyness = (scores["g2"] < self.min_g2) | (scores["log_ratio"] < self.min_log_ratio)
        failed = {
            "keyness": keyness,
            "doc_freq": doc_freq < self.min_doc_freq,
            "fragment": fragment,
            "ordinary_compound": self._generic_compounds(terms, reference, n_d),
            "even_spread": self._evenly_spread(scores["burstiness"], keyness, seen),
            **self._function_words(terms, reference, occurrences, clause_ends, scores["clause_end"]),
            "question_word": np.array([_asks(t) for t in terms], dtype=bool),
        }
        titled = np.array([t in self.titles_ for t in terms], dtype=bool)
        found = {r.word: r.kind for r in self.finder_.words_}
        kinds = ["title" if titled[i] else found.get(t, "word") for i, t in enumerate(terms)]
        for name in UNIT_TESTS:
            failed[name] &= ~titled
        kept = ~np.logical_or.reduce([failed[name] for name in DEMOTIONS])
        marked = np.minimum(scores["log_ratio"], self.ratio_cap)
        units = np.array([max(len(t), 2) / 2 for t in terms])   # length in two-character words
        chosen = np.where(kept, marked * np.log1p(np.maximum(scores["g2"], 0) * units), -np.inf)
        records = [TermRecord(t, int(f_d[i]), int(f_g[i]), round(float(scores["su_ratio"][i]), 6),
                              round(float(scores["g2"][i]), 3), round(float(scores["log_ratio"][i]), 4),
                              round(float(scores["c_value"][i]), 3), int(doc_freq[i]),
                              round(float(scores["burstiness"][i]), 4), bool(fragment[i]),
                              bool(kept[i]), round(float(chosen[i]), 4) if kept[i] else 0.0,
                              reference.pos.get(t, ""), round(float(scores["clause_end"][i]), 4),
                              ",".join(name for name in DEMOTIONS if failed[name][i]), kinds[i])
                   for i, t in enumerate(terms)]
        order = sorted(range(len(terms)), key=lambda i: (-chosen[i], -scores["su_ratio"][i], terms[i]))
        return [records[i] for i in order]

    def _burstiness(self, seen: dict) -> np.ndarray:
        """Burstiness per document, or per block of consecutive documents when the documents are
        too short to show it (see the module docstring)."""
        mean = seen["n_chars"] / max(seen["n_docs"], 1)
        if mean >= self.min_doc_chars:
            return burstiness(seen["occurrences"], seen["squares"], seen["n_docs"])
        log.info("documents average %.0f characters (< min_doc_chars %d): burstiness is measured over %d blocks of "
                 "consecutive documents", mean, self.min_doc_chars, seen["n_blocks"])
        return burstiness(seen["occurrences"], seen["block_squares"], seen["n_blocks"])

    def _evenly_spread(self, bursts: np.ndarray, keyness: np.ndarray, seen: dict) -> np.ndarray:
        """The spread test. Over blocks of short documents it needs the documents in an order that
        keeps topics together (the sentences of one article side by side): when it demotes about
        as many key candidates as it would with the documents shuffled (the order is random, as
        in a list of questions), it measures nothing and is skipped."""
        even = bursts < self.min_burstiness
        key = ~keyness
        if seen["n_chars"] >= self.min_doc_chars * seen["n_docs"] or not key.any():
            return even
        shuffled = burstiness(seen["occurrences"], _shuffled_block_squares(seen), seen["n_blocks"])
        expected = float((shuffled[key] < self.min_burstiness).mean())
        if even[key].mean() > expected - _ORDER_MARGIN:
            log.info("the even_spread test would demote %d of %d key candidates, as many as with the documents "
                     "shuffled (%.0f%%): their order shows no topics, so the test is skipped",
                     int(even[key].sum()), int(key.sum()), 100 * expected)
            return np.zeros(len(bursts), dtype=bool)
        return even

    def _function_words(self, terms: list[str], reference: GeneralReference, occurrences: np.ndarray,
                        clause_ends: np.ndarray, rate: np.ndarray) -> dict[str, np.ndarray]:
        """The two function-word tests. ``function_pos``: the reference tags the candidate with a
        closed class and the domain confirms it, the candidate ending clauses less often than the
        median candidate (jieba tags some terms oddly: 到期 is an adverb there). ``function_usage``:
        it ends clauses significantly less often (one-sided binomial test) than ``min_clause_end``
        times the median, and the reference does not tag it as a noun: nouns used mostly as
        modifiers (房主保险, 医疗保险) still head noun phrases."""
        from scipy.stats import binom

        none = np.zeros(len(terms), dtype=bool)
        seen = occurrences > 0
        if not self.min_clause_end or not seen.any():
            return {"function_pos": none, "function_usage": none}
        median = float(np.median(rate[seen]))
        closed = np.array([reference.is_closed_class(t) for t in terms], dtype=bool)
        noun = np.array([reference.is_noun(t) for t in terms], dtype=bool)
        rare = seen & (binom.cdf(clause_ends, np.maximum(occurrences, 1), self.min_clause_end * median) < _CLAUSE_END_P)
        return {"function_pos": closed & seen & (rate < median), "function_usage": rare & ~noun}

    def _generic_compounds(self, terms: list[str], reference: GeneralReference, n_d: float) -> np.ndarray:
        """Terms whose every part is an ordinary, non-domain word (更多 = 更 + 多), or that open with
        one of the reference's most frequent multi-character words (可能会 = 可能 + 会): their keyness comes from the
        domain's style, not its vocabulary. Parts are the reference's best split of the term into
        other words (single characters count as they stand alone); a term that splits only into
        characters (年金 = 年 + 金) is a unit and is left to the keyness scores."""
        lexicon = self.finder_.lexicon_
        counts = self.finder_.counts_
        generic = np.zeros(len(terms), dtype=bool)
        for i, term in enumerate(terms):
            pieces = reference.split(term)
            if len(pieces) < 2 or max(map(len, pieces)) == 1:
                continue  # a unit of its own: characters are no "ordinary words" to compose it
            if len(pieces[0]) > 1 and pieces[0] in reference.head:
                generic[i] = True
                continue
            f_d = np.array([lexicon.get(p) or (counts.count(p) if len(p) <= counts.max_n else 0) for p in pieces],
                           dtype=np.float64)
            f_g = np.array([reference.count(p) for p in pieces], dtype=np.float64)
            generic[i] = log_ratio(f_d, f_g, n_d, reference.total).max() < self.min_log_ratio
        return generic

    @property
    def kept_terms_(self) -> list[TermRecord]:
        return [t for t in self.terms_ if t.kept]


def _asks(term: str) -> bool:
    """Whether ``term`` is a question word or opens with one of 2+ characters (see :data:`QUESTION_WORDS`)."""
    return term in QUESTION_WORDS or term.startswith(_QUESTION_OPENINGS)


def contrast_terms(domain, general="jieba", *, seeds: list[str] | None = None, **params) -> list[TermRecord]:
    """Score the domain corpus's discovered words against ``general``; kept terms first, best first."""
    return TermContraster(general, **params).fit(domain, seeds=seeds).terms_


def write_terms_tsv(records: list[TermRecord], path: str | os.PathLike) -> None:
    """Every candidate with every score, the chosen ranking first, written atomically; ``demoted``
    lists the tests (:data:`DEMOTIONS`) a candidate failed, empty for kept terms."""
    columns = list(TermRecord.__dataclass_fields__)
    with atomic_open(path) as handle:
        handle.write("\t".join(columns) + "\n")
        for record in records:
            handle.write("\t".join(str(getattr(record, c)) for c in columns) + "\n")


def content_words(path: str | os.PathLike) -> set[str]:
    """The candidates of a terms.tsv that no function-word test demoted: a vocabulary of the
    domain's content words (names, places, actions), kept terms or not, for clustering word
    vectors whose most frequent entries are otherwise the register's particles and punctuation."""
    with open(path, encoding="utf-8") as handle:
        columns = handle.readline().rstrip("\n").split("\t")
        if not {"term", "demoted"} <= set(columns):
            raise InputError(f"{path}: not a terms.tsv (its header lacks 'term' or 'demoted')")
        term, demoted = columns.index("term"), columns.index("demoted")
        rows = [line.rstrip("\n").split("\t") for line in handle if line.strip()]
    function = {"function_pos", "function_usage", "question_word"}
    return {row[term] for row in rows if not function & set(row[demoted].split(","))}
