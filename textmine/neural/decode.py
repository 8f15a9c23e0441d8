"""Greedy, beam-search and top-k/top-p decoding for any model behind a small :class:`Stepper`.

The search code only asks a stepper for next-token log-probabilities per row and tells it which
rows to keep and which tokens to append, so the UniLM :class:`~textmine.neural.Seq2SeqStepper`
(cached: it encodes the passage once) and the text VAE's decoder (a latent code as context) share
one beam search and one sampler.

:func:`generate_batch` runs the same searches for many contexts at once (a stepper holding several
passages): one model call per step for all their rows instead of one per context, which is what
makes decoding fast on a CPU, where a step of a few rows costs little more than its fixed overhead.
Each context keeps its own beams, finished hypotheses, stopping rule and random generator, so it
gets what it would get alone.

A :class:`PrefixTrie` of allowed token sequences (e.g. every substring of the passage, via
:meth:`PrefixTrie.substrings`) constrains any strategy: at each step only the trie's children of the
current node (and the end token where a sequence may stop) keep their probability.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

import torch

from textmine.errors import InputError

__all__ = ["Hypothesis", "PrefixTrie", "Stepper", "generate", "generate_batch"]

log = logging.getLogger(__name__)

_NEG = float("-inf")


@dataclass
class Hypothesis:
    """One decoded continuation: ``tokens`` (without the end token), ``score`` = sum of token log-probs
    (under the constrained distribution, before top-k/top-p/temperature), ``finished`` = ended with the
    end token rather than at ``max_len``."""

    tokens: list[int]
    score: float
    finished: bool


class PrefixTrie:
    """A trie of allowed token sequences; any node marked ``end`` may be followed by the end token."""

    def __init__(self, sequences: Iterable[Sequence[int]] = ()):
        self.root: dict = {}
        for seq in sequences:
            self.add(seq)

    def add(self, seq: Sequence[int]) -> None:
        """Allow ``seq`` as a complete output."""
        node = self.root
        for tok in seq:
            node = node.setdefault(int(tok), {})
        node[None] = True                                                   # None key = may end here

    @classmethod
    def substrings(cls, ids: Sequence[int], max_len: int, min_len: int = 1) -> "PrefixTrie":
        """Every contiguous run of ``ids`` with ``min_len <= length <= max_len`` (e.g. answer spans)."""
        trie = cls()
        ids = [int(i) for i in ids]
        for start in range(len(ids)):
            node = trie.root
            for length, tok in enumerate(ids[start: start + max_len], 1):
                node = node.setdefault(tok, {})
                if length >= min_len:
                    node[None] = True
        return trie

    def node(self, tokens: Sequence[int]) -> dict | None:
        """The node reached by ``tokens`` from the root, or ``None`` if it is not a prefix."""
        node = self.root
        for tok in tokens:
            node = node.get(int(tok))
            if node is None:
                return None
        return node

    def __contains__(self, seq: Sequence[int]) -> bool:
        node = self.node(seq)
        return node is not None and node.get(None, False)


class Stepper(Protocol):
    """What beam search and sampling need from a model: the next-token distribution of each row.

    A stepper starts with one row per context (a passage, a latent code; most steppers hold one);
    :func:`generate_batch` then duplicates, reorders, extends and drops rows through :meth:`advance`,
    always keeping each context's rows together and the contexts in order. ``room`` bounds how many
    more tokens it can take (``None``: no bound), so decoding can refuse a ``max_len`` that would
    overflow the model before it starts.
    """

    end_id: int
    room: int | None

    def logprobs(self) -> torch.Tensor:
        """``[rows, vocab]`` log-probabilities of the next token."""

    def advance(self, rows: torch.Tensor, tokens: torch.Tensor) -> None:
        """Keep (and reorder/duplicate) ``rows``, append ``tokens[i]`` to row ``rows[i]``."""


_EMPTY: dict = {}                                                           # the node after a token outside the trie


def _constrain(logp: torch.Tensor, nodes: list | None, end_id: int, allow_end: bool) -> torch.Tensor:
    """Set disallowed tokens to -inf: outside the trie's children, and the end token while too short."""
    if nodes is None:
        if allow_end:
            return logp
        out = logp.clone()
        out[:, end_id] = _NEG
        return out
    rows, tokens = [], []                                                   # one masked write for all rows
    for i, node in enumerate(nodes):
        allowed = [t if t is not None else end_id for t in node if t is not None or allow_end]
        rows.extend([i] * len(allowed))
        tokens.extend(allowed)
    mask = torch.ones_like(logp, dtype=torch.bool)
    if rows:
        mask[rows, tokens] = False
    masked = logp.masked_fill(mask, _NEG)
    return torch.log_softmax(masked, dim=-1).nan_to_num(nan=_NEG)        # renormalise over what is allowed


