"""UniLM sequence-to-sequence on a BERT masked-LM: one encoder that reads a source and writes a target.

Layout ``[CLS] source [SEP] target... [SEP]`` with segment id 0 on the source and 1 on the target.
The attention mask lets source tokens see the whole source (bidirectional) and each target token see
the source plus the earlier target tokens (causal); the loss is cross-entropy on target tokens only.
The mask is a 4-D additive float mask ``[B, 1, L, L]`` (0 = may attend, dtype minimum = may not).

With ``copy=True`` a pointer head (See et al. 2017) mixes the vocabulary softmax with attention over
the source tokens, ``p(w) = g p_vocab(w) + (1 - g) sum_{j: source_j = w} a_j``: a model trained from
scratch on a few thousand passages learns to copy a passage's names instead of writing the likeliest
word of the training questions.

The forward pass walks the Hugging Face BERT layers itself (:meth:`Seq2Seq.layers`), taking the
attention step as a function: a full pass attends with the mask; :class:`Seq2SeqStepper` (the
model's side of :func:`textmine.neural.generate` and :func:`~textmine.neural.generate_batch`)
attends over a passage's stored keys/values (:class:`EncodedSources`, computed once) and the
target's, to extend the target one token at a time, for the rows of many passages in one call.
Under the UniLM mask a token's states never depend on later tokens, so this computes the same
numbers as re-running the whole sequence each step (``use_cache=False``, the reference
implementation's way) at a fraction of the cost. Training and decoding share these layers, so
they cannot drift apart.
"""

from __future__ import annotations

import copy
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn
from transformers import BertForMaskedLM, BertTokenizer

from textmine.errors import InputError
from textmine.neural.bert import build_bert, load_bert, write_bert
from textmine.persist import CONFIG, read_config, read_tensors, write_model

__all__ = ["Seq2Seq", "Seq2SeqStepper", "EncodedSources", "CopyHead", "unilm_mask", "KeyValues"]

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


