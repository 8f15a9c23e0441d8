"""Question-answer pair generation with a UniLM BERT (docs/algorithms/qa.md).

The model reads ``[CLS] passage [SEP] answer [SEP] question [SEP]`` and learns p(answer, question |
passage), answer first. Generation samples answers top-k (k=5, for diversity) constrained by default
to substrings of the passage (a prefix trie over the passage's tokens), then writes each answer's
question by beam search. Texts are encoded one character per token (the Chinese BERT way): every
answer token run then maps back to an exact slice of the passage, so a constrained answer is
returned as the passage's own characters, never as re-joined WordPieces or ``[UNK]``. By default
the model has a copy head (:class:`textmine.neural.CopyHead`), so questions can reuse the passage's
names even where the vocabulary-trained softmax would not.

With a ``lexicon`` (a jieba user dictionary, such as the words stage's userdict.txt) answers are
further constrained to start and end at word boundaries of the passage, segmented by jieba with
that lexicon: otherwise the sampled span may start or end inside a word (最佳人 from 最佳人寿保险).
Trained with a dev set, the generator keeps the weights of the best dev evaluation
(the trainer's ``best/``), not the last ones.

Passages longer than ``max_passage`` characters are cut at sentence punctuation into pieces
(:func:`textmine.qa.data.iter_passage_pieces`); each piece is generated from separately and the best
``n_pairs`` of all pieces are kept, so long documents never crash the model's position limit. The
pieces are cut as the passage is read and decoded a bounded number at a time, a passage keeping
only its best pairs in between: a document of ten million characters runs in the memory of a short
one, and the progress bar counts its pieces.

:meth:`QAGenerator.generate_many` decodes passages in batches: each piece is encoded once
(:class:`textmine.neural.EncodedSources`) and read by its answer samples and by every answer's
question beam, and each decoding step runs the rows of all pieces in one model call
(:func:`textmine.neural.generate_batch`). A passage gets the pairs it gets alone: each piece draws
its answers from its own random generator (the seed, and the piece's rank in its passage), so the
pieces of one long document are decoded together too.
"""

from __future__ import annotations

import copy
import inspect
import itertools
import logging
import os
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Literal, NamedTuple, Sequence, get_args

import numpy as np
import torch
from tqdm.auto import tqdm

from textmine.checks import check_int, check_number, check_share
from textmine.errors import InputError, NotFittedError
from textmine.persist import CONFIG, Saved, write_config
from textmine.neural import (EncodedSources, PrefixTrie, Seq2Seq, Seq2SeqStepper, corpus_tokens, generate_batch,
                             make_generator)
from textmine.qa.data import MAX_BATCH, QAExample, check_counts, iter_passage_pieces, word_bounds

__all__ = ["FILTERS", "QAGenerator"]

log = logging.getLogger(__name__)

Answers = Literal["any", "tagged"]    # what runs of the passage an answer may be (see QAGenerator)
ANSWERS = get_args(Answers)
#: the settings that filter what generation keeps: changed per call by QAGenerator.with_settings
FILTERS = ("constrain", "min_overlap", "round_trip", "answers")


class _Piece(NamedTuple):
    """A piece of a passage (:func:`~textmine.qa.data.passage_pieces`): the passage's index, the
    piece's rank in it, its text, and its token ids with their character offsets."""

    doc: int
    rank: int
    text: str
    ids: list[int]
    offsets: list[int]

    @property
    def span(self) -> tuple[str, list[int], list[int]]:
        return self.text, self.ids, self.offsets


