"""Cached decoding equals recomputation; trie constraints hold; bad requests are refused."""

import pytest
import torch

from textmine.errors import InputError
from textmine.neural import PrefixTrie, Seq2SeqStepper, generate, make_generator

PASSAGES = ["三国演义是中国古典四大名著之一，作者罗贯中。", "刘备关羽张飞桃园结义。", "曹操孙权赤壁。"]


def _pairs(hyps):
    return [(h.tokens, h.finished) for h in hyps], [h.score for h in hyps]


@pytest.mark.parametrize("method, length_penalty", [("greedy", 0.0), ("beam", 0.0), ("beam", 1.0)])
def test_cached_decoding_equals_uncached(tiny_model, method, length_penalty):
    for passage in PASSAGES:
        src = tiny_model.source_ids(passage, 64)
        for prefix in ([], tiny_model.target_ids("罗贯中", 8)):
            kw = dict(method=method, max_len=12, beam_size=3, num_return=3, length_penalty=length_penalty)
            cached, cached_scores = _pairs(generate(Seq2SeqStepper(tiny_model, src, prefix), **kw))
            plain, plain_scores = _pairs(generate(Seq2SeqStepper(tiny_model, src, prefix, use_cache=False), **kw))
            assert cached == plain
            assert cached_scores == pytest.approx(plain_scores, abs=1e-4)
            assert all(len(t) <= 12 for t, _ in cached)


def test_cached_sampling_equals_uncached_with_same_generator(tiny_model):
    src = tiny_model.source_ids(PASSAGES[0], 64)
    kw = dict(method="sample", num_return=4, top_k=5, top_p=0.9, max_len=8)
    a = generate(Seq2SeqStepper(tiny_model, src), generator=make_generator(7), **kw)
    b = generate(Seq2SeqStepper(tiny_model, src, use_cache=False), generator=make_generator(7), **kw)
    assert [h.tokens for h in a] == [h.tokens for h in b]


def test_beam_scores_are_sorted_and_at_least_greedy(tiny_model):
    src = tiny_model.source_ids(PASSAGES[1], 64)
    beams = generate(Seq2SeqStepper(tiny_model, src), method="beam", beam_size=4, num_return=4, max_len=6, min_len=6)
    greedy = generate(Seq2SeqStepper(tiny_model, src), method="greedy", max_len=6, min_len=6)[0]
    scores = [h.score for h in beams]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] >= greedy.score - 1e-5


def test_length_penalty_ranks_by_mean_log_probability(tiny_model):
    src = tiny_model.source_ids(PASSAGES[0], 64)
    for penalty in (0.0, 0.6, 1.0):
        hyps = generate(Seq2SeqStepper(tiny_model, src), method="beam", beam_size=4, num_return=4, max_len=10,
                        length_penalty=penalty)
        ranks = [h.score / (len(h.tokens) + 1) ** penalty for h in hyps]
        assert ranks == sorted(ranks, reverse=True)
    # the early stop is exact: a wider search over the same beams finds nothing that ranks higher
    narrow = generate(Seq2SeqStepper(tiny_model, src), method="beam", beam_size=4, max_len=10, length_penalty=1.0)[0]
    wide = generate(Seq2SeqStepper(tiny_model, src), method="beam", beam_size=4, num_return=4, max_len=10,
                    length_penalty=1.0)
    assert narrow.tokens == wide[0].tokens
    with pytest.raises(InputError, match="length_penalty"):
        generate(Seq2SeqStepper(tiny_model, src), method="beam", length_penalty=-1)


@pytest.mark.parametrize("method", ["sample", "beam", "greedy"])
def test_trie_constraint_gives_passage_substrings(tiny_model, method):
    for passage in PASSAGES:
        src = tiny_model.source_ids(passage, 64)
        body = src[1:-1]
        trie = PrefixTrie.substrings(body, max_len=6)
        hyps = generate(Seq2SeqStepper(tiny_model, src), method=method, num_return=6, beam_size=6, top_k=5, max_len=6,
                        generator=make_generator(1), constraint=trie)
        assert hyps
        spans = {tuple(body[i:j]) for i in range(len(body)) for j in range(i + 1, min(i + 6, len(body)) + 1)}
        for h in hyps:
            assert tuple(h.tokens) in spans


def test_prefix_trie_membership():
    trie = PrefixTrie([[1, 2, 3], [1, 4]])
    assert [1, 2, 3] in trie and [1, 4] in trie
    assert [1, 2] not in trie and [5] not in trie
    assert trie.node([1]) is not None and trie.node([9]) is None
    subs = PrefixTrie.substrings([5, 6, 7], max_len=2)
    assert [5, 6] in subs and [7] in subs and [5, 6, 7] not in subs and [5, 7] not in subs


def test_min_len_bans_early_end(tiny_model):
    src = tiny_model.source_ids(PASSAGES[2], 64)
    hyp = generate(Seq2SeqStepper(tiny_model, src), method="greedy", max_len=5, min_len=5)[0]
    assert len(hyp.tokens) == 5 and not hyp.finished


def test_too_long_and_unknown_method_are_refused(tiny_model):
    src = tiny_model.source_ids("三" * 200, 120)
    with pytest.raises(InputError, match="positions"):
        generate(Seq2SeqStepper(tiny_model, src), max_len=32)
    with pytest.raises(InputError, match="method"):
        generate(Seq2SeqStepper(tiny_model, src[:5]), method="nucleus")
    with pytest.raises(InputError, match="source is empty"):
        Seq2SeqStepper(tiny_model, [])


def test_decoding_leaves_training_mode_alone(tiny_model):
    tiny_model.train()
    generate(Seq2SeqStepper(tiny_model, tiny_model.source_ids(PASSAGES[0], 64)), max_len=3)
    assert tiny_model.training
    assert torch.is_grad_enabled()