MLM_RATE = 0.15                                                             # BERT's share of a masked-LM row predicted


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
        return self.mix(vocab_logits, h, self.query(h).float() @ source_h.float().T, source_ids[None], source_ok)

    def mix(self, vocab_logits: torch.Tensor, h: torch.Tensor, dots: torch.Tensor, source_ids: torch.Tensor,
            source_ok: torch.Tensor) -> torch.Tensor:
        """``[N, V]`` log-probabilities from ``dots [N, L]``, each row's copy query (``self.query(h)``)
        times the states of its source tokens ``source_ids [N or 1, L]``, of which row ``n`` may copy
        where ``source_ok [N or 1, L]``. Apart from :meth:`log_probs` so that cached decoding can
        take the products passage by passage."""
        scores = dots / h.shape[-1] ** 0.5
        attn = torch.softmax(scores.masked_fill(~source_ok, float("-inf")), dim=-1).nan_to_num(0.0)
        gate = torch.sigmoid(self.gate(h).float())
        # the copied mass is added where the source's tokens are: two passes over [N, V] fewer than
        # a dense copy distribution mixed in, and with a narrow model those passes are most of a step
        mixed = (torch.softmax(vocab_logits.float(), dim=-1) * gate).scatter_add(
            1, source_ids.expand(h.shape[0], -1), (1 - gate) * attn)
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
        """Write the model as one folder, atomically: a Hugging Face BERT folder plus the textmine
        model config (:mod:`textmine.persist`; ``meta`` is kept in it) and the copy head's weights."""
        def parts(tmp: Path) -> tuple[dict, dict]:
            write_bert(self.bert, self.tokenizer, tmp)
            return {}, dict(self.copy.state_dict()) if self.copy is not None else {}

        return write_model(folder, type(self).__name__, {"copy": self.copy is not None}, meta=meta, parts=parts)

    @classmethod
    def load(cls, folder: str | os.PathLike) -> "Seq2Seq":
        """Load a folder written by :meth:`save` (or any BERT masked-LM folder)."""
        copy = (Path(folder) / CONFIG).is_file() and read_config(folder, cls.__name__)["params"]["copy"]
        model = cls(*load_bert(folder), copy=copy)
        if model.copy is not None:
            model.copy.load_state_dict(read_tensors(folder))
        return model

    def hparams(self) -> dict:
        """The architecture (BERT config and copy head), recorded in training checkpoints."""
        return {"kind": "unilm-seq2seq", "bert": self.bert.config.to_dict(), "copy": self.copy is not None}

    @staticmethod
    def read_meta(folder: str | os.PathLike) -> dict:
        """The ``meta`` dict given to :meth:`save` (empty when there is none)."""
        return read_config(folder)["meta"] if (Path(folder) / CONFIG).is_file() else {}

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
        """Pad ``(source_ids, target_ids)`` pairs into a batch ``{input_ids, segment_ids, attention_mask}``.

        A pair with an empty target is a masked-LM row (UniLM's bidirectional objective, for
        unlabelled text): BERT's 15% of its tokens inside ``[CLS] ... [SEP]`` (at least one) are
        predicted, of which 80% read [MASK], 10% a random token and 10% themselves; the batch then
        also has ``mlm_labels`` (their ids, -100 elsewhere). The draws use torch's generator, which
        the trainer's checkpoint keeps; a batch without such rows draws nothing.
        """
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
        batch = {"input_ids": ids, "segment_ids": seg, "attention_mask": att}
        masked_rows = [i for i, (src, tgt) in enumerate(examples) if not len(tgt) and len(src) > 2]
        if masked_rows:
            batch["mlm_labels"] = self._mask_tokens(ids, masked_rows, [len(examples[i][0]) for i in masked_rows])
        return batch

    def _mask_tokens(self, ids: torch.Tensor, rows: list[int], lengths: list[int]) -> torch.Tensor:
        """Choose and corrupt (in place) the predicted tokens of masked-LM ``rows``; their labels."""
        labels = torch.full_like(ids, -100)
        for row, length in zip(rows, lengths):
            inner = torch.arange(1, length - 1)                                 # between [CLS] and [SEP]
            chosen = inner[torch.rand(len(inner)) < MLM_RATE]
            if not len(chosen):
                chosen = inner[torch.randint(len(inner), (1,))]
            labels[row, chosen] = ids[row, chosen]
            how = torch.rand(len(chosen))
            ids[row, chosen[how < 0.8]] = self.tokenizer.mask_token_id
            noisy = chosen[(how >= 0.8) & (how < 0.9)]
            ids[row, noisy] = torch.randint(self.bert.config.vocab_size, (len(noisy),))
        return labels

    # ---------------------------------------------------------------- forward
    def hidden(self, input_ids: torch.Tensor, segment_ids: torch.Tensor, position_ids: torch.Tensor,
               mask: torch.Tensor | None) -> tuple[torch.Tensor, KeyValues]:
        """Final hidden states ``[B, L, H]`` and the keys/values of every layer.

        ``mask`` is additive, ``[B or 1, 1, L, L]`` or ``None`` (attend everything).
        """
        present: KeyValues = []
        dropout = self.bert.config.attention_probs_dropout_prob if self.training else 0.0

        def attend(i: int, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
            present.append((k, v))
            return F.scaled_dot_product_attention(q, k, v, attn_mask=None if mask is None else mask.to(q.dtype),
                                                  dropout_p=dropout)

        return self.layers(self.embed(input_ids, segment_ids, position_ids), attend), present

    def embed(self, input_ids: torch.Tensor, segment_ids: torch.Tensor, position_ids: torch.Tensor) -> torch.Tensor:
        """Token + segment + position embeddings ``[B, L, H]``."""
        return self.bert.bert.embeddings(input_ids=input_ids, token_type_ids=segment_ids, position_ids=position_ids)

    def layers(self, h: torch.Tensor, attend) -> torch.Tensor:
        """The BERT layers over embeddings ``h [B, L, H]``.

        ``attend(layer, q, k, v)`` (each ``[B, heads, L, head_dim]``) returns the attention context of
        the same shape: the one step where a full pass (masked self-attention) and cached decoding
        (the passage's stored keys plus the target's) differ, so both run the same layers.
        """
        batch, length = h.shape[:2]
        for i, layer in enumerate(self.bert.bert.encoder.layer):
            att = layer.attention.self
            q, k, v = (lin(h).view(batch, length, self.num_heads, self.head_dim).transpose(1, 2)
                       for lin in (att.query, att.key, att.value))
            ctx = attend(i, q, k, v).transpose(1, 2).reshape(batch, length, -1)
            a = layer.attention.output(ctx, h)
            h = layer.output(layer.intermediate(a), a)
        return h

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
        """Mean cross-entropy of the predicted tokens: the targets (segment 1, not padding), each from
        its left, and the masked-LM rows' chosen tokens (``mlm_labels``), each from both sides."""
        device = next(self.parameters()).device
        ids, seg = batch["input_ids"].to(device), batch["segment_ids"].to(device)
        att = batch["attention_mask"].to(device)
        positions = torch.arange(ids.shape[1], device=device)[None].expand_as(ids)
        h, _ = self.hidden(ids, seg, positions, unilm_mask(seg, att))
        wanted = (seg[:, 1:] == 1) & att[:, 1:].bool()
        labels = batch["mlm_labels"].to(device) if "mlm_labels" in batch else None
        masked = labels != -100 if labels is not None else None
        n_targets, n_masked = int(wanted.sum()), int(masked.sum()) if masked is not None else 0
        if not n_targets and not n_masked:
            raise InputError("a batch has no target tokens (segment 1); every example needs a target")
        total = self._target_loss(ids, seg, att, h, wanted) if n_targets else h.new_zeros(())
        if n_masked:
            total = total + F.cross_entropy(self.logits(h[masked]).float(), labels[masked], reduction="sum")
        return total / (n_targets + n_masked)

    def _target_loss(self, ids, seg, att, h, wanted) -> torch.Tensor:
        """Summed cross-entropy of the target tokens ``wanted`` (one position left of each)."""
        targets = ids[:, 1:][wanted]                                        # scored at target positions only:
        if self.copy is None:                                               # saves the vocabulary matmul elsewhere
            return F.cross_entropy(self.logits(h[:, :-1][wanted]).float(), targets, reduction="sum")
        batch, length = ids.shape
        rows = wanted.nonzero()[:, 0]                                       # the example of each target position
        own = rows[:, None] == torch.arange(batch * length, device=ids.device)[None] // length
        source_ok = self.source_mask(ids, seg, att).reshape(1, -1) & own
        logp = self.log_probs(h[:, :-1][wanted], h.reshape(batch * length, -1), ids.reshape(-1), source_ok)
        return F.nll_loss(logp, targets, reduction="sum")


@contextmanager
def _eval_mode(model: nn.Module):
    """Eval mode for a decoding step, restoring training mode after; free when already in eval (a
    ``train()`` round trip walks every module, which cost more than a small model's step)."""
    if not model.training:
        yield
        return
    model.eval()
    try:
        yield
    finally:
        model.train()


class EncodedSources:
    """Source sequences (passages) run through the model once: every layer's keys/values, the final
    states (for the copy head) and their tokens, padded to the longest source.

    Under the UniLM mask a source token never sees the target, so these are the same numbers a
    full pass over ``source + target`` computes; :meth:`Seq2SeqStepper.batch` reads them for any
    number of rows per source (sampled answers, then one question beam per answer) without
    encoding a passage twice or copying its keys per row.

    Parameters
    ----------
    model : Seq2Seq
    sources : sequence of sequences of int
        Segment-0 ids, each normally ``[CLS] ... [SEP]``.
    """

    @torch.inference_mode()
    def __init__(self, model: Seq2Seq, sources: Sequence[Sequence[int]]):
        if not len(sources) or any(not len(source) for source in sources):
            raise InputError("source is empty; expected at least [CLS] and [SEP] ids")
        self.model = model
        device = next(model.parameters()).device
        self.lengths = torch.tensor([len(source) for source in sources], device=device)
        n, width = len(sources), int(self.lengths.max())
        shape = (n, model.num_heads, width, model.head_dim)
        layers = model.bert.config.num_hidden_layers
        self.keys = [torch.zeros(shape, device=device) for _ in range(layers)]
        self.values = [torch.zeros(shape, device=device) for _ in range(layers)]
        self.states = torch.zeros((n, width, model.bert.config.hidden_size), device=device)
        self.ids = torch.full((n, width), model.pad_id, dtype=torch.long, device=device)
        with _eval_mode(model):
            for i, source in enumerate(sources):                       # one by one: no padding to compute
                ids = torch.tensor([list(source)], dtype=torch.long, device=device)
                positions = torch.arange(ids.shape[1], device=device)[None]
                h, present = model.hidden(ids, torch.zeros_like(ids), positions, None)
                self.ids[i, : ids.shape[1]], self.states[i, : ids.shape[1]] = ids[0], h[0]
                for layer, (k, v) in enumerate(present):
                    self.keys[layer][i, :, : ids.shape[1]], self.values[layer][i, :, : ids.shape[1]] = k[0], v[0]
        self.key_ok = torch.arange(width, device=device)[None] < self.lengths[:, None]
        self.copy_ok = model.source_mask(self.ids, torch.zeros_like(self.ids), self.key_ok)

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index: torch.Tensor) -> "EncodedSources":
        """The sources at ``index`` only (a copy), so that finished passages stop costing compute."""
        out = copy.copy(self)
        for name in ("lengths", "states", "ids", "key_ok", "copy_ok"):
            setattr(out, name, getattr(self, name)[index])
        out.keys, out.values = [k[index] for k in self.keys], [v[index] for v in self.values]
        return out


