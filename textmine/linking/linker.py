"""The entity linker: mentions -> candidates -> calibrated disambiguation -> NIL (docs/algorithms/linking.md).

``fast`` mode proposes mentions by maximal matching over the pruned alias index and scores each
candidate with the link prior, the description, the entity's training contexts and its attribute
profiles (:mod:`textmine.linking.context`); ``accurate`` mode finds mentions with a learned span
model (:mod:`textmine.linking.spans`), trained with the textmine Trainer, as is the optional
cross-encoder scorer (:mod:`textmine.linking.cross`, ``scorers=(..., "cross")``). A
logistic regression fitted on the training links combines the scores; a candidate below the NIL
threshold (chosen on dev) is not linked.

A cross-encoder's scores on its own training texts would be over-confident, so it is cross-fitted:
the training texts are split in two (seeded), a cross-encoder is trained on each half, the combiner
learns from the scores each gives the other half, and new texts get the mean of the two.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
from tqdm.auto import tqdm

from textmine.checks import check_int, check_number, is_int, is_number
from textmine.errors import InputError, NotFittedError
from textmine.linking.combine import SCORERS, Candidates, Combiner, feature_columns, margins
from textmine.linking.context import ContextScorer
from textmine.linking.data import Link, LinkedText
from textmine.linking.index import AliasIndex
from textmine.linking.kb import NIL, KnowledgeBase
from textmine.persist import Saved

__all__ = ["EntityLinker", "MODES", "Query"]

log = logging.getLogger(__name__)

#: mode -> (scorers, mention detection). The cross-encoder is not in "accurate" by default: measured on
#: el-poets at CPU budgets it lowered F1 on shared names (BENCHMARKS.md); add it with scorers=.
MODES = {"fast": (("prior", "description", "context", "attributes"), "match"),
         "accurate": (("prior", "description", "context", "attributes"), "span")}
#: Characters of a text searched for mentions at once, and mentions decided at once (see link_texts):
#: a 10-million-character line took 5.9 GB decided whole.
WINDOW = 1 << 16
BATCH = 4096

#: A mention to decide: (text, offset, mention string, gold KB position or -1).
Query = tuple[str, int, str, int]


def _settable(option: str) -> list[str]:
    """The settings ``cross`` or ``spans`` may hold: the model's own parameters, less those the linker
    passes itself (a misspelt key would otherwise be a TypeError deep in training)."""
    if option == "cross":
        from textmine.linking.cross import CrossEncoder as model
    else:
        from textmine.linking.spans import SpanDetector as model
    return [name for name in inspect.signature(model).parameters if name not in ("seed", "device", "progress")]


class EntityLinker(Saved):
    """Link mentions in raw text to a knowledge base; train on a few thousand annotated links.

    Parameters
    ----------
    mode : {"fast", "accurate"}
        ``fast``: maximal matching and CPU scorers, no neural network. ``accurate``: the learned span
        model finds the mentions (GPU when there is one).
    scorers : tuple of str or None
        Override the mode's scorers (``prior``, ``description``, ``context``, ``attributes``,
        ``cross``: the cross-encoder, GPU when there is one); also for ablations.
    mentions : {"match", "span"} or None
        Override the mode's mention detection: maximal matching over the pruned index, or the learned
        span model (:class:`~textmine.linking.spans.SpanDetector`).
    prune_ratio, smoothing : see :class:`~textmine.linking.AliasIndex`.
    window, ngram, min_df : see :class:`~textmine.linking.context.ContextScorer`.
    C : float
        Inverse L2 strength of the combiner.
    hide : float
        Share of the linked entities that play "never linked" when the combiner's training features
        are made (their links and contexts hidden from their own mentions). Without it the combiner
        never sees a right answer that has no training contexts, and new texts bring many.
    nil_threshold : float or None
        Best-candidate probability under which a mention is NIL; ``None`` chooses it on ``dev`` (or on
        the training links held out one at a time when there is no dev).
    cross, spans : dict or None
        Keyword arguments of :class:`~textmine.linking.cross.CrossEncoder` (architecture, steps, ...) and
        of :class:`~textmine.linking.spans.SpanDetector`.
    seed : int
    device : str or None
        See :func:`textmine.neural.choose_device`.
    progress : bool
    """

    def __init__(self, mode: str = "fast", *, scorers: Sequence[str] | None = None, mentions: str | None = None,
                 prune_ratio: float = 5.0,
                 smoothing: float = 1.0, window: int = 64, ngram: tuple[int, int] = (1, 2), min_df: int = 2,
                 C: float = 1.0, hide: float = 0.15, nil_threshold: float | None = None,
                 cross: dict | None = None, spans: dict | None = None, seed: int = 0, device: str | None = None,
                 progress: bool = False):
        self.mode, self.scorers, self.mentions, self.prune_ratio, self.smoothing = (mode, scorers, mentions,
                                                                                    prune_ratio, smoothing)
        self.window, self.ngram, self.min_df, self.C, self.nil_threshold = window, ngram, min_df, C, nil_threshold
        self.hide = hide
        self.cross, self.spans, self.seed = cross, spans, seed
        self.device, self.progress = device, progress

    # ------------------------------------------------------------------ checks
    def _scorers(self) -> tuple[str, ...]:
        if self.mode not in MODES:
            raise InputError(f"mode={self.mode!r}; expected one of {', '.join(MODES)}")
        scorers = tuple(self.scorers) if self.scorers is not None else MODES[self.mode][0]
        unknown = [s for s in scorers if s not in SCORERS]
        if unknown or "prior" not in scorers:
            raise InputError(f"scorers={scorers}: expected 'prior' and any of {', '.join(SCORERS)}")
        return scorers

    def _mentions(self) -> str:
        mentions = self.mentions or MODES[self.mode][1]
        if mentions not in ("match", "span"):
            raise InputError(f"mentions={mentions!r}; expected 'match' or 'span'")
        return mentions

    def _check_params(self) -> None:
        """Refuse settings out of range before any work, naming the parameter (and the CLI option)."""
        if not is_number(self.prune_ratio) or not self.prune_ratio > 0:
            raise InputError(f"prune_ratio (--prune-ratio) must be a number above 0 (inf: no pruning), "
                             f"got {self.prune_ratio!r}")
        check_number("smoothing", self.smoothing, 0.0, np.inf, open_low=True)
        check_number("C", self.C, 0.0, 1e12, open_low=True)
        check_number("hide", self.hide, 0.0, 1.0)
        if self.nil_threshold is not None:             # above 1: everything NIL, a tested use
            check_number("nil_threshold", self.nil_threshold, -np.inf, np.inf)
        check_int("window", self.window, 1, 10_000, "characters")
        check_int("min_df", self.min_df, 1, 1_000_000, "texts")
        ngram = tuple(self.ngram) if isinstance(self.ngram, (tuple, list)) else ()
        if len(ngram) != 2 or not all(is_int(n) for n in ngram) or not 1 <= ngram[0] <= ngram[1] <= 10:
            raise InputError(f"ngram must be (low, high) character n-gram sizes with 1 <= low <= high <= 10, "
                             f"got {self.ngram!r}")
        for option, settings, flag in (("cross", self.cross, "--cross-steps"), ("spans", self.spans, "--span-steps")):
            if settings is not None and not isinstance(settings, dict):
                raise InputError(f"{option} must be a dict of keyword arguments, got {settings!r}")
            allowed = _settable(option) if settings else []
            if unknown := sorted(set(settings or ()) - set(allowed)):
                raise InputError(f"{option} has no setting {', '.join(map(repr, unknown))}; "
                                 f"it takes {', '.join(allowed)}")
            if settings and "steps" in settings:
                check_int(f"{option}['steps'] ({flag})", settings["steps"], 1, 100_000_000, "training steps")

    def _check(self) -> None:
        if not hasattr(self, "combiner_"):
            raise NotFittedError("EntityLinker is not trained; call fit(kb, texts) or EntityLinker.load(folder)")

    # ------------------------------------------------------------------ training
    def fit(self, kb: KnowledgeBase, texts: Sequence[LinkedText], dev: Sequence[LinkedText] | None = None, *,
            out_dir: str | os.PathLike | None = None) -> "EntityLinker":
        """Build the alias index and scorers from ``kb`` and the annotated ``texts``, fit the combiner,
        and choose the NIL threshold on ``dev``. With no linked mentions in ``texts`` (a KB alone),
        mentions are linked by the KB-intrinsic prior (a subject before an alias), never NIL.

        ``out_dir`` receives the checkpoints of the span model and cross-encoders (a temporary folder
        if None).
        Holds the training texts' contexts in memory: one sparse row per mention.
        """
        scorers, mentions = self._scorers(), self._mentions()
        self._check_params()
        if isinstance(texts, (str, LinkedText)) or iter(texts) is texts:
            raise InputError("texts must be a list of LinkedText (see textmine.linking.load_texts), not a one-shot "
                             "iterator: training reads them several times")
        texts = list(texts)
        for text in texts:
            for m in text.mentions:
                if m.kb_id != NIL and m.kb_id not in kb:
                    raise InputError(f"text {text.text_id}: mention {m.mention!r} at {m.offset} links to "
                                     f"{m.kb_id!r}, which is not in the knowledge base {kb.source}")
        self.kb_ = kb
        self.index_ = AliasIndex(prune_ratio=self.prune_ratio, smoothing=self.smoothing).fit(kb, texts)
        queries = _gold_queries(kb, texts)
        linked = [q for q in queries if q[3] >= 0]
        gold_entities = np.unique(np.array([q[3] for q in linked], np.int64))
        self.hidden_ = np.zeros(len(kb), bool)
        n_hidden = int(self.hide * len(gold_entities))
        self.hidden_[np.random.default_rng([self.seed, 1]).permutation(gold_entities)[:n_hidden]] = True
        context = ContextScorer(ngram=tuple(self.ngram), window=self.window, min_df=self.min_df)
        self.context_ = context.fit(kb, [context.window_of(t, o, len(n)) for t, o, n, _ in linked],
                                    [q[3] for q in linked])
        if mentions == "span":
            from textmine.linking.spans import SpanDetector

            with _training_dir(out_dir, "span_training") as folder:
                self.spans_ = SpanDetector(**(self.spans or {}), seed=self.seed, device=self.device,
                                           progress=self.progress).fit(self.index_, texts, folder)
        cross = None
        if "cross" in scorers and linked:
            queries, cross = self._fit_cross(texts, out_dir)
        if not linked:                        # a KB alone: nothing to weigh the scorers with
            log.info("no training links: linking by the KB-intrinsic prior alone")
            self.combiner_, self.threshold_ = None, 0.0
            return self
        table = self._table(queries, training=True, cross=cross)
        labels = _labels(queries, table)
        self.combiner_ = Combiner(feature_columns(scorers), C=self.C).fit(table, labels, seed=self.seed)
        if self.nil_threshold is not None:
            self.threshold_ = float(self.nil_threshold)
        elif dev:
            self.threshold_ = self._threshold_on(_gold_queries(kb, dev))
        else:
            self.threshold_ = self._threshold_on(queries, table)
        return self

    def _fit_cross(self, texts: list[LinkedText], out_dir) -> tuple[list[Query], np.ndarray]:
        """Train a cross-encoder on each half of ``texts``; return the training queries (half by half)
        and, for their candidate pairs, the score of the encoder that did not see them."""
        from textmine.linking.cross import CrossEncoder

        order = np.random.default_rng(self.seed).permutation(len(texts))
        halves = [_gold_queries(self.kb_, [texts[i] for i in order[k::2]]) for k in (0, 1)]
        tables = [self._table(half, training=True) for half in halves]
        self.cross_ = []
        for k in (0, 1):
            queries, table = halves[1 - k], tables[1 - k]
            labels = _labels(queries, table)
            encoder = CrossEncoder(**(self.cross or {}), seed=self.seed + k, device=self.device,
                                   progress=self.progress)
            with _training_dir(out_dir, f"cross_training_{k}") as folder:
                self.cross_.append(encoder.fit(self.kb_, _pairs(queries, table), labels, folder))
        scores = [self.cross_[k].score(_pairs(halves[k], tables[k])) for k in (0, 1)]
        return halves[0] + halves[1], np.concatenate(scores)

    # ------------------------------------------------------------------ scoring
    def _context_window(self, query: Query) -> str:
        text, offset, name, _ = query
        return self.context_.window_of(text, offset, len(name))

    def _table(self, queries: Sequence[Query], *, training: bool = False, cross: np.ndarray | None = None
               ) -> Candidates:
        """Candidate pairs and features of ``queries``; ``training`` scores them leave-one-out, and
        the gold entities drawn into ``hidden_`` as if they had never been linked. ``cross`` gives
        the cross-encoder scores of the pairs (else the trained encoders' mean, if any)."""
        index = self.index_
        hidden = self.hidden_ if training else np.zeros(len(self.kb_), bool)
        mention, entity, gold_of_pair = [], [], []
        prior, links, subject, n_cands = [], [], [], []
        for q, (_, _, name, gold) in enumerate(queries):
            nid = index.name_id(name)
            if nid is None:
                continue
            cands = index.candidates(nid)
            held = None
            if training and gold >= 0:
                hit = np.flatnonzero(cands == gold)
                held = int(hit[0]) if len(hit) else None
            mention.extend([q] * len(cands))
            entity.extend(cands)
            gold_of_pair.extend([gold if training else -1] * len(cands))
            hide = bool(held is not None and hidden[gold])
            prior.extend(index.priors(nid, held, hide=hide))
            links.extend(index.links(nid, held, hide=hide))
            subject.extend(index.is_subject_[index.rows(nid)])
            n_cands.extend([len(cands)] * len(cands))
        mention, entity = np.array(mention, np.int64), np.array(entity, np.int64)
        features = {"log_prior": np.log(np.array(prior, np.float64) + 1e-6), "log_links": np.log1p(links),
                    "is_subject": np.array(subject, np.float64), "log_candidates": np.log(np.array(n_cands, float))}
        X = self.context_.transform([self._context_window(q) for q in queries])
        gold_of_pair = np.array(gold_of_pair, np.int64)
        features.update(self.context_.scores(X, mention, entity, gold_of_pair,
                                             hidden[entity] & (gold_of_pair == entity)))
        if cross is not None:
            features["cross"] = cross
        elif hasattr(self, "cross_"):
            table = Candidates(mention, entity, {}, len(queries))
            features["cross"] = np.mean([encoder.score(_pairs(queries, table)) for encoder in self.cross_], axis=0)
        columns = feature_columns(self._scorers())
        for column in list(features):
            if column + "_margin" in columns:
                features[column + "_margin"] = margins(features[column], mention, len(queries))
        return Candidates(mention, entity, features, len(queries))

    def _decide(self, queries: Sequence[Query], table: Candidates | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per query: the KB position of its most probable candidate (-1: none) and that probability."""
        table = self._table(queries) if table is None else table
        row, top = table.best(self.combiner_.probability(table))
        return np.where(row >= 0, table.entity[np.maximum(row, 0)], -1), top

    def _threshold_on(self, queries: Sequence[Query], table: Candidates | None = None) -> float:
        chosen, top = self._decide(queries, table)
        gold = np.array([q[3] for q in queries], np.int64)
        return _choose_threshold(top, (chosen == gold) & (chosen >= 0), int((gold >= 0).sum()))

    # ------------------------------------------------------------------ linking
    def detect(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """Mention spans (start, end) of each text: the span model's, or maximal matching over the
        pruned alias index."""
        self._check()
        found: list[list[tuple[int, int]]] = [[] for _ in texts]
        for t, spans, _ in self._found(list(texts), WINDOW):
            found[t].extend(spans)
        return found

    def iter_spans(self, text: str, window: int = WINDOW) -> Iterator[tuple[int, int]]:
        """The mention spans of :meth:`detect` for one text, in order, found ``window`` characters at
        a time (whole pieces of the span model's), so a long text costs one window's memory."""
        for spans, _ in self._windows(text, window):
            yield from spans

    def _found(self, texts: Sequence[str], window: int) -> Iterator[tuple[int, list[tuple[int, int]], int]]:
        """(text index, mention spans, how far into the text) per window of every text, texts in order.
        The span model reads short texts together, up to ``window`` characters per call."""
        if not hasattr(self, "spans_"):
            for t, text in enumerate(texts):
                for spans, reach in self._windows(text, window):
                    yield t, spans, reach
            return
        group: list[int] = []                                  # short texts waiting, under `window` characters

        def detected() -> Iterator[tuple[int, list[tuple[int, int]], int]]:
            found = self.spans_.detect([texts[t] for t in group]) if group else []
            yield from ((t, spans, len(texts[t])) for t, spans in zip(group, found))
            group.clear()

        size = 0
        for t, text in enumerate(texts):
            if len(text) > window:
                yield from detected()
                for spans, reach in self._windows(text, window):
                    yield t, spans, reach
                size = 0
                continue
            group.append(t)
            size += len(text)
            if size >= window:
                yield from detected()
                size = 0
        yield from detected()

    def _windows(self, text: str, window: int) -> Iterator[tuple[list[tuple[int, int]], int]]:
        """Per window of ``text``: its mention spans (offsets in the whole text), and how far into the
        text it reaches.

        Maximal matching carries the last match over from window to window and reads past a window's
        end by the longest name (:meth:`AliasIndex.iter_maximal_matches`), so a name across a window
        edge is found once; the span model reads pieces of ``max_len`` characters that never cross a
        piece boundary, so its windows are cut at those."""
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise InputError(f"window must be a positive number of characters, got {window!r}")
        if hasattr(self, "spans_"):
            size = max(window // self.spans_.max_len, 1) * self.spans_.max_len
            for first in range(0, len(text), size):
                piece = text[first: first + size]
                yield [(first + a, first + b) for a, b in self.spans_.detect([piece])[0]], first + len(piece)
            return
        spans, bound = [], window
        for start, end, _ in self.index_.iter_maximal_matches(text, window=window):
            if start >= bound:
                yield spans, bound
                spans, bound = [], (start // window + 1) * window
            spans.append((start, end))
        yield spans, len(text)

    def link_queries(self, queries: Sequence[Query], *, method: str = "model") -> list[Link]:
        """Decide a KB entity (or NIL) for each query; ``method="prior"`` is the prior-only baseline
        (the candidate with most training links, never NIL)."""
        self._check()
        if method == "prior" or self.combiner_ is None:
            return [self._prior_link(q) for q in queries]
        if method != "model":
            raise InputError(f"method={method!r}; expected 'model' or 'prior'")
        chosen, top = self._decide(queries)
        return [Link(name, offset, self.kb_[int(e)].id if e >= 0 and p >= self.threshold_ else NIL, float(p))
                for (_, offset, name, _), e, p in zip(queries, chosen, top)]

    def _prior_link(self, query: Query) -> Link:
        _, offset, name, _ = query
        nid = self.index_.name_id(name)
        if nid is None:
            return Link(name, offset, NIL, 0.0)
        priors = self.index_.priors(nid)
        best = int(np.argmax(priors))
        return Link(name, offset, self.kb_[int(self.index_.candidates(nid)[best])].id, float(priors[best]))

    def link_texts(self, texts: Sequence[LinkedText], *, gold_mentions: bool = False, method: str = "model",
                   progress: bool | None = None, window: int = WINDOW) -> list[LinkedText]:
        """Link a batch of texts (faster than one by one). ``gold_mentions=True`` keeps each text's
        mentions and only decides their kb_id; otherwise mentions are detected first.

        Texts are read ``window`` characters at a time and their mentions decided ``BATCH`` at a time,
        so a text of ten million characters costs memory for one window, one batch and its links
        (offsets stay those of the whole text; the links are those of reading it whole). ``progress``
        (default: the linker's) shows the characters read.
        """
        self._check()
        if method not in ("model", "prior"):
            raise InputError(f"method={method!r}; expected 'model' or 'prior'")
        if isinstance(texts, (str, LinkedText)):
            raise InputError("texts must be a list of LinkedText; use link(text) for one string")
        texts = list(texts)
        grouped: list[list[Link]] = [[] for _ in texts]
        queries: list[Query] = []
        owner: list[int] = []

        def flush() -> None:
            for t, link in zip(owner, self.link_queries(queries, method=method)):
                grouped[t].append(link)
            queries.clear()
            owner.clear()

        show = self.progress if progress is None else progress
        with tqdm(total=sum(len(text.text) for text in texts), desc="linking", unit=" chars", unit_scale=True,
                  disable=not show) as bar:
            found = (((t, [(m.offset, m.end) for m in text.mentions], len(text.text)) for t, text in enumerate(texts))
                     if gold_mentions else self._found([text.text for text in texts], window))
            last, done = -1, 0
            for t, spans, reach in found:
                text = texts[t].text
                for start, end in spans:
                    queries.append((text, start, text[start:end], -1))
                    owner.append(t)
                    if len(queries) >= BATCH:
                        flush()
                done = 0 if t != last else done
                bar.update(reach - done)
                last, done = t, reach
            flush()
        return [LinkedText(text.text_id, text.text, tuple(links)) for text, links in zip(texts, grouped)]

    def link(self, text: str) -> list[Link]:
        """Mentions found in ``text`` with their entity (``"NIL"`` below the threshold) and probability."""
        if not isinstance(text, str):
            raise InputError(f"link() takes one text as a str, got {type(text).__name__}; use link_texts for many")
        return list(self.link_texts([LinkedText("0", text)])[0].mentions)

    # ------------------------------------------------------------------ persistence
    def _save_parts(self, folder: Path) -> tuple[dict, dict]:
        """``kb.jsonl``, ``index/``, ``context/`` and, in accurate mode, ``spans/``; with the
        cross-encoder scorer, ``cross0/`` and ``cross1/``."""
        self._check()
        self.kb_.save(folder / "kb.jsonl")
        self.index_.save(folder / "index")
        self.context_.save(folder / "context")
        for k, encoder in enumerate(getattr(self, "cross_", ())):
            encoder.save(folder / f"cross{k}")
        if hasattr(self, "spans_"):
            self.spans_.save(folder / "spans")
        return {"combiner": self.combiner_ and self.combiner_.to_json(), "threshold": self.threshold_}, {}

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        self.kb_ = KnowledgeBase.load(folder / "kb.jsonl")
        self.index_ = AliasIndex.load(folder / "index")
        self.context_ = ContextScorer.load(folder / "context")
        if (folder / "cross0").is_dir():
            from textmine.linking.cross import CrossEncoder

            self.cross_ = [CrossEncoder.load(folder / f"cross{k}", device=self.device) for k in (0, 1)]
            for encoder in self.cross_:
                encoder.kb_ = self.kb_
        if (folder / "spans").is_dir():
            from textmine.linking.spans import SpanDetector

            self.spans_ = SpanDetector.load(folder / "spans", device=self.device)
            self.spans_.index_ = self.index_
        self.combiner_ = Combiner.from_json(state["combiner"]) if state["combiner"] else None
        self.threshold_ = state["threshold"]


@contextlib.contextmanager
def _training_dir(out_dir, name: str):
    """``out_dir/name`` for a neural model's checkpoints, or a temporary folder when out_dir is None."""
    if out_dir is not None:
        yield Path(out_dir) / name
        return
    with tempfile.TemporaryDirectory(prefix="textmine-link-") as tmp:
        yield Path(tmp)


def _labels(queries: Sequence[Query], table: Candidates) -> np.ndarray:
    """1 for each candidate pair that is its query's gold entity, else 0."""
    return (table.entity == np.array([q[3] for q in queries], np.int64)[table.mention]).astype(int)


def _pairs(queries: Sequence[Query], table: Candidates) -> list[tuple[Query, int]]:
    return [(queries[m], int(e)) for m, e in zip(table.mention, table.entity)]


def _gold_queries(kb: KnowledgeBase, texts: Sequence[LinkedText]) -> list[Query]:
    return [(t.text, m.offset, m.mention, kb.position(m.kb_id) if m.kb_id in kb else -1)
            for t in texts for m in t.mentions]


def _choose_threshold(best: np.ndarray, correct: np.ndarray, n_gold: int) -> float:
    """The NIL threshold with the best micro F1, halfway down to the next lower probability (so a
    slightly less sure mention on new data is not cut off by a threshold sitting on a dev value)."""
    if not len(best) or n_gold == 0:
        return 0.5
    order = np.argsort(-best, kind="stable")
    tp = np.cumsum(correct[order])
    predicted = np.arange(1, len(best) + 1)
    f1 = 2 * tp / (predicted + n_gold)
    # only cut between distinct probabilities
    last_of_value = np.r_[best[order][1:] != best[order][:-1], True]
    k = int(np.argmax(np.where(last_of_value, f1, -1)))
    below = best[order][k + 1] if k + 1 < len(best) else 0.0
    return float((best[order][k] + below) / 2)
