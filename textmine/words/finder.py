"""New-word discovery: n-gram cohesion and boundary entropy, chunking, minimum-entropy pruning.

One configurable finder covers the published recipes (docs/algorithms/words.md#new-word-discovery):

1. count every character n-gram up to ``max_n`` with its neighbours (:mod:`textmine.words.ngrams`);
2. keep the n-grams that occur ``min_count`` times and whose cohesion, the minimum over split
   points of log(N c(w) / (c(a) c(b))), reaches ``min_pmi[n-1]``;
3. cut the text into chunks, joining two characters wherever a kept n-gram spans them, and count
   the chunks (this is how words longer than ``max_n`` are found); with ``inner_chunks``, cut it a
   second time where no kept max_n-gram spans two characters, so that a long word the text runs
   on into its neighbours (纳扎尔巴耶夫总统) is counted too;
4. keep chunks seen ``min_count`` times whose both boundary entropies reach ``min_entropy``
   (``strict``: 3..max_n-character chunks must be kept n-grams or stand alone in ``min_alone`` of
   their occurrences, and every max_n-window of a longer one must be ``long_pmi`` cohesive), no
   longer than ``max_len``, and, when longer than max_n, seen beside ``min_neighbours`` different
   characters on each side;
5. with ``redundancy``, remove, longest first, each word that the rest of the lexicon re-segments
   at a cost below ``redundancy`` x (len(w) - 1) nats (``long_redundancy`` for 3+ characters),
   handing its count to the pieces (nlp_zero's minimum-entropy rule).

Each word is scored by the nats it saves in the corpus's code length: freq x (log p(w) - sum of
log p(piece) over its best segmentation into the other words), and marked with its kind: a
"phrase" when that segmentation holds two or more words of 2+ characters joined, past max_n
characters, at a joint weaker than a kept max_n-gram (中华人民共和国, 金融危机), a "long" word when it
is longer than ``max_n`` otherwise (乌兹别克斯坦, 纳扎尔巴耶夫), else a "word".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import tempfile
from dataclasses import astuple
from pathlib import Path

import numpy as np

from textmine.atomic import write_json
from textmine.corpus.readers import Corpus, as_corpus
from textmine.cores import cap_threads
from textmine.distributed import dask_session
from textmine.errors import InputError, NotFittedError
from textmine.persist import Saved
from textmine.words.chunks import count_chunks
from textmine.words.encode import CharIndex
from textmine.words.lexicon import WordRecord, build_records, write_userdict, write_words_tsv
from textmine.words.ngrams import NgramCounts, count_ngrams

__all__ = ["PRESETS", "WordFinder", "WordRecord", "discover_words"]

log = logging.getLogger(__name__)

WORDS = "words.json"  # a saved finder's word records and lexicon, beside its config (textmine.persist)

PRESETS: dict[str, dict] = {
    # nlp_zero's Word_Finder: pairs only, PMI > 1, chunks with p > 1e-7, redundancy removal.
    "nlp_zero": dict(max_n=2, min_count=1, min_proba=1e-7, min_pmi=(0.0, 1.0), min_entropy=0.0,
                     strict=False, long_pmi=None, min_alone=0.0, inner_chunks=False, min_neighbours=1,
                     max_len=None, redundancy=1.0, long_redundancy=1.0),
    # word-discovery: 4-grams, per-length PMI [0, 2, 4, 6], chunk count threshold, strict windows.
    "word_discovery": dict(max_n=4, min_count=8, min_proba=None, min_pmi=(0.0, 2.0, 4.0, 6.0),
                           min_entropy=0.0, strict=True, long_pmi=None, min_alone=0.0, inner_chunks=False,
                           min_neighbours=1, max_len=None, redundancy=0.0, long_redundancy=0.0),
    # ours: word-discovery's cohesion plus boundary entropy and minimum-entropy redundancy removal.
    # Tuned on the segmentation benchmark (BENCHMARKS.md): a stricter redundancy cost per extra
    # character of a pair keeps out pairs the characters already explain, which lifts precision;
    # longer words pay less per character, and long ones are counted inside the text they run on
    # into and may hold a compound's weaker joint (long_pmi; a short one that mostly stands alone,
    # 北京市, needs no kept n-gram: min_alone), which finds names of 3 to 10+ characters
    # (docs/benchmarks/words.md#long-words-peoples-dailys-tagged-names). Pairs need 1.5 nats, not
    # word-discovery's 2: two common characters join weakly (法国, 1.85), and the redundancy test
    # judges what comes in (segmentation F1 up on both benchmark lexicons, 3+-character names as before).
    "default": dict(max_n=4, min_count=5, min_proba=None, min_pmi=(0.0, 1.5, 4.0, 6.0),
                    min_entropy=0.5, strict=True, long_pmi=4.0, min_alone=0.3, inner_chunks=True,
                    min_neighbours=2, max_len=None, redundancy=3.5, long_redundancy=2.5),
}


class _Spool:
    """Encoded shards kept on disk between the counting pass and the chunking pass."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="textmine-words-")
        self.paths: list[Path] = []

    def append(self, ids: np.ndarray) -> None:
        path = Path(self._dir.name) / f"{len(self.paths):06d}.npy"
        np.save(path, ids)
        self.paths.append(path)

    def __iter__(self):
        for path in self.paths:
            yield np.load(path, mmap_mode="r")

    def close(self) -> None:
        self._dir.cleanup()


