"""UniLM sequence-to-sequence on a BERT masked-LM: one encoder that reads a source and writes a target.

Layout ``[CLS] source [SEP] target... [SEP]`` with segment id 0 on the source and 1 on the target.
The attention mask lets source tokens see the whole source (bidirectional) and each target token see
the source plus the earlier target tokens (causal); the loss is cross-entropy on target tokens only.
The mask is a 4-D additive float mask ``[B, 1, L, L]`` (0 = may attend, dtype minimum = may not).

With ``copy=True`` a pointer head (See et al. 2017) mixes the vocabulary softmax with attention over
the source tokens, ``p(w) = g p_vocab(w) + (1 - g) sum_{j: source_j = w} a_j``: a model trained from
scratch on a few thousand passages learns to copy a passage's names instead of writing the likeliest
word of the training questions.

The forward pass walks the Hugging Face BERT layers itself so that it can take and return per-layer
keys/values; :class:`Seq2SeqStepper` (the model's side of :func:`textmine.neural.generate`) uses that
to encode the source once and extend the target one token at a time. Under the UniLM mask a token's
states never depend on later tokens, so this computes the same numbers as re-running the whole
sequence each step (``use_cache=False``, the reference implementation's way) at a fraction of the
cost. Training and decoding share this one forward, so they cannot drift apart.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Sequence

import safetensors.torch
import torch
import torch.nn.functional as F
from torch import nn
from transformers import BertForMaskedLM, BertTokenizer

from textmine.errors import InputError
from textmine.neural.bert import build_bert, load_bert, save_bert

__all__ = ["Seq2Seq", "Seq2SeqStepper", "CopyHead", "unilm_mask", "KeyValues"]

log = logging.getLogger(__name__)

#: Per-layer (keys, values), each ``[batch, heads, length, head_dim]``.
KeyValues = list[tuple[torch.Tensor, torch.Tensor]]


def unilm_mask(segment_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
               dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """The UniLM additive mask ``[B, 1, L, L]`` from segment ids ``[B, L]`` (and a 0/1 padding mask).

    Query ``i`` may attend key ``j`` when ``j`` is a source token (segment 0) or ``j <= i``; padded keys
    are never attended. A source query therefore sees exactly the source; a target query sees the
    source and the target up to itself.
    """
    length = segment_ids.shape[1]
    idx = torch.arange(length, device=segment_ids.device)
    causal = idx[None, :] <= idx[:, None]                                  # [L, L]: key j <= query i
    allowed = causal[None] | (segment_ids == 0)[:, None, :]                # [B, L, L]
    if attention_mask is not None:
        allowed = allowed & attention_mask.bool()[:, None, :]
    bias = torch.zeros(allowed.shape, dtype=dtype, device=segment_ids.device)
    bias.masked_fill_(~allowed, torch.finfo(dtype).min)
    return bias[:, None]


COPY_FILE = "copy_head.safetensors"


class CopyHead(nn.Module):
    """The pointer: attention of a target state over the source states, and the gate g = p(generate)."""

    def __init__(self, hidden_size: int):
        super().__init__()
        self.query = nn.Linear(hidden_size, hidden_size)
        self.gate = nn.Linear(hidden_size, 1)

    def log_probs(self, vocab_logits: torch.Tensor, h: torch.Tensor, source_h: torch.Tensor,
                  source_ids: torch.Tensor, source_ok: torch.Tensor) -> torch.Tensor:
        """``[N, V]`` log-probabilities for target states ``h [N, H]``, copying from the states
        ``source_h [L, H]`` of tokens ``source_ids [L]``; row ``n`` may copy where ``source_ok [N or 1, L]``.

        One shared source list keeps the pointer a plain matrix product: decoding passes the passage,
        training the whole batch flattened, with ``source_ok`` limiting each row to its own example.
        """
        scores = self.query(h).float() @ source_h.float().T / h.shape[-1] ** 0.5
        attn = torch.softmax(scores.masked_fill(~source_ok, float("-inf")), dim=-1).nan_to_num(0.0)
        copied = torch.zeros_like(vocab_logits, dtype=torch.float).scatter_add_(
            1, source_ids[None].expand(h.shape[0], -1), attn)
        gate = torch.sigmoid(self.gate(h).float())
        mixed = gate * torch.softmax(vocab_logits.float(), dim=-1) + (1 - gate) * copied
        return torch.log(mixed.clamp_min(1e-30))


class Seq2Seq(nn.Module):
    """A UniLM seq2seq model: a BERT masked-LM (tied embeddings) and its tokenizer.

    Build with :meth:`build` (random weights, named preset) or :meth:`from_bert_folder` (pre-trained
    Hugging Face folder); persist with :meth:`save` / :meth:`load` (``config.json``,
    ``model.safetensors``, ``vocab.txt``). Implements ``training_step(batch) -> loss`` for
    :class:`textmine.neural.Trainer`; batches come from :meth:`collate`.

    Parameters
    ----------
    bert : BertForMaskedLM
    tokenizer : BertTokenizer
    copy : bool
        Add a (randomly initialised) pointer head that copies source tokens.
    """

    def __init__(self, bert: BertForMaskedLM, tokenizer: BertTokenizer, copy: bool = False):
        super().__init__()
        self.bert = bert
        self.tokenizer = tokenizer
        self.copy = CopyHead(bert.config.hidden_size) if copy else None
        cfg = bert.config
        self.num_heads = cfg.num_attention_heads
        self.head_dim = cfg.hidden_size // cfg.num_attention_heads
        self.max_length = cfg.max_position_embeddings
        self.cls_id, self.sep_id, self.pad_id = tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id

    # ---------------------------------------------------------------- construction and persistence
    @classmethod
    def build(cls, config="small", vocab: str | os.PathLike | None = None, *, max_positions: int = 512,
              seed: int = 0, copy: bool = False) -> "Seq2Seq":
        """Random-weight model; see :func:`textmine.neural.build_bert` for the arguments."""
        bert, tokenizer = build_bert(config, vocab, max_positions=max_positions, seed=seed)
        with torch.random.fork_rng(devices=[]):                             # the copy head's weights, seeded too
            torch.manual_seed(seed)
            return cls(bert, tokenizer, copy=copy)

    @classmethod
    def from_bert_folder(cls, folder: str | os.PathLike, copy: bool = False) -> "Seq2Seq":
        """Start from a pre-trained BERT in a local Hugging Face folder (offline)."""
        return cls(*load_bert(folder), copy=copy)

    def save(self, folder: str | os.PathLike, meta: dict | None = None) -> Path:
        """Write the model atomically; ``meta`` (JSON-able) goes to ``textmine.json`` beside it, the
        copy head (if any) to ``copy_head.safetensors``."""
        extra: dict[str, str | bytes] = {
            "textmine.json": json.dumps({"kind": "unilm-seq2seq", **(meta or {})}, ensure_ascii=False,
                                        indent=2, sort_keys=True) + "\n"}
        if self.copy is not None:
            weights = {name: value.contiguous() for name, value in self.copy.state_dict().items()}
            extra[COPY_FILE] = safetensors.torch.save(weights)
        return save_bert(self.bert, self.tokenizer, folder, extra)

    @classmethod
    def load(cls, folder: str | os.PathLike) -> "Seq2Seq":
        """Load a folder written by :meth:`save` (or any BERT masked-LM folder)."""
        copy_file = Path(folder) / COPY_FILE
        model = cls(*load_bert(folder), copy=copy_file.is_file())
        if model.copy is not None:
            model.copy.load_state_dict(safetensors.torch.load_file(str(copy_file)))
        return model

    def hparams(self) -> dict:
        """The architecture (BERT config and copy head), recorded in training checkpoints."""
        return {"kind": "unilm-seq2seq", "bert": self.bert.config.to_dict(), "copy": self.copy is not None}

    @staticmethod
    def read_meta(folder: str | os.PathLike) -> dict:
        """The ``meta`` dict given to :meth:`save` (empty when there is none)."""
        path = Path(folder) / "textmine.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    # ---------------------------------------------------------------- tokens
    def source_ids(self, text: str, max_len: int) -> list[int]:
        """``[CLS] tokens [SEP]`` cut to at most ``max_len`` ids (segment 0)."""
        tokens = self.tokenizer.convert_tokens_to_ids(self.tokenizer.tokenize(text))[: max(max_len - 2, 0)]
        return [self.cls_id, *tokens, self.sep_id]

    def target_ids(self, text: str, max_len: int) -> list[int]:
        """``tokens [SEP]`` cut to at most ``max_len`` ids (a target piece, segment 1)."""
        tokens = self.tokenizer.convert_tokens_to_ids(self.tokenizer.tokenize(text))[: max(max_len - 1, 0)]
        return [*tokens, self.sep_id]

    def decode_ids(self, ids: Sequence[int]) -> str:
        """Token ids back to text; WordPiece ``##`` joined, no spaces between Chinese characters."""
        tokens = self.tokenizer.convert_ids_to_tokens([int(i) for i in ids])
        out = []
        for tok in tokens:
            if tok.startswith("##"):
                out.append(tok[2:])
            elif out and tok.isascii() and tok.isalnum() and out[-1][-1:].isascii() and out[-1][-1:].isalnum():
                out.append(" " + tok)
            else:
                out.append(tok)
        return "".join(out)

    def collate(self, examples: Sequence[tuple[Sequence[int], Sequence[int]]]) -> dict[str, torch.Tensor]:
        """Pad ``(source_ids, target_ids)`` pairs into a batch ``{input_ids, segment_ids, attention_mask}``."""
        rows = [list(src) + list(tgt) for src, tgt in examples]
        width = max(len(r) for r in rows)
        if width > self.max_length:
            raise InputError(f"an example has {width} tokens but the model takes at most {self.max_length} "
                             "(max_position_embeddings); cut the passage or the target")
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        seg = torch.zeros((len(rows), width), dtype=torch.long)
        att = torch.zeros((len(rows), width), dtype=torch.long)
        for i, ((src, tgt), row) in enumerate(zip(examples, rows)):
            ids[i, : len(row)] = torch.tensor(row)
            seg[i, len(src): len(row)] = 1
            att[i, : len(row)] = 1
        return {"input_ids": ids, "segment_ids": seg, "attention_mask": att}

    # ---------------------------------------------------------------- forward
    def hidden(self, input_ids: torch.Tensor, segment_ids: torch.Tensor, position_ids: torch.Tensor,
               mask: torch.Tensor | None, past: KeyValues | None = None) -> tuple[torch.Tensor, KeyValues]:
        """Final hidden states ``[B, L, H]`` and the keys/values of every layer (past + these tokens).

        ``mask`` is additive, ``[B or 1, 1, L, past_len + L]`` or ``None`` (attend everything).
        """
        bert = self.bert.bert
        h = bert.embeddings(input_ids=input_ids, token_type_ids=segment_ids, position_ids=position_ids)
        batch, length = input_ids.shape
        dropout = bert.config.attention_probs_dropout_prob if self.training else 0.0
        present: KeyValues = []
        for i, layer in enumerate(bert.encoder.layer):
            att = layer.attention.self
            q, k, v = (lin(h).view(batch, length, self.num_heads, self.head_dim).transpose(1, 2)
                       for lin in (att.query, att.key, att.value))
            if past is not None:
                k = torch.cat([past[i][0], k], dim=2)
                v = torch.cat([past[i][1], v], dim=2)
            present.append((k, v))
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=None if mask is None else mask.to(q.dtype),
                                                 dropout_p=dropout)
            ctx = ctx.transpose(1, 2).reshape(batch, length, -1)
            a = layer.attention.output(ctx, h)
            h = layer.output(layer.intermediate(a), a)
        return h, present

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Vocabulary logits from hidden states (the tied masked-LM head)."""
        return self.bert.cls(hidden)

    def source_mask(self, input_ids: torch.Tensor, segment_ids: torch.Tensor,
                    attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        """Positions the copy head may copy from: source tokens other than [CLS], [SEP] and padding."""
        ok = (segment_ids == 0) & (input_ids != self.cls_id) & (input_ids != self.sep_id) & (input_ids != self.pad_id)
        return ok if attention_mask is None else ok & attention_mask.bool()

    def log_probs(self, h: torch.Tensor, source_h: torch.Tensor, source_ids: torch.Tensor,
                  source_ok: torch.Tensor) -> torch.Tensor:
        """``[N, V]`` next-token log-probabilities from target states ``h [N, H]`` (copying from the
        source when the model has a copy head; see :meth:`CopyHead.log_probs` for the other shapes)."""
        logits = self.logits(h)
        if self.copy is None:
            return torch.log_softmax(logits.float(), dim=-1)
        return self.copy.log_probs(logits, h, source_h, source_ids, source_ok)

    def forward(self, input_ids: torch.Tensor, segment_ids: torch.Tensor,
                attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        """Logits ``[B, L, V]`` of a full sequence under the UniLM mask (no cache)."""
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)[None].expand_as(input_ids)
        h, _ = self.hidden(input_ids, segment_ids, positions, unilm_mask(segment_ids, attention_mask))
        return self.logits(h)

    def training_step(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Mean cross-entropy of the target tokens (segment 1, not padding), each predicted from its left."""
        device = next(self.parameters()).device
        ids, seg = batch["input_ids"].to(device), batch["segment_ids"].to(device)
        att = batch["attention_mask"].to(device)
        positions = torch.arange(ids.shape[1], device=device)[None].expand_as(ids)
        h, _ = self.hidden(ids, seg, positions, unilm_mask(seg, att))
        wanted = (seg[:, 1:] == 1) & att[:, 1:].bool()
        if not bool(wanted.any()):
            raise InputError("a batch has no target tokens (segment 1); every example needs a target")
        targets = ids[:, 1:][wanted]                                        # scored at target positions only:
        if self.copy is None:                                               # saves the vocabulary matmul elsewhere
            return F.cross_entropy(self.logits(h[:, :-1][wanted]).float(), targets)
        batch, length = ids.shape
        rows = wanted.nonzero()[:, 0]                                       # the example of each target position
        own = rows[:, None] == torch.arange(batch * length, device=device)[None] // length
        source_ok = self.source_mask(ids, seg, att).reshape(1, -1) & own
        logp = self.log_probs(h[:, :-1][wanted], h.reshape(batch * length, -1), ids.reshape(-1), source_ok)
        return F.nll_loss(logp, targets)


