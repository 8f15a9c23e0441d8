"""Benchmark entity linking (textmine.linking) on el-poets dev and the silver 三国 bed, CPU.

1. el-poets: fast mode for each ``--seeds`` (training time, F1 with gold mentions all / ambiguous
   and end to end, linking texts/s), beside the prior baseline of the same run; medians printed.
2. Pruning: end-to-end mention P/R and linking F1 with Su's pruning (ratio 5) and without it.
3. Ablation: the combiner over growing sets of scorers (seed 0).
4. Accurate mode (span model), then with the cross-encoder scorer (``--cross-steps`` steps): time,
   F1 and the save/load round trip of each.
5. save/load round trip of the fast model: the same links on dev after reloading.
6. The silver 三国 bed (chapters 1-80 train, 81-120 dev): fast mode beside the prior.
7. Alias index on a synthetic KB of ``--aliases`` names (default 1M): build time, RSS growth.

Usage: python scripts/bench_link.py --data EL_POETS --out .bench/link [--seeds 0 1 2]
       [--parts fast pruning ablation sanguo synthetic accurate] [--cross-steps 400]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from textmine.linking import AliasIndex, Entity, EntityLinker, KnowledgeBase, evaluate_linker, load_texts
from textmine.linking.sanguo import sanguo_linking


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _row(name: str, report: dict, seconds: float | None = None) -> dict:
    g, e = report["gold_mentions"], report.get("end_to_end", {})
    row = {"run": name, "gold_all": g["model"]["all"]["f1"], "gold_amb": g["model"]["ambiguous"]["f1"],
           "prior_all": g["prior"]["all"]["f1"], "prior_amb": g["prior"]["ambiguous"]["f1"],
           "texts_per_s": report["texts_per_second"]["gold_mentions"]}
    if e:
        row.update(e2e_all=e["model"]["all"]["f1"], e2e_prior_all=e["prior"]["all"]["f1"],
                   mention_p=report["mentions"]["p"], mention_r=report["mentions"]["r"],
                   e2e_texts_per_s=report["texts_per_second"]["end_to_end"])
    if seconds is not None:
        row["train_s"] = seconds
    row["load_average"] = os.getloadavg()[0]
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
    return row


def _fit(kb, train, dev, **params):
    started = time.perf_counter()
    linker = EntityLinker(**params).fit(kb, train, dev)
    return linker, time.perf_counter() - started


def synthetic_index(n_aliases: int, seed: int = 0) -> dict:
    """Build the alias index of a synthetic KB: n_aliases / 2 entities with a 2-4 character subject and
    one alias each, drawn from 3,000 common characters (so many names collide, as real ones do)."""
    rng = np.random.default_rng(seed)
    chars = np.array([chr(c) for c in range(0x4E00, 0x4E00 + 3000)])
    n_entities = n_aliases // 2
    lengths = rng.integers(2, 5, size=2 * n_entities)
    flat = chars[rng.integers(0, len(chars), size=int(lengths.sum()))]
    bounds = np.r_[0, np.cumsum(lengths)]
    names = ["".join(flat[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    before = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    kb = KnowledgeBase(Entity(f"e{i}", (names[2 * i], names[2 * i + 1])) for i in range(n_entities))
    kb_s, kb_cpu, kb_mb = time.perf_counter() - started, time.process_time() - cpu, _rss_mb() - before
    started, cpu, before = time.perf_counter(), time.process_time(), _rss_mb()
    index = AliasIndex().fit(kb)
    build_s, build_cpu, index_mb = time.perf_counter() - started, time.process_time() - cpu, _rss_mb() - before
    text = "".join(chars[rng.integers(0, len(chars), size=100_000)])
    started = time.perf_counter()
    found = len(index.maximal_matches(text))
    match_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index.save(tmp)
        save_s = time.perf_counter() - started
        started = time.perf_counter()
        AliasIndex.load(tmp)
        load_s = time.perf_counter() - started
    load_avg = os.getloadavg()[0]
    result = {"aliases": 2 * n_entities, "names": len(index), "kb_build_s": kb_s, "kb_cpu_s": kb_cpu,
              "kb_rss_mb": kb_mb, "index_build_s": build_s, "index_cpu_s": build_cpu, "index_rss_mb": index_mb,
              "match_100k_chars_s": match_s,
              "matches": found, "save_s": save_s, "load_s": load_s, "load_average": load_avg, "peak_rss_mb":
              resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True,
                        help="the el-poets folder (kb.jsonl, train.jsonl, dev.jsonl); see docs/data.md#el-poets")
    parser.add_argument("--out", default=".bench/link")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--cross-steps", type=int, default=400)
    parser.add_argument("--parts", nargs="+", help="sections to run (default all)",
                        default=["fast", "pruning", "ablation", "sanguo", "synthetic", "accurate"])
    parser.add_argument("--aliases", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (1: on a shared 2-core machine, 2 OpenMP threads run 10x slower)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = Path(args.data)
    kb = KnowledgeBase.load(data / "kb.jsonl")
    train, dev = load_texts(data / "train.jsonl"), load_texts(data / "dev.jsonl")
    print(f"el-poets: {len(kb)} entities, {len(train)} training and {len(dev)} dev texts", flush=True)
    results: dict = {"fast": [], "ablation": [], "pruning": []}

    if "fast" in args.parts:
        print("\n# 1. fast mode, per seed", flush=True)
        for seed in args.seeds:
            linker, seconds = _fit(kb, train, dev, seed=seed)
            results["fast"].append(_row(f"fast seed {seed}", evaluate_linker(linker, dev), seconds))
            if seed == args.seeds[0]:
                print("\n# 5. save / load round trip (fast)", flush=True)
                linker.save(out / "fast")
                same = EntityLinker.load(out / "fast").link_texts(dev) == linker.link_texts(dev)
                print(f"reloaded model gives the same dev links: {same}", flush=True)
                results["roundtrip_same"] = same
        medians = {k: statistics.median(r[k] for r in results["fast"]) for k in results["fast"][0] if k != "run"}
        print("medians", json.dumps({k: round(v, 4) for k, v in medians.items()}), flush=True)
        results["fast_median"] = medians

    print("\n# 2. pruning (seed 0)", flush=True)
    for ratio in (5.0, float("inf")) if "pruning" in args.parts else ():
        linker, seconds = _fit(kb, train, dev, prune_ratio=ratio)
        results["pruning"].append(_row(f"prune_ratio {ratio}", evaluate_linker(linker, dev), seconds))

    print("\n# 3. ablation (seed 0)", flush=True)
    for scorers in (("prior",), ("prior", "description"), ("prior", "context"), ("prior", "attributes"),
                    ("prior", "context", "attributes"), ("prior", "description", "context", "attributes")
                    ) if "ablation" in args.parts else ():
        for hide in (0.0, 0.15):
            linker, seconds = _fit(kb, train, dev, scorers=scorers, hide=hide)
            results["ablation"].append(_row(f"{'+'.join(scorers)} hide={hide}",
                                            evaluate_linker(linker, dev, end_to_end=False), seconds))

    if "sanguo" in args.parts:
        print("\n# 6. silver 三国 bed", flush=True)
        s_train, s_dev = sanguo_linking("train"), sanguo_linking("dev")
        s_kb = KnowledgeBase.load("sanguo")
        print(f"三国: {len(s_kb)} entities, {len(s_train)} training and {len(s_dev)} dev sentences", flush=True)
        linker, seconds = _fit(s_kb, s_train, s_dev)
        results["sanguo"] = _row("sanguo fast", evaluate_linker(linker, s_dev), seconds)

    if "synthetic" in args.parts:
        print("\n# 7. synthetic alias index", flush=True)
        results["synthetic"] = synthetic_index(args.aliases)

    if "accurate" in args.parts:
        print(f"\n# 4. accurate mode (span model), and with the cross-encoder ({args.cross_steps} steps each)",
              flush=True)
        for name, extra in (("accurate", {}),
                            ("accurate+cross", {"scorers": ("prior", "description", "context", "attributes", "cross"),
                                                "cross": {"steps": args.cross_steps}})):
            started = time.perf_counter()
            linker = EntityLinker("accurate", **extra).fit(kb, train, dev, out_dir=out / f"{name}-train")
            seconds = time.perf_counter() - started
            results[name] = _row(name, evaluate_linker(linker, dev), seconds)
            linker.save(out / name)
            same = EntityLinker.load(out / name).link_texts(dev) == linker.link_texts(dev)
            print(f"reloaded {name} model gives the same dev links: {same}", flush=True)
    (out / f"results-{'-'.join(args.parts)}.json").write_text(json.dumps(results, indent=2, default=float),
                                                             encoding="utf-8")


if __name__ == "__main__":
    main()
