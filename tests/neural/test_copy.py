"""The copy head: a model with it copies tokens it never saw in training; without it, it cannot."""

import random

import pytest
import torch

from textmine.neural import Seq2Seq, Seq2SeqStepper, Trainer, generate

TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *"三国演义是中古典四大名著之一作者罗贯刘备关羽张飞曹操孙权诸葛亮赤壁桃园结问谁何"]
SEEN, UNSEEN = TOKENS[5:25], TOKENS[25:]


def _copy_task(pool, n, seed):
    """Sources of 6 distinct tokens; the target is the 2nd to 4th of them."""
    rng = random.Random(seed)
    return [(src, src[1:4]) for src in (rng.sample(pool, 6) for _ in range(n))]


def _accuracy(model, examples):
    ids = model.tokenizer.convert_tokens_to_ids
    hits = [generate(Seq2SeqStepper(model, [model.cls_id, *ids(s), model.sep_id]), max_len=5)[0].tokens == ids(t)
            for s, t in examples]
    return sum(hits) / len(hits)


@pytest.mark.parametrize("copy, unseen_accuracy", [(True, lambda a: a >= 0.9), (False, lambda a: a <= 0.1)])
def test_copy_head_copies_unseen_tokens(tmp_path, copy, unseen_accuracy):
    model = Seq2Seq.build("tiny", TOKENS, max_positions=32, seed=0, copy=copy)
    ids = model.tokenizer.convert_tokens_to_ids
    train = [([model.cls_id, *ids(s), model.sep_id], [*ids(t), model.sep_id]) for s, t in _copy_task(SEEN, 2000, 0)]
    Trainer(tmp_path, max_steps=300, batch_size=16, lr=3e-3, warmup=0.1, ema_decay=None, progress=False,
            seed=0).fit(model, train, model.collate)
    assert _accuracy(model, _copy_task(SEEN, 50, 1)) >= 0.9                 # both learn the task
    assert unseen_accuracy(_accuracy(model, _copy_task(UNSEEN, 50, 2)))     # only the pointer generalises


def test_copy_model_saves_loads_and_decodes_the_same_cached(tiny_vocab, tmp_path):
    model = Seq2Seq.build("tiny", tiny_vocab, max_positions=64, seed=3, copy=True).eval()
    model.save(tmp_path / "m")
    loaded = Seq2Seq.load(tmp_path / "m").eval()
    assert loaded.copy is not None and (tmp_path / "m" / "weights.safetensors").is_file()     # the head; the BERT folder beside it
    for a, b in zip(model.state_dict().values(), loaded.state_dict().values()):
        assert torch.equal(a, b)
    src = model.source_ids("刘备关羽张飞桃园结义", 32)
    for method in ("greedy", "beam"):
        cached = generate(Seq2SeqStepper(loaded, src), method=method, beam_size=3, num_return=3, max_len=8)
        plain = generate(Seq2SeqStepper(loaded, src, use_cache=False), method=method, beam_size=3, num_return=3, max_len=8)
        assert [h.tokens for h in cached] == [h.tokens for h in plain]
        assert [h.score for h in cached] == pytest.approx([h.score for h in plain], abs=1e-4)
