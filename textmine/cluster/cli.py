"""``textmine cluster VECTORS.vec -o DIR``: InfoMap clusters of word or document vectors."""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options, run_stage_command, stage_defaults


def _cluster_parser(parser: argparse.ArgumentParser) -> None:
    from textmine.cluster.graph import AUTO_APPROXIMATE_FROM, BACKENDS, WEIGHTS

    defaults = stage_defaults("cluster")
    parser.description = ("Build a kNN graph of the vectors and cluster it with InfoMap; write clusters.tsv, "
                          "hierarchy.json, clusters.png, clusters.html, graph.npz and manifest.json into DIR.")
    parser.add_argument("vectors", help="word2vec-format vector file (text or binary)")
    parser.add_argument("-o", "--out-dir", required=True, help="output folder")
    parser.add_argument("--top-words", type=int, default=defaults["top_words"],
                        help="cluster only the first N vectors, with a warning saying how many are left out "
                             "(default: every vector; with --graph, the graph's own)")
    parser.add_argument("--k", type=int, default=defaults["k"], help="neighbours scanned per item (default %(default)s)")
    parser.add_argument("--min-sim", type=float, default=defaults["min_sim"],
                        help="least cosine of a link (default %(default)s)")
    parser.add_argument("--mutual", action=argparse.BooleanOptionalAction, default=defaults["mutual"],
                        help="keep only links that go both ways (default %(default)s)")
    parser.add_argument("--weight", default=defaults["weight"], choices=sorted(WEIGHTS),
                        help="link weight (default %(default)s)")
    parser.add_argument("--trials", type=int, default=defaults["trials"], help="InfoMap trials (default %(default)s)")
    parser.add_argument("--two-level", action=argparse.BooleanOptionalAction, default=defaults["two_level"],
                        help="two-level modules; --no-two-level for a hierarchy (default %(default)s)")
    parser.add_argument("--markov-time", type=float, default=defaults["markov_time"],
                        help=">1: fewer, larger modules (default %(default)s)")
    parser.add_argument("--knn-backend", default=defaults["knn_backend"], choices=BACKENDS,
                        help="neighbour search: exact, ivf (inverted file), faiss-exact, faiss-ivf, faiss-hnsw "
                             f"(faiss-*: pip install \"textmine[faiss]\"); auto: exact below {AUTO_APPROXIMATE_FROM:,} "
                             "items, faiss-ivf from there when installed (default %(default)s)")
    parser.add_argument("--workers", type=int, default=defaults["workers"],
                        help="CPU threads of the neighbour search (default: all)")
    parser.add_argument("--graph", help="graph.npz of an earlier run on the same vectors: run InfoMap on it "
                                        "again (its k, min-sim, mutual, weight and backend apply)")
    add_common_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    params = dict(top_words=args.top_words, k=args.k, min_sim=args.min_sim, mutual=args.mutual, weight=args.weight,
                  trials=args.trials, two_level=args.two_level, markov_time=args.markov_time,
                  knn_backend=args.knn_backend, workers=args.workers, graph=args.graph)
    done = run_stage_command(args, "cluster", params, out_dir=args.out_dir, artifacts={"vectors": args.vectors})
    print(f"outputs in {args.out_dir}: {', '.join(p.name for p in done.outputs.values())}")
    return 0


COMMANDS = {"cluster": ("InfoMap clusters of word or document vectors", _cluster_parser)}