class _LocalCounter:
    """The counting passes in this process, with the interface of :class:`DaskCounter`: ``count``,
    ``count_contexts``, and iterating gives the spooled shards."""

    def __init__(self, spool: _Spool, *, max_n: int, shard_chars: int, max_keys: int, threads: int,
                 progress: bool):
        self.spool = spool
        self.options = dict(shard_chars=shard_chars, max_keys=max_keys, threads=threads)
        self.max_n = max_n
        self.progress = progress

    def count(self, corpus) -> NgramCounts:
        return count_ngrams(corpus, self.max_n, spool=self.spool, context_min_count=None, progress=self.progress,
                            **self.options)

    def count_contexts(self, counts: NgramCounts, min_count: int) -> None:
        counts.count_contexts(self.spool, min_count, threads=self.options["threads"],
                              max_keys=self.options["max_keys"])

    def __iter__(self):
        return iter(self.spool)


class WordFinder(Saved):
    """Unsupervised new-word discovery (scikit-learn style: parameters here, work in ``fit``).

    Parameters
    ----------
    preset : {"default", "word_discovery", "nlp_zero"}
        The recipe (ours, or as published); explicit arguments override its values.
    max_n : longest n-gram counted (1-4); longer words come from chunking.
    min_count : least count of a kept n-gram and of a word.
    min_proba : if set, the count threshold is min_proba x corpus characters (nlp_zero's form).
    min_pmi : per-length cohesion thresholds in nats, one per n = 1..max_n.
    min_entropy : least left and right boundary entropy of a word (nats).
    strict : 3..max_n-character words must be kept n-grams; longer words need all max_n-windows kept
        (``long_pmi`` cohesive).
    long_pmi : with ``strict``, the least cohesion (nats) of every max_n-window of a word longer
        than max_n (unset: ``min_pmi``'s last, which asks every window to be kept): a compound's
        joint (人民 + 共和国) is less cohesive than a transliterated name's, and its chunk still has
        the entropy and redundancy tests to pass.
    min_alone : with ``strict``, a 3..max_n-character word that is not a kept n-gram still passes
        when it stands alone as a chunk in at least this share of its occurrences (北京市: 168 of
        226; its cohesion is low because 北京 is so common); 0 turns it off: it must be kept.
    inner_chunks : also count the chunks cut where no kept max_n-gram spans two characters, so
        that a long word the text runs on into (纳扎尔巴耶夫总统) is a candidate (one more pass).
    min_neighbours : least number of different characters a word longer than max_n must be seen
        beside on each side, a separator counting as a new one each time (1 = off). Its entropies
        are its edge max_n-grams', which a piece of a longer unit shares with it (中华民族共同, always
        before 体; 证明该商品是自己合法, always between 能 and 取): its own neighbours tell.
    max_len : if set, the longest word kept (characters).
    redundancy : nats per extra character a word must save over its best split into the other
        words to stay (minimum-entropy removal; nlp_zero uses 1.0); 0 or False turns it off.
    long_redundancy : the same cost for words of 3 or more characters; a lower one than
        ``redundancy`` keeps compounds and names (土壤污染, 云南省, 中华人民共和国) that pairs of
        characters would not be kept for.
    shard_chars, max_keys, threads : memory and parallelism of counting (see ``count_ngrams``).
    scheduler : where counting runs: "local" (this process), "processes" (``threads`` Dask worker
        processes here) or "tcp://HOST:PORT" (a Dask cluster); the counts are the same
        (:mod:`textmine.words.dask_counting`). A Dask task counts a partition of the corpus files
        of about 8 x ``shard_chars`` bytes.
    spill_dir : where a Dask run's partial tables go (default: the temporary folder); workers
        elsewhere must see it at the same path.
    """

    def __init__(self, preset: str = "default", *, max_n: int | None = None, min_count: int | None = None,
                 min_proba: float | None = None, min_pmi: tuple[float, ...] | None = None,
                 min_entropy: float | None = None, strict: bool | None = None, long_pmi: float | None = None,
                 min_alone: float | None = None, inner_chunks: bool | None = None,
                 min_neighbours: int | None = None, max_len: int | None = None,
                 redundancy: float | None = None, long_redundancy: float | None = None, shard_chars: int = 4_000_000,
                 max_keys: int = 40_000_000, threads: int = 2, scheduler: str = "local", spill_dir: str | None = None,
                 progress: bool = False):
        self.preset = preset
        self.max_n = max_n
        self.min_count = min_count
        self.min_proba = min_proba
        self.min_pmi = min_pmi
        self.min_entropy = min_entropy
        self.strict = strict
        self.long_pmi = long_pmi
        self.min_alone = min_alone
        self.inner_chunks = inner_chunks
        self.min_neighbours = min_neighbours
        self.max_len = max_len
        self.redundancy = redundancy
        self.long_redundancy = long_redundancy
        self.shard_chars = shard_chars
        self.max_keys = max_keys
        self.threads = threads
        self.scheduler = scheduler
        self.spill_dir = spill_dir
        self.progress = progress

    def resolved_params(self) -> dict:
        """The preset's values with the explicit arguments applied, checked."""
        if self.preset not in PRESETS:
            raise InputError(f"unknown preset {self.preset!r}; expected one of {', '.join(PRESETS)}")
        params = dict(PRESETS[self.preset])
        for name in params:
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        if params["min_proba"] is not None and self.min_count is not None:
            params["min_proba"] = None
        n = params["max_n"]
        if not isinstance(n, int) or not 1 <= n <= 4:
            raise InputError(f"max_n must be an integer from 1 to 4, got {n!r}")
        if params["min_count"] < 1:
            raise InputError(f"min_count must be at least 1, got {params['min_count']}")
        pmi = tuple(float(x) for x in params["min_pmi"])
        if len(pmi) < n:
            raise InputError(f"min_pmi needs one threshold per n-gram length 1..{n}, got {list(pmi)}")
        params["min_pmi"] = pmi[:n]
        params["long_pmi"] = pmi[n - 1] if params["long_pmi"] is None else float(params["long_pmi"])
        if params["min_entropy"] < 0:
            raise InputError(f"min_entropy must be >= 0 nats, got {params['min_entropy']}")
        if not 0 <= params["min_alone"] <= 1:
            raise InputError(f"min_alone must be a share from 0 (off) to 1, got {params['min_alone']!r}")
        if not isinstance(params["min_neighbours"], (int, np.integer)) or params["min_neighbours"] < 1:
            raise InputError(f"min_neighbours must be a whole number of characters, 1 (off) or more, "
                             f"got {params['min_neighbours']!r}")
        if params["max_len"] is not None and (not isinstance(params["max_len"], int) or params["max_len"] < 2):
            raise InputError(f"max_len must be an integer of at least 2 characters (or unset), "
                             f"got {params['max_len']!r}")
        if params["long_redundancy"] < 0:
            raise InputError(f"long_redundancy must be >= 0 nats per character, got {params['long_redundancy']}")
        return params

    def fitted_as(self, wanted: "WordFinder") -> bool:
        """Whether this fitted finder was fitted as ``wanted`` would be, by its own record of what
        it was fitted with (``params_``) rather than today's presets: a finder saved before a
        default changed is not taken for one fitted with the new default. (``min_count`` derived
        from ``min_proba`` depends on the corpus, so it is not compared.)"""
        self._check()
        asked, fitted = wanted.resolved_params(), dict(self.params_)
        if asked["min_proba"] is not None:
            fitted["min_count"] = asked["min_count"]
        return fitted == asked

    def fit(self, corpus) -> "WordFinder":
        """Discover words in ``corpus`` (two reads of the text: counting, then chunking from a spool).

        ``corpus_fingerprint_`` records which text was counted (see :func:`corpus_fingerprint`), so
        that :meth:`check_corpus` can refuse to score another corpus with these counts."""
        params = self.resolved_params()
        corpus = as_corpus(corpus)
        threads = self._threads()
        self.corpus_fingerprint_ = corpus_fingerprint(corpus)
        with self._counter(params["max_n"], threads) as counter:
            counts = counter.count(corpus)
            min_count = params["min_count"]
            if params["min_proba"] is not None:
                min_count = max(1, math.ceil(params["min_proba"] * counts.n_chars))
            _warn_unreachable(counts, min_count)
            counter.count_contexts(counts, min_count)
            kept = _kept_ngrams(counts, min_count, params["min_pmi"])
            beside = params["min_neighbours"] > 1
            chunks, neighbours = count_chunks(counts, counter, kept, min_count, threads=threads, neighbours=beside)
            if params["inner_chunks"] and counts.max_n > 2:
                # only the long chunks of the second cut: cutting wherever no kept max_n-gram holds,
                # it leaves short fragments such as 放射性废 (of 放射性废物), which would pass the
                # tests and then explain the whole word away
                top = counts.max_n
                inner, inner_neighbours = count_chunks(counts, counter, {top: kept[top]}, min_count, threads=threads,
                                                       neighbours=beside)
                for word, count in inner.items():
                    if len(word) > top and count > chunks.get(word, 0):
                        chunks[word] = count
                        if beside:
                            neighbours[word] = inner_neighbours[word]
        self.counts_ = counts
        self.params_ = {**params, "min_count": min_count}
        self.words_, self.lexicon_ = build_records(counts, chunks, kept, self.params_, neighbours)
        return self

    def _threads(self) -> int:
        """``threads``, checked; more than this machine's cores is capped to them with a warning
        when the counting runs here (a Dask cluster's workers are elsewhere)."""
        if not isinstance(self.threads, (int, np.integer)) or self.threads < 1:
            raise InputError(f"threads must be a positive number of threads, got {self.threads!r}")
        if self.scheduler not in ("local", "processes"):
            return self.threads
        return cap_threads(self.threads, "threads")

    def check_corpus(self, corpus) -> None:
        """Refuse to use these counts on another corpus than the one they were counted on.

        InputError names the corpus counted and what to do. A finder saved before finders recorded
        their corpus (or fitted on an iterable that is neither a Corpus nor a list) cannot be
        checked: a warning says so and its counts are used as they are."""
        self._check()
        what = f"the finder in {self.saved_in_}" if getattr(self, "saved_in_", None) else "the fitted finder"
        counted = getattr(self, "corpus_fingerprint_", None)
        here = corpus_fingerprint(as_corpus(corpus, name="domain corpus"))
        if counted is None:
            log.warning("%s does not record which corpus it counted (saved by an older textmine), so it cannot be "
                        "checked; its counts are used as they are: if it counted another corpus, leave it out "
                        "(--finder) to count this one", what)
            return
        if here is None:
            log.warning("the corpus is neither a Corpus nor a list, so %s cannot be checked against it; its counts "
                        "are used as they are", what)
            return
        if _same_text(counted, here):
            return
        if _hashes(counted) == _hashes(here):
            theirs, ours = counted.get("options", {}), here.get("options", {})
            differ = ", ".join(f"{k} {theirs.get(k)!r} there, {ours.get(k)!r} here"
                               for k in sorted(set(theirs) | set(ours)) if theirs.get(k) != ours.get(k))
            raise InputError(f"{what} counted the same files read with other options ({differ}): its counts "
                             "would score these words wrongly; read them as it did, or leave the finder out "
                             "(--finder) to count this corpus")
        raise InputError(f"{what} counted another corpus ({_describe(counted)}) than this one ({_describe(here)}): "
                         "its counts would score these words wrongly; leave the finder out (--finder) to count "
                         "this corpus, or fit one on it (textmine words CORPUS -o words.tsv --finder DIR)")

    @contextlib.contextmanager
    def _counter(self, max_n: int, threads: int):
        """The counting passes, here or on the Dask cluster ``scheduler`` names; their spooled
        shards are removed on exit."""
        options = dict(max_n=max_n, shard_chars=self.shard_chars, max_keys=self.max_keys)
        with dask_session(self.scheduler, workers=threads, spill_dir=self.spill_dir) as (client, folder):
            if client is not None:
                from textmine.words.dask_counting import DaskCounter

                yield DaskCounter(client, folder, partition_bytes=8 * self.shard_chars, **options)
                return
            spool = _Spool()
            try:
                yield _LocalCounter(spool, threads=threads, progress=self.progress, **options)
            finally:
                spool.close()

    def _check(self):
        if not hasattr(self, "words_"):
            raise NotFittedError("this WordFinder is not fitted yet: call fit(corpus) first")

    def to_tsv(self, path: str | os.PathLike, top: int | None = None) -> None:
        """Write words best first: word, freq, pmi, left_entropy, right_entropy, score (atomic)."""
        self._check()
        write_words_tsv(self.words_[:top], path)

    def to_userdict(self, path: str | os.PathLike, singles: bool = False) -> None:
        """Write a jieba dictionary ("word freq" lines); ``singles`` adds the single characters.

        Without single characters it augments jieba's own dictionary; with them it can replace it
        (``JiebaTokenizer(userdict, replace=True)``), as the segmentation benchmark does.
        """
        self._check()
        write_userdict(self.lexicon_, path, singles=singles)

    def _save_parts(self, folder: Path) -> tuple[dict, dict]:
        """``words.json`` (every word record and the lexicon) and the n-gram count tables as arrays
        (``keys1..keysN``, ``counts1..countsN``; the context tables behind the entropies are not kept)."""
        self._check()
        counts = self.counts_
        write_json(folder / WORDS, {"words": [list(astuple(r)) for r in self.words_], "lexicon": self.lexicon_})
        return ({"resolved": self.params_, "corpus": getattr(self, "corpus_fingerprint_", None),
                 "max_n": counts.max_n, "bits": counts.bits, "n_chars": counts.n_chars, "pruned": counts.pruned,
                 "chars": "".join(counts.index.chars[1:])},
                {f"{kind}{n}": getattr(counts, kind)[n] for n in counts.keys for kind in ("keys", "counts")})

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        """Fitted: its words, lexicon and n-gram counts, and the fingerprint of the corpus it counted."""
        saved = json.loads((folder / WORDS).read_text(encoding="utf-8"))
        self.params_ = {**state["resolved"], "min_pmi": tuple(state["resolved"]["min_pmi"])}
        self.counts_ = NgramCounts(state["max_n"], state["bits"], CharIndex.from_chars(state["chars"]),
                                   n_chars=state["n_chars"], pruned=state["pruned"])
        for n in range(1, state["max_n"] + 1):
            self.counts_.keys[n], self.counts_.counts[n] = arrays[f"keys{n}"], arrays[f"counts{n}"]
        self.words_ = [WordRecord(*row) for row in saved["words"]]
        self.lexicon_ = saved["lexicon"]
        self.corpus_fingerprint_ = state["corpus"]
        self.saved_in_ = str(folder)


