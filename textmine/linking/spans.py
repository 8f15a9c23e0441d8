"""Learned mention detection: a character encoder with start/end pointers (Su's recogniser, §7).

Each character gets its embedding plus two match-indicator features from maximal matching over the
*unpruned* alias index (begins a match, inside a match), so the model starts from what the
dictionary knows and learns from the annotations when a match is or is not a mention. (The pruning
statistic is not a feature: on training texts it has counted the very annotations being learnt, and
the model learns to trust it where new texts cannot offer it.) A BiLSTM and a width-3 convolution
read them; two sigmoid heads score "a mention starts here" and "one ends here". A span runs from a
start above ``threshold`` to the first end above it within ``max_mention`` characters, and is kept
when it is a KB name (it needs candidates to be linked). Texts are read in pieces of ``max_len``
characters. Trained with :class:`textmine.neural.Trainer`. """

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from textmine.errors import InputError
from textmine.linking.data import LinkedText
from textmine.linking.index import AliasIndex
from textmine.linking._train import seeded, train
from textmine.neural import choose_device
from textmine.persist import Saved

__all__ = ["SpanDetector"]

_N_FEATURES = 2


class _SpanNet(torch.nn.Module):
    def __init__(self, vocab_size: int, dim: int, hidden: int):
        super().__init__()
        self.embed = torch.nn.Embedding(vocab_size, dim, padding_idx=0)
        self.features = torch.nn.Linear(_N_FEATURES, dim)
        self.lstm = torch.nn.LSTM(dim, hidden, batch_first=True, bidirectional=True)
        self.conv = torch.nn.Conv1d(2 * hidden, hidden, kernel_size=3, padding=1)
        self.out = torch.nn.Linear(hidden, 2)

    def forward(self, ids, features):
        x = self.embed(ids) + self.features(features)
        h, _ = self.lstm(x)
        h = torch.relu(self.conv(h.transpose(1, 2))).transpose(1, 2)
        return self.out(h)                                                  # [B, L, 2]: start, end logits

    def training_step(self, batch):
        ids, features, labels = batch
        loss = torch.nn.functional.binary_cross_entropy_with_logits(self(ids, features), labels, reduction="none")
        mask = (ids > 0).unsqueeze(-1).float()
        return (loss * mask).sum() / mask.sum().clamp(min=1) / 2


