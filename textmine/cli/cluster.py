"""``textmine cluster VECTORS.vec -o DIR``: InfoMap clusters of word or document vectors."""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options


def register(subparsers) -> None:
    parser = subparsers.add_parser("cluster", help="InfoMap clusters of word or document vectors",
                                   description="Build a kNN graph of the vectors and cluster it with InfoMap; "
                                               "write clusters.tsv, hierarchy.json, clusters.png, clusters.html "
                                               "and manifest.json into DIR.")
    parser.add_argument("vectors", help="word2vec-format vector file (text or binary)")
    parser.add_argument("-o", "--out-dir", required=True, help="output folder")
    parser.add_argument("--top-words", type=int, default=10000, help="cluster the first N vectors (default 10000)")
    parser.add_argument("--k", type=int, default=50, help="neighbours scanned per item (default 50)")
    parser.add_argument("--min-sim", type=float, default=0.6, help="least cosine of a link (default 0.6)")
    parser.add_argument("--mutual", action="store_true", help="keep only links that go both ways")
    parser.add_argument("--trials", type=int, default=5, help="InfoMap trials (default 5)")
    parser.add_argument("--multi-level", action="store_true", help="hierarchical modules instead of two-level")
    parser.add_argument("--markov-time", type=float, default=1.0, help=">1: fewer, larger modules")
    parser.add_argument("--approximate", action="store_true", help="inverted-file neighbour search (large inputs)")
    add_common_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    import time

    from textmine.cluster import InfomapClusterer, load_vectors
    from textmine.cluster.report import summary, write_outputs
    from textmine.manifest import fingerprint, write_manifest

    started = time.perf_counter()
    items = load_vectors(args.vectors, top=args.top_words)
    params = dict(k=args.k, min_sim=args.min_sim, mutual=args.mutual, trials=args.trials, seed=args.seed,
                  two_level=not args.multi_level, markov_time=args.markov_time, approximate=args.approximate)
    clusterer = InfomapClusterer(**params).fit(items)
    outputs = write_outputs(clusterer, args.out_dir, seed=args.seed)
    write_manifest(args.out_dir, "cluster", {**params, "top_words": args.top_words}, fingerprint([args.vectors]),
                   outputs, counts={"items": len(items), "modules": int(clusterer.labels_.max()) + 1},
                   metrics={"codelength": clusterer.codelength_}, seconds=round(time.perf_counter() - started, 3))
    print(summary(clusterer))
    print(f"outputs in {args.out_dir}: {', '.join(outputs.values())}")
    return 0