def corpus_fingerprint(corpus) -> dict | None:
    """Which text ``corpus`` holds: a Corpus's files (content hashes) and reading options, a list
    of documents' hash; None for other iterables (not read an extra time to find out)."""
    if isinstance(corpus, Corpus):
        return corpus.fingerprint()
    if isinstance(corpus, (list, tuple)):
        digest = hashlib.blake2b(digest_size=16)
        for document in corpus:
            digest.update(str(document).encode("utf-8") + b"\0")
        return {"documents": [len(corpus), digest.hexdigest()]}
    return None


def _hashes(print_: dict) -> list:
    """The content of a fingerprint without paths: file hashes and formats, or the documents' hash."""
    return [entry[1:] for entry in print_["files"]] if "files" in print_ else [print_.get("documents")]


def _same_text(a: dict, b: dict) -> bool:
    """Same content and reading options; the paths may differ (a moved or copied corpus)."""
    return _hashes(a) == _hashes(b) and a.get("options") == b.get("options")


def _describe(print_: dict) -> str:
    if "files" not in print_:
        return f"a list of {print_['documents'][0]} documents"
    names = [entry[0] for entry in print_["files"]]
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more files"


def _warn_unreachable(counts: NgramCounts, min_count: int) -> None:
    """Warn when no word can reach ``min_count``: not even the corpus's commonest character does."""
    largest = int(counts.counts[1].max(initial=0)) if 1 in counts.counts else 0
    if min_count > largest:
        log.warning("min_count %d is above the largest count in this corpus (%d, of its commonest character, "
                    "in %d characters): no word can pass; lower --min-count", min_count, largest, counts.n_chars)


def _kept_ngrams(counts: NgramCounts, min_count: int, min_pmi: tuple[float, ...]) -> dict[int, np.ndarray]:
    """Sorted keys of the n-grams (n >= 2) frequent and cohesive enough to join characters."""
    kept = {}
    for n in range(2, counts.max_n + 1):
        frequent = counts.counts[n] >= min_count
        keys, freq = counts.keys[n][frequent], counts.counts[n][frequent]
        kept[n] = keys[counts.cohesion(n, keys, freq) >= min_pmi[n - 1]]
    return kept


def discover_words(corpus, *, preset: str = "default", progress: bool = False, **params) -> list[WordRecord]:
    """Discover new words in ``corpus``: a list of WordRecord, best first (see :class:`WordFinder`)."""
    return WordFinder(preset, progress=progress, **params).fit(corpus).words_
