"""Greedy, beam-search and top-k/top-p decoding for any model behind a small :class:`Stepper`.

The search code only asks a stepper for next-token log-probabilities per row and tells it which
rows to keep and which tokens to append, so the UniLM :class:`~textmine.neural.Seq2SeqStepper`
(cached: it encodes the passage once) and the text VAE's decoder (a latent code as context) share
one beam search and one sampler.

A :class:`PrefixTrie` of allowed token sequences (e.g. every substring of the passage, via
:meth:`PrefixTrie.substrings`) constrains any strategy: at each step only the trie's children of the
current node (and the end token where a sequence may stop) keep their probability.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

import torch

from textmine.errors import InputError

__all__ = ["Hypothesis", "PrefixTrie", "Stepper", "generate"]

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

    A stepper starts with ONE row (the shared context: a passage, a latent code); :func:`generate`
    then duplicates, reorders and extends rows through :meth:`advance`. ``room`` bounds how many
    more tokens it can take (``None``: no bound), so :func:`generate` can refuse a ``max_len`` that
    would overflow the model before decoding starts.
    """

    end_id: int
    room: int | None

    def logprobs(self) -> torch.Tensor:
        """``[rows, vocab]`` log-probabilities of the next token."""

    def advance(self, rows: torch.Tensor, tokens: torch.Tensor) -> None:
        """Keep (and reorder/duplicate) ``rows``, append ``tokens[i]`` to row ``rows[i]``."""


def _constrain(logp: torch.Tensor, nodes: list | None, end_id: int, allow_end: list[bool]) -> torch.Tensor:
    """Set disallowed tokens to -inf: outside the trie's children, and the end token while too short."""
    if nodes is None:
        out = logp.clone()
        for i, ok in enumerate(allow_end):
            if not ok:
                out[i, end_id] = _NEG
        return out
    mask = torch.ones_like(logp, dtype=torch.bool)
    for i, node in enumerate(nodes):
        allowed = [t for t in node if t is not None]
        if node.get(None, False) and allow_end[i]:
            allowed.append(end_id)
        if allowed:
            mask[i, allowed] = False
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


def _step_nodes(nodes, rows, tokens, trie):
    if trie is None:
        return None
    return [nodes[r].get(t, {}) for r, t in zip(rows, tokens)]


def _sample(stepper, *, greedy, num, max_len, min_len, end_id, trie, top_k, top_p, temperature, generator):
    tokens: list[list[int]] = [[] for _ in range(num)]
    scores = [0.0] * num
    nodes = [trie.root] * num if trie is not None else None
    alive = list(range(num))                                                # output index of each stepper row
    done: dict[int, Hypothesis] = {}
    first = True
    for step in range(max_len + 1):
        logp = stepper.logprobs()
        if first:
            logp = logp.expand(num, -1)
        logp = _constrain(logp, nodes, end_id, [step >= min_len] * len(alive))
        if step == max_len:                                                 # out of room: stop unfinished
            for out in alive:
                done[out] = Hypothesis(tokens[out], scores[out], False)
            break
        if greedy:
            choice = logp.argmax(dim=-1)
        else:
            probs = torch.softmax(_filter(logp, top_k, top_p, temperature), dim=-1)
            if not torch.isfinite(probs).all() or (probs.sum(-1) <= 0).any():
                raise InputError("no token is allowed by the constraint; check the trie and min_len")
            choice = torch.multinomial(probs.cpu(), 1, generator=generator).squeeze(1).to(logp.device)
        chosen = logp.gather(1, choice[:, None]).squeeze(1).tolist()
        keep_pos, keep_rows, keep_tokens, keep_alive = [], [], [], []
        for row, (out, tok, lp) in enumerate(zip(alive, choice.tolist(), chosen)):
            if lp == _NEG:
                raise InputError("no token is allowed by the constraint; check the trie and min_len")
            scores[out] += lp
            if tok == end_id:
                done[out] = Hypothesis(tokens[out], scores[out], True)
            else:
                tokens[out].append(tok)
                keep_pos.append(row)
                keep_rows.append(0 if first else row)        # the stepper holds one row before the first step
                keep_tokens.append(tok)
                keep_alive.append(out)
        if not keep_alive:
            break
        nodes = _step_nodes(nodes, keep_pos, keep_tokens, trie)
        alive = keep_alive
        dev = logp.device
        stepper.advance(torch.tensor(keep_rows, device=dev), torch.tensor(keep_tokens, device=dev))
        first = False
    return [done[i] for i in range(num)]