class Seq2SeqStepper:
    """A :class:`textmine.neural.Stepper` over a :class:`Seq2Seq`: next-token log-probabilities of
    ``source + prefix + generated`` rows, cached (keys/values kept) or recomputed from scratch.

    The cached stepper keeps the sources' keys/values once per source (:class:`EncodedSources`) and
    only the target's per row, and attends over both with one batched product per source, so
    reordering beams or decoding many passages at once never copies a passage's keys.

    Parameters
    ----------
    model : Seq2Seq
        Run in eval mode for each step; its training mode is left as it was.
    source : sequence of int
        Segment-0 ids, normally ``model.source_ids(passage, max_len)`` (``[CLS] ... [SEP]``).
    prefix : sequence of int
        Target ids already fixed (segment 1), e.g. ``answer_ids + [SEP]`` before decoding a question.
    end_id : int or None
        Stop token; default ``[SEP]``.
    use_cache : bool
        ``False`` recomputes the whole sequence each step (for comparison; same output, slower).

    :meth:`batch` makes a cached stepper with one starting row per (source, prefix), for
    :func:`textmine.neural.generate_batch`.
    """

    def __init__(self, model: Seq2Seq, source: Sequence[int], prefix: Sequence[int] = (), *,
                 end_id: int | None = None, use_cache: bool = True):
        if not len(source):
            raise InputError("source is empty; expected at least [CLS] and [SEP] ids")
        self.model, self.use_cache = model, use_cache
        self.end_id = model.sep_id if end_id is None else end_id
        if use_cache:
            self._start(EncodedSources(model, [source]), [0], [prefix])
            return
        self.room = model.max_length - len(source) - len(prefix)
        self.device = next(model.parameters()).device
        ids = torch.tensor([list(source) + list(prefix)], dtype=torch.long, device=self.device)
        self.seg = torch.zeros_like(ids)
        self.seg[:, len(source):] = 1
        self.ids, self.n_source = ids, len(source)
        self.source_ok = model.source_mask(ids[:, : len(source)], self.seg[:, : len(source)])
        self._logprobs = None                                               # computed on first use

    @classmethod
    def batch(cls, sources: EncodedSources, contexts: Sequence[int],
              prefixes: Sequence[Sequence[int]] | None = None, *, end_id: int | None = None) -> "Seq2SeqStepper":
        """A cached stepper whose row ``i`` starts as source ``contexts[i]`` followed by ``prefixes[i]``."""
        stepper = cls.__new__(cls)
        stepper.model, stepper.use_cache = sources.model, True
        stepper.end_id = sources.model.sep_id if end_id is None else end_id
        stepper._start(sources, contexts, prefixes if prefixes is not None else [()] * len(contexts))
        return stepper

    # ---------------------------------------------------------------- cached rows
    @torch.inference_mode()
    def _start(self, sources: EncodedSources, contexts: Sequence[int], prefixes: Sequence[Sequence[int]]) -> None:
        if len(prefixes) != len(contexts) or not len(contexts):
            raise InputError(f"{len(contexts)} contexts and {len(prefixes)} prefixes; expected one prefix per "
                             "context, and at least one")
        self.sources, self.device = sources, sources.ids.device
        self.context = torch.tensor(list(contexts), dtype=torch.long, device=self.device)
        rows, width = len(contexts), max(len(p) for p in prefixes)
        lengths = sources.lengths[self.context]
        self.room = self.model.max_length - int((lengths + torch.tensor([len(p) for p in prefixes],
                                                                         device=self.device)).max())
        self.position = lengths.clone()                                     # of each row's next token
        empty = (rows, self.model.num_heads, 0, self.model.head_dim)
        layers = self.model.bert.config.num_hidden_layers
        self.keys = [torch.zeros(empty, device=self.device) for _ in range(layers)]
        self.values = [torch.zeros(empty, device=self.device) for _ in range(layers)]
        self.key_ok = torch.zeros((rows, 0), dtype=torch.bool, device=self.device)
        self._place()
        last = self.sources.states[self.context, lengths - 1]               # the source's [SEP]: no prefix
        if width:
            tokens = torch.full((rows, width), self.model.pad_id, dtype=torch.long, device=self.device)
            real = torch.zeros((rows, width), dtype=torch.bool, device=self.device)
            for i, prefix in enumerate(prefixes):                           # right-aligned: the last column is
                if len(prefix):                                             # the last prefix token of each row
                    tokens[i, width - len(prefix):] = torch.tensor(list(prefix), dtype=torch.long)
                    real[i, width - len(prefix):] = True
            last = torch.where(real[:, -1:], self._run(tokens, real), last)
        self._logprobs = self._log_probs(last)

    def _place(self) -> None:
        """Each row's slot among the rows of its source, for the per-source products of :meth:`_per_source`."""
        counts: dict[int, int] = {}
        slots = []
        contexts = self.context.tolist()
        for c in contexts:
            slots.append(counts.get(c, 0))
            counts[c] = slots[-1] + 1
        self.slot = torch.tensor(slots, dtype=torch.long, device=self.device)
        self.width = max(counts.values())
        # the usual beam layout, `width` rows of every source in order, needs no scatter and gather
        self.uniform = len(contexts) == len(self.sources) * self.width and \
            all(c == i // self.width for i, c in enumerate(contexts))

    def _per_source(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """``x[r] @ y[context[r]]`` for ``x [R, heads, L, a]``, ``y [sources, heads, a, b]``: the rows are
        laid out source by source for one batched product, so ``y`` is never copied per row."""
        rows, heads, length, a = x.shape
        if self.uniform:
            grouped = x.view(len(y), self.width, heads, length, a)
        else:
            grouped = x.new_zeros((len(y), self.width, heads, length, a))
            grouped[self.context, self.slot] = x
        out = grouped.transpose(1, 2).reshape(len(y), heads, self.width * length, a) @ y
        out = out.view(len(y), heads, self.width, length, -1).transpose(1, 2)
        return out.reshape(rows, heads, length, -1) if self.uniform else out[self.context, self.slot]

    def _run(self, tokens: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
        """Append ``tokens [R, L]`` (``real`` False on padding) to every row; the final states of the last."""
        model, src = self.model, self.sources
        rows, length = tokens.shape
        positions = self.position[:, None] + (real.cumsum(1) - 1).clamp_min(0)
        self.position = self.position + real.sum(1)
        causal = torch.ones((length, length), dtype=torch.bool, device=self.device).tril()
        allowed = torch.cat([src.key_ok[self.context][:, None].expand(rows, length, -1),
                             self.key_ok[:, None].expand(rows, length, -1), causal[None] & real[:, None]], dim=-1)
        bias = torch.zeros(allowed.shape, device=self.device).masked_fill_(~allowed, float("-inf"))[:, None]
        n_src, scale = src.keys[0].shape[2], model.head_dim ** -0.5

        def attend(i: int, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
            self.keys[i], self.values[i] = torch.cat([self.keys[i], k], 2), torch.cat([self.values[i], v], 2)
            scores = torch.cat([self._per_source(q, src.keys[i].transpose(2, 3)), q @ self.keys[i].transpose(2, 3)], -1)
            probs = torch.softmax(scores * scale + bias, dim=-1)
            return self._per_source(probs[..., :n_src], src.values[i]) + probs[..., n_src:] @ self.values[i]

        with _eval_mode(model):
            h = model.layers(model.embed(tokens, torch.ones_like(tokens), positions), attend)
            self.key_ok = torch.cat([self.key_ok, real], 1)
            return h[:, -1]

    def _log_probs(self, h: torch.Tensor) -> torch.Tensor:
        """:meth:`Seq2Seq.log_probs` of target states ``h [R, H]``, each row copying from its own source."""
        model, src = self.model, self.sources
        logits = model.logits(h)
        if model.copy is None:
            return torch.log_softmax(logits.float(), dim=-1)
        query = model.copy.query(h).float()[:, None, None]
        dots = self._per_source(query, src.states.float().transpose(1, 2)[:, None])[:, 0, 0]
        return model.copy.mix(logits, h, dots, src.ids[self.context], src.copy_ok[self.context])

    # ---------------------------------------------------------------- the Stepper protocol
    @torch.inference_mode()
    def logprobs(self) -> torch.Tensor:
        """``[rows, vocab]`` log-probabilities of the next token."""
        if self._logprobs is None:                                          # uncached: recompute it all
            with _eval_mode(self.model):
                positions = torch.arange(self.ids.shape[1], device=self.device)[None].expand_as(self.ids)
                h, _ = self.model.hidden(self.ids, self.seg, positions, unilm_mask(self.seg))
                self._logprobs = self.model.log_probs(h[:, -1], h[0, : self.n_source], self.ids[0, : self.n_source],
                                                      self.source_ok)
        return self._logprobs

    @torch.inference_mode()
    def advance(self, rows: torch.Tensor, tokens: torch.Tensor) -> None:
        """Keep (and reorder/duplicate) ``rows``, append ``tokens[i]`` to row ``rows[i]``."""
        self.room -= 1
        if not self.use_cache:
            self.ids = torch.cat([self.ids[rows], tokens[:, None]], dim=1)
            self.seg = torch.cat([self.seg[rows], torch.ones_like(tokens)[:, None]], dim=1)
            self._logprobs = None
            return
        self.context, self.position, self.key_ok = self.context[rows], self.position[rows], self.key_ok[rows]
        self.keys, self.values = [k[rows] for k in self.keys], [v[rows] for v in self.values]
        live = torch.unique(self.context)
        if 2 * len(live) <= len(self.sources):                              # drop finished sources
            self.sources = self.sources.take(live)
            self.context = torch.searchsorted(live, self.context)
        self._place()
        real = torch.ones((len(rows), 1), dtype=torch.bool, device=self.device)
        self._logprobs = self._log_probs(self._run(tokens[:, None], real))
