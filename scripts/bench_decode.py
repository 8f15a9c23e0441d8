"""Benchmark: UniLM decoding per question with and without the key/value cache; CPU training steps/s.

Random-weight BERTs with the 21,128-token Chinese vocabulary (weights do not change the cost), on real
insurance-QA answer passages cut to 128 tokens; each question is forced to exactly 32 tokens
(min_len = max_len) so both paths do identical work. Cached and uncached runs alternate on the same
passages; medians of the repeats are reported, with the ratio and a check that the sequences agree.

    python scripts/bench_decode.py --config small --repeats 5
    python scripts/bench_decode.py --config base --repeats 2 --methods greedy
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from textmine.corpus.datasets import insurance_passages
from textmine.neural import Seq2Seq, Trainer, generate


def _time(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def bench_decode(model, sources, method, question_len, beam):
    rows = []
    generate(model, sources[0], method=method, max_len=4, beam_size=beam)               # warm-up (allocator, kernels)
    generate(model, sources[0], method=method, max_len=4, beam_size=beam, use_cache=False)
    for src in sources:
        kw = dict(method=method, max_len=question_len, min_len=question_len, beam_size=beam, num_return=1)
        t_cache, a = _time(lambda: generate(model, src, use_cache=True, **kw))
        t_plain, b = _time(lambda: generate(model, src, use_cache=False, **kw))
        rows.append((t_cache, t_plain, a[0].tokens == b[0].tokens))
    cache = statistics.median(r[0] for r in rows)
    plain = statistics.median(r[1] for r in rows)
    return cache, plain, all(r[2] for r in rows)


def bench_train(model, passages, steps, batch, tmp):
    data = [(model.source_ids(p, 128), model.target_ids(p[:10], 17) + model.target_ids(p[10:40], 33))
            for p in passages[: batch * steps]]
    trainer = Trainer(tmp, max_steps=steps, batch_size=batch, eval_every=10**9, ema_decay=0.999,
                      progress=False, device="cpu")
    seconds, _ = _time(lambda: trainer.fit(model, data, model.collate, resume=False))
    return steps / seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="small", choices=["tiny", "small", "base"])
    ap.add_argument("--repeats", type=int, default=5, help="passages decoded per setting (median taken)")
    ap.add_argument("--passage-len", type=int, default=128)
    ap.add_argument("--question-len", type=int, default=32)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--methods", default="greedy,beam")
    ap.add_argument("--train-steps", type=int, default=5, help="0 skips the training measurement")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (1: steadiest on a shared machine)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    passages = [p for p in insurance_passages()[:2000] if len(p) >= 2 * args.passage_len][: max(args.repeats, 64)]
    model = Seq2Seq.build(args.config, max_positions=512, seed=0).eval()
    sources = [model.source_ids(p, args.passage_len) for p in passages[: args.repeats]]
    assert all(len(s) == args.passage_len for s in sources)
    n_params = sum(p.numel() for p in model.parameters()) / 1e6
    print(f"config={args.config} params={n_params:.1f}M threads={torch.get_num_threads()} "
          f"passage={args.passage_len} question={args.question_len} repeats={args.repeats}")
    print("| method | cached s/question | uncached s/question | speed-up | same sequences |")
    print("|---|---|---|---|---|")
    for method in args.methods.split(","):
        cache, plain, same = bench_decode(model, sources, method, args.question_len, args.beam)
        label = f"beam {args.beam}" if method == "beam" else method
        print(f"| {label} | {cache:.3f} | {plain:.3f} | {plain / cache:.1f}x | {same} |", flush=True)
    if args.train_steps:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            rate = bench_train(model.train(), passages, args.train_steps, args.batch, tmp)
        print(f"training: {rate:.2f} steps/s (batch {args.batch}, ~{args.passage_len + 50} tokens, CPU, EMA on)")


if __name__ == "__main__":
    main()
