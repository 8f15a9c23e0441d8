"""The cross-encoder scorer (d): a small BERT reads the text with the mention marked beside one
candidate's description and says whether they belong together (Su's matching model, the CCKS
winners' BERT pair classifier; docs/algorithms/linking.md).

Input, one token per character as in :mod:`textmine.qa`::

    [CLS] left context [E] mention [/E] right context [SEP] description [SEP]

The model is built from a :data:`textmine.neural.PRESETS` architecture (or a local BERT folder's
config) with random weights, on the Chinese BERT tokens the KB and texts use, and trained with
:class:`textmine.neural.Trainer` on the binary task (gold candidate vs the other candidates of the
same mention). Its logit is one feature of the combiner, not the decision itself.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from textmine.checks import check_int, check_number
from textmine.errors import InputError
from textmine.linking.kb import KnowledgeBase
from textmine.linking._train import seeded, train
from textmine.neural import build_bert, choose_device, corpus_tokens, load_bert, write_bert
from textmine.persist import Saved

__all__ = ["CrossEncoder"]

MARKERS = ("[E]", "[/E]")


class _PairModel(torch.nn.Module):
    """BERT encoder + a linear layer on [CLS]: the logit of "this description fits this mention"."""

    def __init__(self, mlm):
        super().__init__()
        self.mlm = mlm                                   # kept whole so write_bert/load_bert round-trip it
        self.head = torch.nn.Linear(mlm.config.hidden_size, 1)

    def forward(self, ids, types, mask):
        hidden = self.mlm.bert(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state
        return self.head(hidden[:, 0]).squeeze(-1)

    def training_step(self, batch):
        ids, types, mask, labels = batch
        return torch.nn.functional.binary_cross_entropy_with_logits(self(ids, types, mask).float(), labels)


class CrossEncoder(Saved):
    """Score (mention in context, candidate description) pairs with a small BERT trained from scratch.

    Parameters
    ----------
    config : {"tiny", "small"} or dict
        Architecture (:data:`textmine.neural.PRESETS`); ignored when ``bert_dir`` is given.
    bert_dir : path or None
        A local Hugging Face BERT folder to start from (e.g. a pre-trained Chinese BERT).
    max_context, max_description : int
        Characters of context around the mention (a quarter before it) and of the description.
    steps, batch_size, lr : training (see :class:`textmine.neural.Trainer`).
    seed, device, progress : as everywhere.
    """

    def __init__(self, config: str | dict = "tiny", *, bert_dir: str | os.PathLike | None = None,
                 max_context: int = 48, max_description: int = 48, steps: int = 400, batch_size: int = 32,
                 lr: float = 1e-3, seed: int = 0, device: str | None = None, progress: bool = False):
        self.config, self.bert_dir = config, bert_dir
        self.max_context, self.max_description = max_context, max_description
        self.steps, self.batch_size, self.lr = steps, batch_size, lr
        self.seed, self.device, self.progress = seed, device, progress

    def _check_settings(self) -> None:
        """Before a BERT is built: a bad size would fail deep in torch, a bad rate silently."""
        check_int("cross['max_context']", self.max_context, 8, 4096, "characters")
        check_int("cross['max_description']", self.max_description, 1, 4096, "characters")
        check_int("cross['steps']", self.steps, 1, 100_000_000, "training steps")
        check_int("cross['batch_size']", self.batch_size, 1, 65_536, "pairs")
        check_number("cross['lr']", self.lr, 0, 1, open_low=True)

    # ------------------------------------------------------------------ encoding
    def _ids(self, text: str) -> list[int]:
        vocab, unk = self._vocab, self._unk
        return [vocab.get(ch, vocab.get(ch.lower(), unk)) for ch in text
                if not (ch.isspace() or unicodedata.category(ch).startswith("C"))]

    def _encode(self, query, entity: int) -> tuple[list[int], list[int]]:
        text, offset, name, _ = query
        left = self._ids(text[max(0, offset - self.max_context // 4): offset])
        mention = self._ids(name)[: self.max_context // 2]
        right = self._ids(text[offset + len(name): offset + len(name) + self.max_context])
        right = right[: max(self.max_context - len(left) - len(mention), 0)]
        first = [self._cls, *left, self._open, *mention, self._close, *right, self._sep]
        second = [*self._ids(self.kb_[entity].description)[: self.max_description], self._sep]
        return first + second, [0] * len(first) + [1] * len(second)

    def _collate(self, items):
        length = max(len(ids) for ids, _, _ in items)
        ids = torch.zeros(len(items), length, dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        for row, (tokens, segments, _) in enumerate(items):
            ids[row, : len(tokens)] = torch.tensor(tokens)
            types[row, : len(tokens)] = torch.tensor(segments)
            mask[row, : len(tokens)] = 1
        labels = torch.tensor([label for _, _, label in items], dtype=torch.float32)
        device = next(self.model_.parameters()).device
        return ids.to(device), types.to(device), mask.to(device), labels.to(device)

    def _use_vocab(self, tokenizer) -> None:
        self._vocab = tokenizer.get_vocab()
        self._unk, self._cls, self._sep = tokenizer.unk_token_id, tokenizer.cls_token_id, tokenizer.sep_token_id
        self._open, self._close = (self._vocab.get(m, self._unk) for m in MARKERS)

    # ------------------------------------------------------------------ training
    def fit(self, kb: KnowledgeBase, pairs: Sequence[tuple[tuple, int]], labels: Sequence[int],
            out_dir: str | os.PathLike) -> "CrossEncoder":
        """Train on ``pairs`` of (query, KB position) with 0/1 ``labels``; checkpoints go to ``out_dir``."""
        if not len(pairs):
            raise InputError("the cross-encoder got no training pairs; the training texts link no KB names")
        self._check_settings()
        self.kb_ = kb
        max_len = self.max_context + self.max_description + 8
        if self.bert_dir is not None:
            mlm, tokenizer = load_bert(self.bert_dir)
        else:
            texts = [q[0] for q, _ in pairs] + [kb[e].description for _, e in pairs]
            mlm, tokenizer = build_bert(self.config, [*corpus_tokens(texts), *MARKERS],
                                        max_positions=max(max_len, 64), seed=self.seed)
        if mlm.config.max_position_embeddings < max_len:
            raise InputError(f"BERT {self.bert_dir} has {mlm.config.max_position_embeddings} positions; "
                             f"max_context + max_description + 8 = {max_len}")
        self.tokenizer_ = tokenizer
        self._use_vocab(tokenizer)
        self.model_ = seeded(lambda: _PairModel(mlm), self.seed)
        items = [(*self._encode(q, e), float(y)) for (q, e), y in zip(pairs, labels)]
        self.train_result_ = train(self.model_, items, self._collate, out_dir, steps=self.steps,
                                   batch_size=self.batch_size, lr=self.lr, seed=self.seed, device=self.device,
                                   progress=self.progress)
        return self

    @torch.no_grad()
    def score(self, pairs: Sequence[tuple[tuple, int]]) -> np.ndarray:
        """The logit of each (query, KB position) pair."""
        out = np.zeros(len(pairs))
        for start in range(0, len(pairs), 256):
            chunk = [(*self._encode(q, e), 0.0) for q, e in pairs[start: start + 256]]
            ids, types, mask, _ = self._collate(chunk)
            out[start: start + len(chunk)] = self.model_(ids, types, mask).float().cpu().numpy()
        return out

    # ------------------------------------------------------------------ persistence
    def _save_parts(self, folder: Path) -> tuple[dict, dict]:
        """A BERT folder (config.json, weights, vocab.txt); the head's weights in the model's arrays."""
        write_bert(self.model_.mlm, self.tokenizer_, folder)
        return {}, dict(self.model_.head.state_dict())

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        """The knowledge base is the linker's: it sets ``kb_`` after loading."""
        mlm, self.tokenizer_ = load_bert(folder)
        self._use_vocab(self.tokenizer_)
        self.model_ = _PairModel(mlm)
        self.model_.head.load_state_dict(arrays)
        self.model_.to(choose_device(self.device)).eval()
