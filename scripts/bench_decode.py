"""Benchmark: UniLM decoding per question with and without the key/value cache; CPU training steps/s.

Random-weight BERTs (weights do not change the cost) with the 21,128-token Chinese vocabulary or, with
``--vocab corpus --copy``, the shape of a QA model trained from scratch, on real insurance-QA answer
passages cut to 128 tokens; each question is forced to exactly 32 tokens (min_len = max_len) and each
answer to 16, so both paths do identical work. Cached and uncached runs alternate on the same
passages; medians of the repeats are reported, with the ratio and a check that the sequences agree.

    python scripts/bench_decode.py --config small --repeats 5 [--vocab corpus --copy]
    python scripts/bench_decode.py --config base --repeats 2 --methods greedy
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from textmine.corpus.datasets import insurance_passages
from textmine.neural import Seq2Seq, Seq2SeqStepper, Trainer, corpus_tokens, generate, make_generator


def _time(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _decode(model, src, method, question_len, beam, use_cache):
    """The tokens of one decoded question, or for ``pair`` of a top-k sampled 16-token answer and then
    its beam-searched question (what QAGenerator does per pair)."""
    kw = dict(max_len=question_len, min_len=question_len, beam_size=beam, num_return=1)
    if method != "pair":
        return generate(Seq2SeqStepper(model, src, use_cache=use_cache), method=method, **kw)[0].tokens
    answer = generate(Seq2SeqStepper(model, src, use_cache=use_cache), method="sample", top_k=5, max_len=16,
                      min_len=16, generator=make_generator(0))[0].tokens
    stepper = Seq2SeqStepper(model, src, answer + [model.sep_id], use_cache=use_cache)
    return answer + generate(stepper, method="beam", **kw)[0].tokens


def bench_decode(model, sources, method, question_len, beam):
    rows = []
    for use_cache in (True, False):                                           # warm-up (allocator, kernels)
        _decode(model, sources[0], method, 4, beam, use_cache)
    for src in sources:
        t_cache, a = _time(lambda: _decode(model, src, method, question_len, beam, True))
        t_plain, b = _time(lambda: _decode(model, src, method, question_len, beam, False))
        rows.append((t_cache, t_plain, a == b))
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
    ap.add_argument("--methods", default="greedy,beam,pair",
                    help="greedy, beam (a question each), pair (a sampled 16-token answer, then a beam question)")
    ap.add_argument("--train-steps", type=int, default=5, help="0 skips the training measurement")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--copy", action="store_true", help="give the model a copy head (the QA default)")
    ap.add_argument("--vocab", default="full", choices=["full", "corpus"],
                    help="full: the 21,128-token Chinese BERT vocabulary; corpus: the tokens of the passages "
                         "(what a QA model trained from scratch uses by default)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (1: steadiest on a shared machine)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    passages = [p for p in insurance_passages()[:2000] if len(p) >= 2 * args.passage_len][: max(args.repeats, 64)]
    vocab = corpus_tokens(insurance_passages()) if args.vocab == "corpus" else None
    model = Seq2Seq.build(args.config, vocab, max_positions=512, seed=0, copy=args.copy).eval()
    sources = [model.source_ids(p, args.passage_len) for p in passages[: args.repeats]]
    assert all(len(s) == args.passage_len for s in sources)
    n_params = sum(p.numel() for p in model.parameters()) / 1e6
    print(f"config={args.config} vocab={len(model.tokenizer)} copy={args.copy} params={n_params:.1f}M "
          f"threads={torch.get_num_threads()} passage={args.passage_len} question={args.question_len} repeats={args.repeats}")
    print("| method | cached s/question | uncached s/question | speed-up | same sequences |")
    print("|---|---|---|---|---|")
    for method in args.methods.split(","):
        cache, plain, same = bench_decode(model, sources, method, args.question_len, args.beam)
        labels = {"beam": f"beam {args.beam}", "pair": f"pair (answer top-5, question beam {args.beam})"}
        label = labels.get(method, method)
        print(f"| {label} | {cache:.3f} | {plain:.3f} | {plain / cache:.1f}x | {same} |", flush=True)
    if args.train_steps:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            rate = bench_train(model.train(), passages, args.train_steps, args.batch, tmp)
        print(f"training: {rate:.2f} steps/s (batch {args.batch}, ~{args.passage_len + 50} tokens, CPU, EMA on)")


if __name__ == "__main__":
    main()