class SpanDetector(Saved):
    """Find mention spans with a small BiLSTM-CNN pointer model over characters and match features.

    Parameters
    ----------
    dim, hidden : int
        Character embedding size and LSTM width (per direction).
    max_len : int
        Characters per piece of text the model reads at once.
    max_mention : int
        Longest mention, in characters.
    threshold : float
        Start and end probabilities at or above this make a span (Su: 0.4).
    steps, batch_size, lr : training (see :class:`textmine.neural.Trainer`).
    seed, device, progress : as everywhere.
    """

    def __init__(self, *, dim: int = 64, hidden: int = 64, max_len: int = 128, max_mention: int = 12,
                 threshold: float = 0.4, steps: int = 400, batch_size: int = 32, lr: float = 2e-3, seed: int = 0,
                 device: str | None = None, progress: bool = False):
        self.dim, self.hidden, self.max_len, self.max_mention = dim, hidden, max_len, max_mention
        self.threshold = threshold
        self.steps, self.batch_size, self.lr = steps, batch_size, lr
        self.seed, self.device, self.progress = seed, device, progress

    # ------------------------------------------------------------------ encoding
    def _pieces(self, text: str) -> list[int]:
        return list(range(0, max(len(text), 1), self.max_len))

    def _features(self, piece: str) -> np.ndarray:
        features = np.zeros((len(piece), _N_FEATURES), np.float32)
        for start, end, _ in self.index_.maximal_matches(piece, prune=False):
            features[start, 0] = 1.0
            features[start:end, 1] = 1.0
        return features

    def _item(self, piece: str, spans: Sequence[tuple[int, int]] = ()):
        ids = [self.vocab_.get(ch, 1) for ch in piece]
        labels = np.zeros((len(piece), 2), np.float32)
        for start, end in spans:
            labels[start, 0], labels[end - 1, 1] = 1.0, 1.0
        return ids, self._features(piece), labels

    def _collate(self, items):
        length = max(len(ids) for ids, _, _ in items)
        ids = torch.zeros(len(items), length, dtype=torch.long)
        features = torch.zeros(len(items), length, _N_FEATURES)
        labels = torch.zeros(len(items), length, 2)
        for row, (tokens, feats, labs) in enumerate(items):
            ids[row, : len(tokens)] = torch.tensor(tokens)
            features[row, : len(tokens)] = torch.from_numpy(feats)
            labels[row, : len(tokens)] = torch.from_numpy(labs)
        device = next(self.model_.parameters()).device
        return ids.to(device), features.to(device), labels.to(device)

    # ------------------------------------------------------------------ training
    def fit(self, index: AliasIndex, texts: Sequence[LinkedText], out_dir: str | os.PathLike) -> "SpanDetector":
        """Train on the gold mentions of ``texts``; checkpoints go to ``out_dir``."""
        if not 0 < self.threshold < 1:
            raise InputError(f"threshold={self.threshold}; expected a probability between 0 and 1")
        self.index_ = index
        counts = Counter(ch for text in texts for ch in text.text)
        self.vocab_ = {ch: i for i, ch in enumerate(sorted(counts), 2)}        # 0 padding, 1 unknown
        items = []
        for text in texts:
            for start in self._pieces(text.text):
                piece = text.text[start: start + self.max_len]
                spans = [(m.offset - start, m.end - start) for m in text.mentions
                         if m.offset >= start and m.end <= start + len(piece)]
                items.append(self._item(piece, spans))
        self.model_ = seeded(lambda: _SpanNet(len(self.vocab_) + 2, self.dim, self.hidden), self.seed)
        self.train_result_ = train(self.model_, items, self._collate, out_dir, steps=self.steps,
                                   batch_size=self.batch_size, lr=self.lr, seed=self.seed, device=self.device,
                                   progress=self.progress)
        return self

    # ------------------------------------------------------------------ detection
    @torch.no_grad()
    def detect(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """Mention spans (start, end) of each text, in order."""
        pieces = [(t, start) for t, text in enumerate(texts) for start in self._pieces(text)]
        found: list[list[tuple[int, int]]] = [[] for _ in texts]
        for chunk in range(0, len(pieces), 256):
            batch = pieces[chunk: chunk + 256]
            items = [self._item(texts[t][s: s + self.max_len]) for t, s in batch]
            ids, features, _ = self._collate(items)
            probs = torch.sigmoid(self.model_(ids, features)).cpu().numpy()
            for (t, offset), (tokens, _, _), prob in zip(batch, items, probs):
                found[t].extend(self._spans(texts[t], offset, prob[: len(tokens)]))
        return found

    def _spans(self, text: str, offset: int, prob: np.ndarray) -> list[tuple[int, int]]:
        starts = np.flatnonzero(prob[:, 0] >= self.threshold)
        ends = np.flatnonzero(prob[:, 1] >= self.threshold)
        spans, last = [], 0
        for start in starts:
            if start < last:
                continue
            later = ends[(ends >= start) & (ends < start + self.max_mention)]
            if len(later):
                a, b = offset + int(start), offset + int(later[0]) + 1
                if self.index_.name_id(text[a:b]) is not None:
                    spans.append((a, b))
                    last = int(later[0]) + 1
        return spans

    # ------------------------------------------------------------------ persistence
    def _save_parts(self, folder: Path) -> tuple[dict, dict]:
        return {"vocab": self.vocab_}, dict(self.model_.state_dict())

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        """The alias index is the linker's: it sets ``index_`` after loading."""
        self.vocab_ = state["vocab"]
        self.model_ = _SpanNet(len(self.vocab_) + 2, self.dim, self.hidden)
        self.model_.load_state_dict(arrays)
        self.model_.to(choose_device(self.device)).eval()
