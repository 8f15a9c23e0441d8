"""Run a pipeline file: a TOML list of stages over one corpus, each stage in its own folder.

::

    out_dir = "out/demo"            # every stage writes into out_dir/<stage name>/
    [corpus]                        # keyword arguments of textmine.corpus.open_corpus
    paths = ["data/sanguo.txt"]
    [[stages]]
    stage = "words"                 # the rest of the table: that stage's parameters
    max_n = 4

A stage is a function ``run(ctx, **params) -> StageResult`` that writes its outputs atomically
into ``ctx.out_dir``; the runner then writes the folder's manifest. The whole file is checked (stage names, parameter names, artifacts a
stage needs from earlier ones) before anything runs, and a stage whose manifest matches its
parameters and inputs is skipped, so rerunning after a crash redoes only what is missing.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from textmine.errors import InputError
from textmine.manifest import fingerprint, is_fresh, read_manifest, write_manifest

__all__ = ["STAGES", "PATH_PARAMS", "StageContext", "StageResult", "load_pipeline", "run_pipeline"]

log = logging.getLogger(__name__)

# stage name -> (function "module:attr", artifacts it needs from earlier stages, artifacts it makes)
STAGES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "words": ("textmine.words.stage_words:run_words", (), ("lexicon", "userdict")),
    "terms": ("textmine.words.stage_terms:run_terms", (), ("terms",)),
    "embed": ("textmine.embed.stage:run_embed", (), ("vectors", "doc_vectors")),
    "cluster": ("textmine.cluster.stage:run_cluster", ("vectors",), ("clusters", "hierarchy", "png", "html")),
    "qa": ("textmine.qa.stage:run_qa", (), ("qa_pairs",)),
}

# stage name -> parameters that name files or folders: read relative to the pipeline file, and hashed
# into the stage's inputs so that a retrained model reruns the stage
PATH_PARAMS: dict[str, tuple[str, ...]] = {"qa": ("model",)}


@dataclass
class StageResult:
    """What a stage made: artifact name -> file name inside its out_dir, plus figures for the manifest."""

    outputs: dict[str, str]
    counts: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    summary: str = ""  # a few lines for people: the CLI prints them after the stage


@dataclass
class StageContext:
    """What a stage receives besides its own parameters."""

    corpus: dict[str, Any]
    out_dir: Path
    artifacts: dict[str, Path] = field(default_factory=dict)
    seed: int = 0
    progress: bool = True

    def open_corpus(self):
        """The pipeline's corpus as a re-iterable stream of documents."""
        from textmine.corpus import open_corpus

        options = dict(self.corpus)
        return open_corpus(options.pop("paths"), **options)


def _resolve(stage: str) -> Callable:
    target = STAGES[stage][0]
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)


def load_pipeline(path: str | Path) -> dict:
    """Read and check a pipeline file; raise InputError naming the first problem found."""
    path = Path(path)
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"pipeline file {path} does not exist") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"pipeline file {path} is not valid TOML: {exc}") from exc
    corpus = spec.get("corpus")
    if not isinstance(corpus, dict) or not corpus.get("paths"):
        raise InputError(f"{path}: a [corpus] table with a non-empty 'paths' list is required")
    base = path.parent
    corpus["paths"] = [os.path.normpath(base / p) for p in corpus["paths"]]
    stages = spec.get("stages")
    if not isinstance(stages, list) or not stages:
        raise InputError(f"{path}: at least one [[stages]] table is required")
    available: set[str] = set()
    for number, table in enumerate(stages, 1):
        name = table.get("stage")
        if name not in STAGES:
            raise InputError(f"{path}: stage {number} is {name!r}; known stages: {', '.join(STAGES)}")
        accepted = inspect.signature(_resolve(name)).parameters
        unknown = sorted(set(table) - {"stage", "name"} - set(accepted))
        if unknown:
            raise InputError(f"{path}: stage {number} ({name}) has unknown parameters {unknown}; "
                             f"accepted: {sorted(p for p in accepted if p != 'ctx')}")
        required = [p for p, spec in accepted.items() if p != "ctx" and spec.default is inspect.Parameter.empty]
        if any(p not in table for p in required):
            raise InputError(f"{path}: stage {number} ({name}) needs the parameters {required}")
        for param in PATH_PARAMS.get(name, ()):
            if param in table:
                table[param] = os.path.normpath(base / table[param])
                if not os.path.exists(table[param]):
                    raise InputError(f"{path}: stage {number} ({name}): {param} {table[param]} does not exist")
        missing = [a for a in STAGES[name][1] if a not in available]
        if missing:
            raise InputError(f"{path}: stage {number} ({name}) needs {missing} from an earlier stage")
        available |= set(STAGES[name][2])
    spec["out_dir"] = os.path.normpath(base / spec.get("out_dir", "out"))
    return spec


def run_pipeline(path: str | Path, *, seed: int = 0, progress: bool = True, force: bool = False,
                 report: Callable[[str, str], None] | None = None) -> dict[str, Path]:
    """Run every stage of the pipeline file in order; return all artifacts by name.

    ``report(stage name, summary)`` is called after each stage that ran (the CLI prints it).
    """
    spec = load_pipeline(path)
    corpus_prints = fingerprint(spec["corpus"]["paths"])  # hashed once, not once per stage
    artifacts: dict[str, Path] = {}
    for table in spec["stages"]:
        params = {k: v for k, v in table.items() if k not in ("stage", "name")}
        name = table.get("name", table["stage"])
        ctx = StageContext(corpus=spec["corpus"], out_dir=Path(spec["out_dir"]) / name,
                           artifacts=dict(artifacts), seed=seed, progress=progress)
        # what decides this stage's result: the corpus, the artifacts of earlier stages, files it names
        named = [params[p] for p in PATH_PARAMS.get(table["stage"], ()) if p in params]
        inputs = {**corpus_prints, **fingerprint(sorted(artifacts.values())), **fingerprint(named)}
        recorded = {**params, "seed": seed}
        if not force and is_fresh(ctx.out_dir, table["stage"], recorded, inputs):
            log.info("stage %s is up to date in %s; skipped", name, ctx.out_dir)
            outputs = read_manifest(ctx.out_dir)["outputs"]
            produced = {k: ctx.out_dir / v for k, v in outputs.items()}
        else:
            started = time.perf_counter()
            log.info("stage %s -> %s", name, ctx.out_dir)
            ctx.out_dir.mkdir(parents=True, exist_ok=True)
            result = _resolve(table["stage"])(ctx, **params)
            seconds = round(time.perf_counter() - started, 3)
            write_manifest(ctx.out_dir, table["stage"], recorded, inputs, result.outputs,
                           result.counts, result.metrics, seconds)
            log.info("stage %s done in %.1f s", name, seconds)
            produced = {k: ctx.out_dir / v for k, v in result.outputs.items()}
            if report and result.summary:
                report(name, result.summary)
        artifacts.update(produced)
    return artifacts