def _beam(stepper, *, beam_size, max_len, min_len, end_id, trie, num_return, length_penalty):
    def rank(score: float, length: int) -> float:                          # GNMT-style length normalisation
        return score / length ** length_penalty

    beams: list[tuple[list[int], float]] = [([], 0.0)]
    nodes = [trie.root] if trie is not None else None
    finished: list[Hypothesis] = []
    for step in range(max_len + 1):
        logp = _constrain(stepper.logprobs(), nodes, end_id, [step >= min_len] * len(beams))
        if step == max_len:
            finished.extend(Hypothesis(t, s, False) for t, s in beams)
            break
        total = logp + torch.tensor([s for _, s in beams], device=logp.device)[:, None]
        flat = total.flatten()
        k = min(2 * beam_size, int(torch.isfinite(flat).sum()))
        if k == 0:
            break
        top = torch.topk(flat, k)
        vocab = logp.shape[1]
        keep_rows, keep_tokens, new_beams = [], [], []
        for score, index in zip(top.values.tolist(), top.indices.tolist()):
            row, tok = divmod(index, vocab)
            if tok == end_id:
                finished.append(Hypothesis(beams[row][0], score, True))
            elif len(new_beams) < beam_size:
                new_beams.append((beams[row][0] + [tok], score))
                keep_rows.append(row)
                keep_tokens.append(tok)
            if len(new_beams) == beam_size:
                break
        done = sorted((rank(h.score, len(h.tokens) + 1) for h in finished), reverse=True)
        # log-probs only fall and a hypothesis ends by max_len + 1 tokens, so no live beam can rank
        # above new_beams[0]'s score spread over max_len + 1 tokens: stop once that cannot enter
        if len(done) >= num_return and (not new_beams or rank(new_beams[0][1], max_len + 1) < done[num_return - 1]):
            break
        if not new_beams:
            break
        nodes = _step_nodes(nodes, keep_rows, keep_tokens, trie)
        beams = new_beams
        dev = logp.device
        stepper.advance(torch.tensor(keep_rows, device=dev), torch.tensor(keep_tokens, device=dev))
    finished.sort(key=lambda h: -rank(h.score, len(h.tokens) + 1))
    return finished[:num_return]


@torch.no_grad()
def generate(stepper: Stepper, *, method: str = "greedy", max_len: int = 32, min_len: int = 0,
             beam_size: int = 4, num_return: int = 1, top_k: int = 0, top_p: float = 1.0,
             temperature: float = 1.0, generator: torch.Generator | None = None,
             constraint: PrefixTrie | None = None, length_penalty: float = 0.0) -> list[Hypothesis]:
    """Continue the stepper's context with up to ``max_len`` new tokens.

    Parameters
    ----------
    stepper : Stepper
        E.g. ``Seq2SeqStepper(model, source_ids, prefix)``; consumed (it holds the decoding state).
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
    if length_penalty < 0:
        raise InputError(f"length_penalty={length_penalty}; expected 0 (total log-probability) or more")
    if method not in ("greedy", "beam", "sample"):
        raise InputError(f"method={method!r} is unknown; expected greedy, beam or sample")
    if stepper.room is not None and max_len + 1 > stepper.room:
        raise InputError(f"max_len ({max_len}) + 1 end token exceeds the {stepper.room} positions the model has "
                         "left after its context; shorten the passage or max_len")
    if method == "beam":
        return _beam(stepper, beam_size=beam_size, max_len=max_len, min_len=min_len, end_id=stepper.end_id,
                     trie=constraint, num_return=min(num_return, beam_size), length_penalty=length_penalty)
    return _sample(stepper, greedy=method == "greedy", num=1 if method == "greedy" else num_return,
                   max_len=max_len, min_len=min_len, end_id=stepper.end_id, trie=constraint, top_k=top_k,
                   top_p=top_p, temperature=temperature, generator=generator)