class QAGenerator(Saved):
    """Generate (answer, question) pairs from passages; train on :class:`~textmine.qa.data.QAExample`.

    Parameters
    ----------
    config : {"tiny", "small", "base"} or dict
        Architecture of a random-weight BERT (ignored when ``bert_dir`` is given).
    bert_dir : path or None
        A local Hugging Face BERT folder to start from (pre-trained weights, offline).
    vocab : "corpus", "full", path or None
        Vocabulary of a random-weight model: ``"corpus"`` = the Chinese BERT tokens the training data
        uses (:func:`textmine.neural.corpus_tokens`; ~3k instead of 21k, trains faster), a
        ``vocab.txt``, or ``"full"`` (or None) = the whole 21,128-token Chinese BERT vocabulary.
    copy : bool
        Give the model a pointer head that copies passage tokens (:class:`textmine.neural.CopyHead`).
    max_passage, max_answer, max_question : int
        Longest passage / answer / question in tokens (characters).
    steps, batch_size, lr, warmup, ema_decay : training (see :class:`textmine.neural.Trainer`).
    top_k : int
        Answer sampling keeps the ``top_k`` likeliest next tokens.
    beam_size : int
        Beam width for questions.
    length_penalty : float
        Questions are ranked by log-probability / length ** ``length_penalty`` (0 favours short ones).
    constrain : bool
        Answers must be substrings of the passage.
    min_overlap : float
        Drop a pair whose question has less than this share of its content words in its passage
        (:func:`textmine.qa.grounding.overlap`; 0 keeps every pair): questions about another domain.
    round_trip : bool
        Drop a pair whose answer is not in the passage sentence nearest its question
        (:func:`textmine.qa.grounding.answerable`).
    lexicon : path, "jieba" or None
        A jieba user dictionary ("word [freq [pos]]" lines), or "jieba" for jieba's own dictionary
        alone; when given (and ``constrain``), answers are whole words or runs of whole words of the
        passage, as jieba segments it with this lexicon added to its own dictionary.
    answers : {"any", "tagged"}
        With ``constrain``, the runs of the passage an answer may be: any (or whole words with a
        ``lexicon``), or "tagged": the names, numbers and dates, and nouns of two or more characters
        that jieba's tagger marks (the answers of the cloze pairs, :func:`textmine.qa.synthetic.tagged_spans`),
        any run where a piece has none.
    seed : int
    device : str or None
        See :func:`textmine.neural.choose_device`.
    """

    def __init__(self, config="small", *, bert_dir: str | os.PathLike | None = None,
                 vocab: str | os.PathLike | None = "corpus", copy: bool = True, max_passage: int = 128,
                 max_answer: int = 16, max_question: int = 32, steps: int = 1000, batch_size: int = 16,
                 lr: float = 3e-4, warmup: float = 0.05, ema_decay: float | None = 0.999, top_k: int = 5,
                 beam_size: int = 4, length_penalty: float = 1.0, constrain: bool = True,
                 min_overlap: float = 0.5, round_trip: bool = True,
                 lexicon: str | os.PathLike | None = None, answers: Answers = "any", seed: int = 0, device: str | None = None,
                 progress: bool = False):
        self.config, self.bert_dir, self.vocab, self.copy = config, bert_dir, vocab, copy
        self.max_passage, self.max_answer, self.max_question = max_passage, max_answer, max_question
        self.steps, self.batch_size, self.lr, self.warmup, self.ema_decay = steps, batch_size, lr, warmup, ema_decay
        self.top_k, self.beam_size, self.length_penalty, self.constrain = top_k, beam_size, length_penalty, constrain
        if answers not in ANSWERS:
            raise InputError(f"answers={answers!r}; expected one of {', '.join(ANSWERS)}")
        self.min_overlap, self.round_trip, self.lexicon, self.answers = min_overlap, round_trip, lexicon, answers
        self.seed, self.device, self.progress = seed, device, progress

    # ---------------------------------------------------------------- encoding
    def _encode(self, text: str) -> tuple[list[int], list[int]]:
        """Token ids of ``text`` one per non-space character, and each token's character offset."""
        if getattr(self, "_vocab_of", None) is not self.model_:           # tokenizer.vocab copies the dict
            self._vocab, self._vocab_of = self.model_.tokenizer.get_vocab(), self.model_
        vocab, unk = self._vocab, self.model_.tokenizer.unk_token_id
        ids, offsets = [], []
        for i, ch in enumerate(text):
            if ch.isspace() or unicodedata.category(ch).startswith("C"):
                continue
            ids.append(vocab.get(ch, vocab.get(ch.lower(), unk)))
            offsets.append(i)
        return ids, offsets

    def _source(self, passage: str) -> list[int]:
        ids, _ = self._encode(passage)
        return [self.model_.cls_id, *ids[: self.max_passage], self.model_.sep_id]

    def _target(self, answer: str, question: str) -> list[int]:
        sep = self.model_.sep_id
        return [*self._encode(answer)[0][: self.max_answer], sep, *self._encode(question)[0][: self.max_question], sep]

    def _text(self, ids: Sequence[int]) -> str:
        tokens = self.model_.tokenizer.convert_ids_to_tokens([int(i) for i in ids])
        return "".join(t[2:] if t.startswith("##") else t for t in tokens)

    def _copied_text(self, piece: str, ids: list[int], offsets: list[int], tokens: Sequence[int]) -> str | None:
        """``tokens`` as text, each longest run of them that the passage holds written as the passage
        writes it (Debian, not the vocabulary's debian; “ ” where the vocabulary has [UNK]); None
        when an [UNK] is left over, a character the question cannot spell."""
        tokens, unk = [int(t) for t in tokens], self.model_.tokenizer.unk_token_id
        where: dict[int, list[int]] = {}
        for j, token in enumerate(ids):
            where.setdefault(token, []).append(j)
        out, i = [], 0
        while i < len(tokens):
            best, at = 0, -1
            for j in where.get(tokens[i], ()):
                n = 1
                while i + n < len(tokens) and j + n < len(ids) and ids[j + n] == tokens[i + n]:
                    n += 1
                if n > best:
                    best, at = n, j
            if best:
                out.append(piece[offsets[at]: offsets[at + best - 1] + 1])
                i += best
            elif tokens[i] == unk:
                return None
            else:
                out.append(self._text(tokens[i: i + 1]))
                i += 1
        return "".join(out)

    # ---------------------------------------------------------------- training
    def _build(self, examples: Sequence[QAExample], texts: Sequence[str] = ()) -> Seq2Seq:
        positions = 2 + self.max_passage + self.max_answer + self.max_question + 2
        if self.bert_dir is not None:
            model = Seq2Seq.from_bert_folder(self.bert_dir, copy=self.copy)
            if model.max_length < positions:
                raise InputError(f"BERT folder {self.bert_dir} has {model.max_length} positions but "
                                 f"max_passage + max_answer + max_question + 4 = {positions}")
            return model
        vocab = None if self.vocab == "full" else self.vocab
        if vocab == "corpus":
            vocab = corpus_tokens(itertools.chain((text for e in examples for text in (e.passage, e.answer, e.question)),
                                                  texts))
        return Seq2Seq.build(self.config, vocab, max_positions=max(positions, 64), seed=self.seed, copy=self.copy)

    def fit(self, examples: Sequence[QAExample], out_dir: str | os.PathLike, *,
            dev: Sequence[QAExample] | None = None, masked_lm: Sequence[str] = (),
            resume: bool = True) -> "QAGenerator":
        """Train on ``examples``; checkpoints, metrics and the model go to ``out_dir``.

        ``masked_lm`` texts (unlabelled passages of the target domain) join the training rows as
        masked-LM rows (:meth:`textmine.neural.Seq2Seq.collate`), so the encoder also learns to
        read that text; their number among the examples sets their share of each batch.

        With ``dev`` examples the trainer evaluates the dev loss five times, and the generator ends
        holding the best of those weights (``out_dir/best``), which :meth:`load` also picks; without,
        the last (EMA) weights (``out_dir/model``). ``resume=True`` continues an interrupted run
        from ``out_dir/checkpoint/``.
        """
        from textmine.neural.train import Trainer

        self._check_training()
        if not examples:
            raise InputError("no training examples; expected at least one {passage, answer, question}")
        self.model_ = self._build(examples, masked_lm)
        self.with_answers_ = any(e.answer for e in examples)
        items = [(self._source(e.passage), self._target(e.answer, e.question)) for e in examples]
        items += [(self._source(text), []) for text in masked_lm]
        dev_items = [(self._source(e.passage), self._target(e.answer, e.question)) for e in dev] if dev else None
        trainer = Trainer(out_dir, max_steps=self.steps, batch_size=self.batch_size, lr=self.lr,
                          warmup=self.warmup, ema_decay=self.ema_decay, eval_every=max(self.steps // 5, 1),
                          seed=self.seed, device=self.device, progress=self.progress, log_every=10)
        self.train_result_ = trainer.fit(self.model_, items, self.model_.collate, dev_data=dev_items, resume=resume)
        best = Path(out_dir) / "best"                                  # also there when a resumed run had no steps left
        self.weights_ = "best" if self.train_result_.best_step is not None and best.is_dir() else "model"
        if self.weights_ == "best":
            self.model_ = Seq2Seq.load(best).to(next(self.model_.parameters()).device)
        self.model_.eval()
        write_config(out_dir, type(self).__name__, self.saved_params(), self._state())  # beside model/, best/
        return self

    # ---------------------------------------------------------------- persistence
    def _save_parts(self, folder: Path) -> tuple[dict, dict]:
        """``model/``, the BERT folder; the settings go to ``textmine.json`` (:mod:`textmine.persist`)."""
        self._check()
        self.model_.save(folder / "model")
        self.weights_ = "model"
        return self._state(), {}

    def _state(self) -> dict:
        return {"with_answers": self.with_answers_, "weights": self.weights_}

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        from textmine.neural import choose_device

        self.with_answers_, self.weights_ = state["with_answers"], state["weights"]
        if not (folder / self.weights_).is_dir():
            raise InputError(f"model folder {folder} has no {self.weights_}/ folder, which its {CONFIG} names as "
                             "the weights to use; the run is incomplete (train it again or resume it)")
        self.model_ = Seq2Seq.load(folder / self.weights_).to(choose_device(self.device)).eval()

    def _check(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError("QAGenerator is not trained; call fit() or QAGenerator.load(run_dir)")

    # ---------------------------------------------------------------- generation
    def question(self, passage: str, answer: str = "") -> tuple[str, float]:
        """The beam-search question for a given ``answer`` ('' for passage -> question models), with
        its log-probability."""
        self._check()
        sources = EncodedSources(self.model_, [self._source(passage)])
        hyps = self._questions(sources, [0], [self._encode(answer)[0][: self.max_answer]], 1)[0]
        if not hyps:
            return "", float("-inf")
        ids, offsets = self._encode(passage)
        text = self._copied_text(passage, ids[: self.max_passage], offsets[: self.max_passage], hyps[0].tokens)
        return (self._text(hyps[0].tokens) if text is None else text), hyps[0].score

    def _questions(self, sources: EncodedSources, contexts: Sequence[int], answers: Sequence[Sequence[int]],
                   n: int) -> list[list]:
        """The ``n`` best beam-search questions (hypotheses) after each of ``answers`` (token ids), the
        one of source ``contexts[i]``, all in one batch."""
        stepper = Seq2SeqStepper.batch(sources, contexts, [[*answer, self.model_.sep_id] for answer in answers])
        return generate_batch(stepper, method="beam", max_len=self.max_question, min_len=1,
                              beam_size=max(self.beam_size, n), num_return=n, length_penalty=self.length_penalty)

    def _answers(self, pieces: list[_Piece], sources: EncodedSources, n_pairs: int) -> list[list]:
        """``2 * n_pairs`` sampled answers (hypotheses) per piece, all pieces in one batch.

        Each piece draws from its own generator (:func:`_piece_generator`: the seed and the piece's
        rank in its passage), so the answers of a piece are the same whatever it is decoded with.
        """
        tries = [self._answer_trie(*piece.span) for piece in pieces] if self.constrain else None
        return generate_batch(Seq2SeqStepper.batch(sources, range(len(pieces))), method="sample",
                              num_return=2 * n_pairs, top_k=self.top_k, max_len=self.max_answer, min_len=1,
                              constraints=tries, generators=[_piece_generator(self.seed, p.rank) for p in pieces])

    def _batch_pairs(self, passages: Sequence[str], n_pairs: int, bar=None) -> list[list[dict]]:
        """The pairs of :meth:`generate` for each of ``passages``, decoded together.

        The passages are cut into pieces as they are read (:func:`~textmine.qa.data.iter_passage_pieces`),
        and ``4 * len(passages)`` pieces (at least ``PIECES``) at a time are encoded once and decoded
        in one model call per step. Between those calls a passage keeps only its ``n_pairs`` best
        pairs (and any tied with the last), so a document of ten million characters costs the memory
        of one call. ``bar`` (a tqdm) counts the pieces.
        """
        pieces = ((doc, rank, text) for doc, passage in enumerate(passages)
                  for rank, text in enumerate(iter_passage_pieces(passage, self.max_passage)))
        best: list[dict[str, dict]] = [{} for _ in passages]          # a question asked twice keeps its best answer
        while chunk := list(itertools.islice(pieces, max(PIECES, 4 * len(passages)))):
            encoded = []
            for doc, rank, text in chunk:
                ids, offsets = self._encode(text)
                encoded.append(_Piece(doc, rank, text, ids[: self.max_passage], offsets[: self.max_passage]))
            self._keep_best(encoded, n_pairs, best)
            if bar is not None:
                bar.update(len(chunk))
        return [sorted(pairs.values(), key=lambda p: -p["score"])[:n_pairs] for pairs in best]

    def _keep_best(self, pieces: list[_Piece], n_pairs: int, best: list[dict[str, dict]]) -> None:
        """Decode ``pieces`` and merge their grounded pairs into ``best`` (question -> pair, per passage),
        then cut each passage's pairs back to the ``n_pairs`` best (ties with the last kept)."""
        sources = EncodedSources(self.model_, [[self.model_.cls_id, *p.ids, self.model_.sep_id] for p in pieces])
        if self.with_answers_:
            found = self._answer_pairs(pieces, sources, n_pairs)
        else:
            questions = self._questions(sources, range(len(pieces)), [[]] * len(pieces), n_pairs)
            found = [(i, "", q.tokens, q.score) for i, hyps in enumerate(questions) for q in hyps]
        for i, answer, question, score in found:                            # pieces in order, draws in order
            text = self._copied_text(*pieces[i].span, question)
            if text is None:                                                 # an [UNK] the passage cannot explain
                continue
            at = pieces[i].text.find(answer) if answer else -1              # a constrained answer is a slice of it
            pair = {"passage": pieces[i].text, "answer": answer, "start": at if at >= 0 else None,
                    "end": at + len(answer) if at >= 0 else None, "question": text, "score": round(score, 4)}
            key, kept = pair["question"], best[pieces[i].doc]
            if self._grounded(pair) and (key not in kept or kept[key]["score"] < pair["score"]):
                kept[key] = pair
        for doc in {piece.doc for piece in pieces}:
            kept = best[doc]
            if len(kept) > n_pairs:
                last = sorted((pair["score"] for pair in kept.values()), reverse=True)[n_pairs - 1]
                best[doc] = {key: pair for key, pair in kept.items() if pair["score"] >= last}

    def _grounded(self, pair: dict) -> bool:
        """Whether a pair passes the ``min_overlap`` and ``round_trip`` filters."""
        from textmine.qa.grounding import answerable, overlap

        if self.min_overlap > 0 and overlap(pair["question"], pair["passage"]) < self.min_overlap:
            return False
        return not self.round_trip or answerable(pair["passage"], pair["question"], pair["answer"])

    def _answer_pairs(self, pieces: list[_Piece], sources: EncodedSources,
                      n_pairs: int) -> list[tuple[int, str, list[int], float]]:
        """(piece, answer text, question tokens, score) for each distinct answer sampled from a piece:
        the answers of all pieces first, then one batch of question beams, one per answer."""
        asked = []                                                          # (piece, answer text, hypothesis)
        for i, hyps in enumerate(self._answers(pieces, sources, n_pairs)):
            seen = set()
            for hyp in hyps:
                answer = self._answer_text(*pieces[i].span, hyp.tokens)
                if answer and answer not in seen:
                    seen.add(answer)
                    asked.append((i, answer, hyp))
        questions = self._questions(sources, [i for i, _, _ in asked], [hyp.tokens for _, _, hyp in asked], 1)
        return [(i, answer, qs[0].tokens, hyp.score + qs[0].score)
                for (i, answer, hyp), qs in zip(asked, questions) if qs]

    def _answer_trie(self, piece: str, ids: list[int], offsets: list[int]) -> PrefixTrie:
        """Every run of the passage's tokens an answer may be: any substring; with a lexicon the runs
        that start and end at word boundaries; with ``answers="tagged"`` the tagged spans. All
        substrings where none of those fits in ``max_answer``."""
        if self.answers == "tagged":
            spans = self._tagged_runs(piece, ids, offsets)
        elif self.lexicon is not None:
            spans = self._word_runs(piece, ids, offsets)
        else:
            spans = []
        if spans:
            return PrefixTrie(spans)
        return PrefixTrie(self._runs(ids, offsets, *_token_bounds(piece))) if _LATIN.search(piece) else \
            PrefixTrie.substrings(ids, self.max_answer)

    def _tagged_runs(self, piece: str, ids: list[int], offsets: list[int]) -> list[list[int]]:
        from textmine.qa.synthetic import tagged_spans

        token = {offset: j for j, offset in enumerate(offsets)}
        return [ids[token[s]: token[e - 1] + 1] for s, e in tagged_spans(piece)
                if s in token and e - 1 in token and token[e - 1] - token[s] < self.max_answer]

    def _word_runs(self, piece: str, ids: list[int], offsets: list[int]) -> list[list[int]]:
        if getattr(self, "_segmenter_of", None) != self.lexicon:       # lexicon may be set after load
            from textmine.corpus import make_tokenizer

            userdict = None if self.lexicon == "jieba" else self.lexicon
            self._segmenter, self._segmenter_of = make_tokenizer("jieba", userdict=userdict), self.lexicon
        starts, ends = word_bounds(piece, self._segmenter)
        inner_starts, inner_ends = _token_bounds(piece)
        return self._runs(ids, offsets, starts & inner_starts, ends & inner_ends)

    def _runs(self, ids: list[int], offsets: list[int], starts: set[int], ends: set[int]) -> list[list[int]]:
        """Every run of at most ``max_answer`` tokens that starts at a character offset in ``starts``
        and ends (exclusive) at one in ``ends``."""
        first = [j for j, offset in enumerate(offsets) if offset in starts]
        last = {j for j, offset in enumerate(offsets) if offset + 1 in ends}
        return [ids[s: e + 1] for s in first for e in range(s, min(s + self.max_answer, len(ids))) if e in last]

    def _answer_text(self, piece: str, ids: list[int], offsets: list[int], tokens: list[int]) -> str:
        """The passage slice a constrained answer's tokens came from (else the decoded tokens)."""
        n = len(tokens)
        for start in range(len(ids) - n + 1) if n else ():
            if ids[start: start + n] == tokens:
                return piece[offsets[start]: offsets[start + n - 1] + 1]
        return "" if self.constrain else self._text(tokens)

    @classmethod
    def filter_defaults(cls) -> dict:
        """The generation filters' defaults as the signature gives them: what ``qa generate`` applies
        unless told otherwise, whatever a model was trained with."""
        params = inspect.signature(cls).parameters
        return {name: params[name].default for name in FILTERS}

    def with_settings(self, *, constrain: bool | None = None, min_overlap: float | None = None,
                      round_trip: bool | None = None, answers: Answers | None = None) -> "QAGenerator":
        """This generator with other generation filters (None keeps its own), checked: a copy sharing
        the model, so one loaded model serves several settings."""
        given = {k: v for k, v in dict(constrain=constrain, min_overlap=min_overlap, round_trip=round_trip,
                                      answers=answers).items() if v is not None}
        if not given:
            return self
        if given.get("answers", self.answers) not in ANSWERS:
            raise InputError(f"answers={given['answers']!r}; expected one of {', '.join(ANSWERS)}")
        other = copy.copy(self)
        other.__dict__.update(given)
        other._check_generation(1)
        return other

    def generate(self, passage: str, n_pairs: int = 3, **settings) -> list[dict]:
        """Up to ``n_pairs`` distinct ``{passage, answer, start, end, question, score}`` for ``passage``, best first
        (``start``/``end``: the answer's character offsets in ``passage``, None for an answer not in it);
        ``settings`` (constrain, min_overlap, round_trip, answers) change this call's filters
        (:meth:`with_settings`).

        ``score`` is the log-probability of the answer plus that of the question. A passage longer
        than ``max_passage`` is cut into pieces; ``passage`` in each pair is the piece it came from.
        A model trained without answers (``with_answers_`` False) gives distinct questions, answer ``""``.

        Raises
        ------
        InputError
            The passage is empty (or whitespace only), or ``n_pairs`` < 1.
        """
        return self.with_settings(**settings)._checked_pairs([passage], n_pairs)[0]

    def generate_many(self, passages: Iterable[str], n_pairs: int = 3, batch_size: int = 16, *,
                      progress: bool = False, **settings) -> Iterable[dict]:
        """Pairs of every passage in turn (each pair also gets ``doc``, the passage's index);
        ``settings`` as for :meth:`generate`.

        ``batch_size`` passages are decoded together (see :meth:`_batch_pairs`), which gives each the
        pairs :meth:`generate` gives it alone, several times faster; 1 decodes them one by one. A long
        passage is read piece by piece; ``progress`` shows a bar counting the pieces (passages of at
        most ``max_passage`` characters), the documents done beside it.
        """
        self = self.with_settings(**settings)
        self._check()
        self._check_generation(n_pairs, batch_size)
        passages, start = iter(passages), 0
        with tqdm(desc="generating QA pairs", unit=" passages", disable=not progress) as bar:
            while batch := list(itertools.islice(passages, batch_size)):
                for index, pairs in enumerate(self._checked_pairs(batch, n_pairs, bar), start):
                    for pair in pairs:
                        yield {"doc": index, **pair}
                start += len(batch)
                bar.set_postfix(docs=start)

    def _checked_pairs(self, passages: list[str], n_pairs: int, bar=None) -> list[list[dict]]:
        self._check()
        self._check_generation(n_pairs)
        for passage in passages:
            if not isinstance(passage, str) or not passage.strip():
                raise InputError("passage is empty; expected some text to generate questions from")
        return self._batch_pairs(passages, n_pairs, bar)

    def check_settings(self, *, training: bool = False, n_pairs: int = 3, batch_size: int = 1) -> "QAGenerator":
        """Refuse settings out of range before any work (``fit`` and generation call it too): an
        :class:`~textmine.errors.InputError` naming the parameter, its CLI option, the range and the value."""
        if training:
            self._check_training()
        else:
            self._check_generation(n_pairs, batch_size)
        return self

    def _check_generation(self, n_pairs: int, batch_size: int = 1) -> None:
        """Refuse generation settings out of range, naming the parameter (and the CLI option)."""
        check_counts(n_pairs, batch_size)
        check_share("min_overlap (--min-overlap)", self.min_overlap)
        check_int("top_k", self.top_k, 1, 1 << 20, "tokens")
        check_int("beam_size", self.beam_size, 1, 256, "hypotheses")
        check_number("length_penalty", self.length_penalty, -10.0, 10.0)
        self._check_lengths()

    def _check_lengths(self) -> None:
        check_int("max_passage (--max-passage)", self.max_passage, 1, MAX_PASSAGE, "characters")
        check_int("max_answer", self.max_answer, 1, 512, "characters")
        check_int("max_question", self.max_question, 1, 512, "characters")

    def _check_training(self) -> None:
        """Refuse training settings out of range, naming the parameter (and the CLI option)."""
        self._check_lengths()
        check_int("steps (--steps)", self.steps, 1, 100_000_000, "training steps")
        check_int("batch_size (--batch-size)", self.batch_size, 1, MAX_BATCH, "examples per step")
        check_number("lr (--lr)", self.lr, 0.0, 1.0, open_low=True)
        if not isinstance(self.warmup, (int, float)) or isinstance(self.warmup, bool) or not self.warmup >= 0:
            raise InputError(f"warmup must be a share of the steps (0 to 1) or a number of steps, got {self.warmup!r}")
        if self.ema_decay is not None:
            check_number("ema_decay", self.ema_decay, 0.0, 1.0, open_high=True)


#: Bound of the passage length setting: beyond it a run only exhausts memory.
MAX_PASSAGE = 4096
#: Pieces decoded in one model call at least (``4 * batch_size`` for larger batches).
PIECES = 64


_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]")


def _token_bounds(text: str) -> tuple[set[int], set[int]]:
    """Offsets where an answer may start and end (exclusive) in ``text``: anywhere except inside a
    Latin or digit token (IEEE1003.1 is asked whole, never as .1)."""
    starts, ends = set(range(len(text))), set(range(1, len(text) + 1))
    for match in _LATIN.finditer(text):
        inner = set(range(match.start() + 1, match.end()))
        starts -= inner
        ends -= inner
    return starts, ends


def _piece_generator(seed: int, rank: int) -> torch.Generator:
    """The random generator of a passage's ``rank``-th piece: the first piece draws with ``seed``
    itself (a short passage gets the pairs it always got), the others with a stream of (seed, rank)."""
    if rank == 0:
        return make_generator(seed)
    return make_generator(int(np.random.SeedSequence([int(seed), rank]).generate_state(1, np.uint64)[0] >> 1))