class Seq2SeqStepper:
    """A :class:`textmine.neural.Stepper` over a :class:`Seq2Seq`: next-token log-probabilities of
    ``source + prefix + generated`` rows, cached (keys/values kept) or recomputed from scratch.

    Parameters
    ----------
    model : Seq2Seq
        Run in eval mode under ``no_grad`` for each step; its training mode is left as it was.
    source : sequence of int
        Segment-0 ids, normally ``model.source_ids(passage, max_len)`` (``[CLS] ... [SEP]``).
    prefix : sequence of int
        Target ids already fixed (segment 1), e.g. ``answer_ids + [SEP]`` before decoding a question.
    end_id : int or None
        Stop token; default ``[SEP]``.
    use_cache : bool
        ``False`` recomputes the whole sequence each step (for comparison; same output, slower).
    """

    def __init__(self, model: Seq2Seq, source: Sequence[int], prefix: Sequence[int] = (), *,
                 end_id: int | None = None, use_cache: bool = True):
        if not len(source):
            raise InputError("source is empty; expected at least [CLS] and [SEP] ids")
        self.model, self.use_cache, self.n_source = model, use_cache, len(source)
        self.end_id = model.sep_id if end_id is None else end_id
        self.room = model.max_length - len(source) - len(prefix)
        self.device = next(model.parameters()).device
        ids = torch.tensor([list(source) + list(prefix)], dtype=torch.long, device=self.device)
        seg = torch.zeros_like(ids)
        seg[:, len(source):] = 1
        self.ids, self.seg = ids, seg
        self.source_ids = ids[0, : len(source)]
        self.source_ok = model.source_mask(ids[:, : len(source)], seg[:, : len(source)])
        self.past: KeyValues | None = None
        self._logprobs: torch.Tensor | None = None                          # computed on first use

    @torch.no_grad()
    def _run(self, ids: torch.Tensor, seg: torch.Tensor, past: KeyValues | None) -> torch.Tensor:
        """Log-probs after the last of ``ids``; a pass over the whole sequence also keeps the source states."""
        was_training = self.model.training
        self.model.eval()
        try:
            start = 0 if past is None else past[0][0].shape[2]
            pos = torch.arange(start, start + ids.shape[1], device=self.device)[None].expand_as(ids)
            h, present = self.model.hidden(ids, seg, pos, unilm_mask(seg) if past is None else None, past)
            if past is None:
                self.source_h = h[0, : self.n_source]                       # the same in every row
            if self.use_cache:
                self.past = present
            return self.model.log_probs(h[:, -1], self.source_h, self.source_ids, self.source_ok)
        finally:
            self.model.train(was_training)

    def logprobs(self) -> torch.Tensor:
        """``[rows, vocab]`` log-probabilities of the next token."""
        if self._logprobs is None:
            self._logprobs = self._run(self.ids, self.seg, None)
        return self._logprobs

    def advance(self, rows: torch.Tensor, tokens: torch.Tensor) -> None:
        """Keep (and reorder/duplicate) ``rows``, append ``tokens[i]`` to row ``rows[i]``."""
        self.ids = torch.cat([self.ids[rows], tokens[:, None]], dim=1)
        self.seg = torch.cat([self.seg[rows], torch.ones_like(tokens)[:, None]], dim=1)
        self.room -= 1
        if self.use_cache:
            past = [(k[rows], v[rows]) for k, v in self.past]
            self._logprobs = self._run(tokens[:, None], self.seg[:, -1:], past)
        else:
            self._logprobs = self._run(self.ids, self.seg, None)