def _filter(logp: torch.Tensor, top_k: int, top_p: float, temperature: float) -> torch.Tensor:
    """Temperature, then keep the top-k tokens, then the smallest set with probability >= top_p."""
    logits = logp / max(temperature, 1e-6)
    if top_k and top_k < logits.shape[-1]:
        kth = torch.topk(logits, top_k, dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth, _NEG)
    if top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True, dim=-1)
        probs = torch.softmax(sorted_logits, dim=-1)
        drop = probs.cumsum(-1) - probs > top_p                              # keep the token that crosses top_p
        logits = logits.scatter(-1, order, sorted_logits.masked_fill(drop, _NEG))
    return logits


def _advance(stepper: Stepper, rows: list[int], tokens: list[int], device: torch.device) -> None:
    stepper.advance(torch.tensor(rows, device=device), torch.tensor(tokens, device=device))


def _sample(stepper, *, greedy, num, max_len, min_len, end_id, tries, top_k, top_p, temperature, generators):
    contexts = len(generators)
    tokens: list[list[int]] = [[] for _ in range(contexts * num)]          # output c * num + j: draw j of context c
    scores = [0.0] * len(tokens)
    alive = list(range(len(tokens)))                                        # output of each row, contexts in order
    source = [out // num for out in alive]                                  # the stepper row each row reads
    nodes = [tries[out // num].root for out in alive] if tries is not None else None
    done: dict[int, Hypothesis] = {}
    for step in range(max_len + 1):
        logp = _constrain(stepper.logprobs()[source], nodes, end_id, step >= min_len)
        if step == max_len:                                                 # out of room: stop unfinished
            for out in alive:
                done[out] = Hypothesis(tokens[out], scores[out], False)
            break
        if greedy:
            choice = logp.argmax(dim=-1).tolist()
        else:
            probs = torch.softmax(_filter(logp, top_k, top_p, temperature), dim=-1)
            if not torch.isfinite(probs).all() or (probs.sum(-1) <= 0).any():
                raise InputError("no token is allowed by the constraint; check the trie and min_len")
            choice = []                                                     # each context draws from its own
            for c, rows in itertools.groupby(range(len(alive)), key=lambda row: alive[row] // num):
                rows = list(rows)                                           # generator, as if decoded alone
                draws = torch.multinomial(probs[rows[0]: rows[-1] + 1].cpu(), 1, generator=generators[c])
                choice += draws.squeeze(1).tolist()
        chosen = logp[torch.arange(len(alive)), choice].tolist()
        keep, keep_rows, keep_tokens = [], [], []
        for row, (out, tok, lp) in enumerate(zip(alive, choice, chosen)):
            if lp == _NEG:
                raise InputError("no token is allowed by the constraint; check the trie and min_len")
            scores[out] += lp
            if tok == end_id:
                done[out] = Hypothesis(tokens[out], scores[out], True)
            else:
                tokens[out].append(tok)
                keep.append(row)
                keep_rows.append(source[row])
                keep_tokens.append(tok)
        if not keep:
            break
        if nodes is not None:
            nodes = [nodes[row].get(tok, _EMPTY) for row, tok in zip(keep, keep_tokens)]
        alive = [alive[row] for row in keep]
        source = list(range(len(alive)))
        _advance(stepper, keep_rows, keep_tokens, logp.device)
    return [[done[c * num + j] for j in range(num)] for c in range(contexts)]


def _beam(stepper, *, contexts, beam_size, max_len, min_len, end_id, tries, num_return, length_penalty):
    def rank(score: float, length: int) -> float:                          # GNMT-style length normalisation
        return score / length ** length_penalty

    beams: list[list[tuple[list[int], float]]] = [[([], 0.0)] for _ in range(contexts)]
    nodes = [[tries[c].root] for c in range(contexts)] if tries is not None else None
    finished: list[list[Hypothesis]] = [[] for _ in range(contexts)]
    active = list(range(contexts))                                          # contexts still searching, in row order
    for step in range(max_len + 1):
        flat_nodes = None if nodes is None else [node for c in active for node in nodes[c]]
        logp = _constrain(stepper.logprobs(), flat_nodes, end_id, step >= min_len)
        if step == max_len:
            for c in active:
                finished[c].extend(Hypothesis(t, s, False) for t, s in beams[c])
            break
        sizes = [len(beams[c]) for c in active]
        total = logp + torch.tensor([s for c in active for _, s in beams[c]], device=logp.device)[:, None]
        vocab, width = logp.shape[1], max(sizes)
        if min(sizes) < width:                                              # pad to one [contexts, width * vocab]
            slots = [i * width + j for i, size in enumerate(sizes) for j in range(size)]
            padded = total.new_full((len(active) * width, vocab), _NEG)
            padded[slots] = total
            total = padded
        top = torch.topk(total.view(len(active), width * vocab), min(2 * beam_size, width * vocab))
        keep_rows, keep_tokens, still, first = [], [], [], 0
        for c, size, values, indices in zip(active, sizes, top.values.tolist(), top.indices.tolist()):
            new_beams, rows = [], []
            for score, index in zip(values, indices):
                if score == _NEG:                                           # fewer allowed tokens than 2 * beam
                    break
                row, tok = divmod(index, vocab)
                if tok == end_id:
                    finished[c].append(Hypothesis(beams[c][row][0], score, True))
                elif len(new_beams) < beam_size:
                    new_beams.append((beams[c][row][0] + [tok], score))
                    rows.append(row)
                if len(new_beams) == beam_size:
                    break
            done = sorted((rank(h.score, len(h.tokens) + 1) for h in finished[c]), reverse=True)
            # log-probs only fall and a hypothesis ends by max_len + 1 tokens, so no live beam can rank
            # above new_beams[0]'s score spread over max_len + 1 tokens: stop once that cannot enter
            stop = len(done) >= num_return and (not new_beams or rank(new_beams[0][1], max_len + 1) < done[num_return - 1])
            if new_beams and not stop:
                if nodes is not None:
                    nodes[c] = [nodes[c][row].get(tok[-1], _EMPTY) for row, (tok, _) in zip(rows, new_beams)]
                beams[c] = new_beams
                still.append(c)
                keep_rows += [first + row for row in rows]
                keep_tokens += [tok[-1] for tok, _ in new_beams]
            first += size
        active = still
        if not active:
            break
        _advance(stepper, keep_rows, keep_tokens, logp.device)
    for hyps in finished:
        hyps.sort(key=lambda h: -rank(h.score, len(h.tokens) + 1))
    return [hyps[:num_return] for hyps in finished]


def _check(stepper: Stepper, method: str, max_len: int, length_penalty: float) -> None:
    if length_penalty < 0:
        raise InputError(f"length_penalty={length_penalty}; expected 0 (total log-probability) or more")
    if method not in ("greedy", "beam", "sample"):
        raise InputError(f"method={method!r} is unknown; expected greedy, beam or sample")
    if stepper.room is not None and max_len + 1 > stepper.room:
        raise InputError(f"max_len ({max_len}) + 1 end token exceeds the {stepper.room} positions the model has "
                         "left after its context; shorten the passage or max_len")


@torch.inference_mode()
def generate_batch(stepper: Stepper, *, method: str = "greedy", max_len: int = 32, min_len: int = 0,
                   beam_size: int = 4, num_return: int = 1, top_k: int = 0, top_p: float = 1.0,
                   temperature: float = 1.0, generators: Sequence[torch.Generator | None] | None = None,
                   constraints: Sequence[PrefixTrie] | None = None,
                   length_penalty: float = 0.0) -> list[list[Hypothesis]]:
    """:func:`generate` for every context of a stepper at once (e.g.
    ``Seq2SeqStepper.batch(sources, contexts, prefixes)``): one model call per step for all of them.

    Each context gets what :func:`generate` gives it alone (up to floating-point rounding): beams
    and draws never mix across contexts. ``generators`` (one per context, for ``sample``; a
    generator may be repeated) and ``constraints`` (one trie per context, or ``None``) replace
    ``generate``'s ``generator`` and ``constraint``.

    Returns
    -------
    list of lists of Hypothesis: per context, as :func:`generate` returns them.
    """
    _check(stepper, method, max_len, length_penalty)
    contexts = stepper.logprobs().shape[0]
    for name, given in (("generators", generators), ("constraints", constraints)):
        if given is not None and len(given) != contexts:
            raise InputError(f"{len(given)} {name} for a stepper of {contexts} contexts; expected one per context")
    if method == "beam":
        return _beam(stepper, contexts=contexts, beam_size=beam_size, max_len=max_len, min_len=min_len,
                     end_id=stepper.end_id, tries=constraints, num_return=min(num_return, beam_size),
                     length_penalty=length_penalty)
    return _sample(stepper, greedy=method == "greedy", num=1 if method == "greedy" else num_return,
                   max_len=max_len, min_len=min_len, end_id=stepper.end_id, tries=constraints, top_k=top_k,
                   top_p=top_p, temperature=temperature, generators=generators or [None] * contexts)


def generate(stepper: Stepper, *, method: str = "greedy", max_len: int = 32, min_len: int = 0,
             beam_size: int = 4, num_return: int = 1, top_k: int = 0, top_p: float = 1.0,
             temperature: float = 1.0, generator: torch.Generator | None = None,
             constraint: PrefixTrie | None = None, length_penalty: float = 0.0) -> list[Hypothesis]:
    """Continue the stepper's context with up to ``max_len`` new tokens.

    Parameters
    ----------
    stepper : Stepper
        E.g. ``Seq2SeqStepper(model, source_ids, prefix)``, holding one context; consumed (it holds the
        decoding state). :func:`generate_batch` decodes a stepper of several contexts.
    method : {"greedy", "beam", "sample"}
        ``sample`` draws ``num_return`` independent sequences (top-k / top-p / temperature);
        ``beam`` returns the ``num_return`` best of a ``beam_size`` beam; ``greedy`` one sequence.
    max_len, min_len : int
        Bounds on the number of generated tokens (the end token ``stepper.end_id`` is not counted,
        and is banned before ``min_len``).
    generator : torch.Generator or None
        For ``sample``: the local random generator (see :func:`textmine.neural.make_generator`).
    constraint : PrefixTrie or None
        Only sequences in the trie may be produced (and only end where the trie allows).
    length_penalty : float
        For ``beam``: hypotheses are ranked by ``score / length ** length_penalty`` (length counts the
        end token). ``0`` ranks by total log-probability, which favours short outputs; ``1`` by the mean
        per token.

    Returns
    -------
    list of Hypothesis, best first for ``beam``, in draw order for ``sample``.
    """
    if stepper.logprobs().shape[0] != 1:
        raise InputError(f"the stepper holds {stepper.logprobs().shape[0]} contexts; generate decodes one "
                         "(use generate_batch)")
    return generate_batch(stepper, method=method, max_len=max_len, min_len=min_len, beam_size=beam_size,
                          num_return=num_return, top_k=top_k, top_p=top_p, temperature=temperature,
                          generators=[generator], constraints=None if constraint is None else [constraint],
                          length_penalty=length_penalty)[0]
