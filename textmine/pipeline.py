"""Run a pipeline file: a TOML list of stages over one corpus, each stage in its own folder.

::

    out_dir = "out/demo"            # every stage writes into out_dir/<stage name>/
    [corpus]                        # keyword arguments of textmine.corpus.open_corpus
    paths = ["data/sanguo.txt"]
    [[stages]]
    stage = "words"                 # the rest of the table: that stage's parameters
    max_n = 4

Each stage table maps onto the stage's declared parameters (see :mod:`textmine.stage`): its
estimator's constructor arguments plus the stage's own. The whole file is checked (stage names,
parameter names, artifacts a stage needs from earlier ones, files it names) before anything runs;
each stage then goes through :func:`textmine.stage.run_stage`, which skips it when its manifest
matches its parameters and what it reads, so a rerun redoes only what changed or is missing.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Callable, Iterable

from textmine.errors import InputError
from textmine.hints import signature
from textmine.manifest import fingerprint
from textmine.stage import StageContext, StageResult, check_value, get_stage, run_stage, stages

__all__ = ["StageContext", "StageResult", "load_pipeline", "run_pipeline"]

log = logging.getLogger(__name__)


def load_pipeline(path: str | Path, *, corpus: dict | None = None, out_dir: str | os.PathLike | None = None,
                  overrides: Iterable[str] = ()) -> dict:
    """Read and check a pipeline file; raise InputError naming the first problem found.

    What a command line gives replaces the file's own: ``corpus`` (open_corpus's keyword
    arguments, ``paths`` relative to the working folder) the [corpus] table, ``out_dir`` the
    out_dir, and each ``overrides`` item ``STAGE.KEY=VALUE`` (VALUE in TOML, else a string) one
    stage parameter; all are checked like the file's.
    """
    path = Path(path)
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"pipeline file {path} does not exist") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"pipeline file {path} is not valid TOML: {exc}") from exc
    if corpus is not None:
        spec["corpus"] = {**corpus, "paths": [os.path.abspath(p) for p in corpus["paths"]]}
    if out_dir is not None:
        spec["out_dir"] = os.path.abspath(out_dir)
    for override in overrides:
        _override(spec, override, path)
    unknown = sorted(set(spec) - {"out_dir", "corpus", "stages"})
    if unknown:
        raise InputError(f"{path}: unknown top-level keys {unknown}; a pipeline file has out_dir, [corpus] "
                         f"and [[stages]]")
    if not isinstance(spec.get("out_dir", ""), str):
        raise InputError(f"{path}: out_dir must be a string (a folder), found {spec['out_dir']!r}")
    base = path.parent
    spec["corpus"] = _checked_corpus(spec.get("corpus"), base, where=f"{path}: [corpus]")
    tables = spec.get("stages")
    if not isinstance(tables, list) or not tables:
        raise InputError(f"{path}: at least one [[stages]] table is required")
    available: set[str] = set()
    folders: set[str] = set()
    for number, table in enumerate(tables, 1):
        if not isinstance(table, dict):
            raise InputError(f"{path}: stage {number} is {table!r}, not a table; write each stage as a "
                             f"[[stages]] table with stage = \"NAME\"")
        name = table.get("stage")
        if name not in stages():
            raise InputError(f"{path}: stage {number} is {name!r}; known stages: {', '.join(sorted(stages()))}")
        where = f"{path}: stage {number} ({name})"
        folder = _folder_name(table.get("name", name), where)
        if folder in folders:
            raise InputError(f"{where}: another stage already writes to {folder!r}; give this one its own name")
        folders.add(folder)
        st = get_stage(name)
        st.check(_params(table), where=where)
        for param, file in st.named_files(table).items():
            resolved = os.path.normpath(base / file)
            key, _, index = param.partition("[")
            if index:
                table[key][int(index[:-1])] = resolved
            else:
                table[key] = resolved
            if not os.path.exists(resolved):
                raise InputError(f"{where}: {param} {resolved} does not exist")
        missing = [a for a in st.needs if a not in available]
        if missing:
            raise InputError(f"{where} needs {missing} from an earlier stage")
        available |= set(st.makes)
    spec["out_dir"] = os.path.normpath(base / spec.get("out_dir", "out"))
    return spec


def _override(spec: dict, override: str, path: Path) -> None:
    """Set ``STAGE.KEY=VALUE`` (``--set``) in the stage table named STAGE."""
    target, sep, text = override.partition("=")
    stage_name, dot, key = target.partition(".")
    if not sep or not dot or not key:
        raise InputError(f"--set {override!r}: write STAGE.KEY=VALUE, e.g. --set embed.dim=50")
    tables = [t for t in spec.get("stages", []) if isinstance(t, dict) and t.get("name", t.get("stage")) == stage_name]
    if not tables:
        named = [t.get("name", t.get("stage")) for t in spec.get("stages", []) if isinstance(t, dict)]
        raise InputError(f"--set {override!r}: {path} has no stage {stage_name!r}; its stages: {', '.join(named)}")
    if key in ("stage", "name"):
        raise InputError(f"--set {override!r}: a stage's kind and name are the pipeline file's to say")
    try:
        value = tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        value = text                      # a bare word: --set words.preset=strict
    st = stages().get(tables[0]["stage"])
    if st is not None and key not in st.parameters():
        raise InputError(f"--set {override!r}: stage {stage_name} has no parameter {key!r}; "
                         f"its parameters: {', '.join(sorted(st.parameters()))}")
    tables[0][key] = value


def _checked_corpus(corpus, base: Path, where: str) -> dict:
    """The [corpus] table checked against open_corpus's keyword arguments, its paths made relative
    to the pipeline file's folder."""
    from textmine.corpus import open_corpus

    if not isinstance(corpus, dict):
        raise InputError(f"{where} table with a non-empty 'paths' list is required")
    paths = corpus.get("paths")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) and p for p in paths):
        raise InputError(f"{where} paths must be a non-empty list of file or folder paths, like "
                         f"paths = [\"corpus.txt\"]; found {paths!r}")
    accepted = {n: p for n, p in signature(open_corpus).parameters.items() if n != "paths"}
    unknown = sorted(set(corpus) - set(accepted) - {"paths"})
    if unknown:
        raise InputError(f"{where} has unknown keys {unknown}; accepted: {['paths', *sorted(accepted)]}")
    for key, value in corpus.items():
        if key != "paths":
            check_value(accepted[key], value, where)
    return {**corpus, "paths": [os.path.normpath(base / p) for p in paths]}


def _folder_name(name, where: str) -> str:
    """A stage's folder name: one plain name, so that the stage writes inside out_dir and nowhere else."""
    if not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\\" in name or os.path.isabs(name):
        raise InputError(f"{where}: name must be a plain folder name inside out_dir (no '/', '.' or '..'), "
                         f"found {name!r}")
    return name


def _params(table: dict) -> dict:
    return {k: v for k, v in table.items() if k not in ("stage", "name")}


def run_pipeline(path: str | Path, *, corpus: dict | None = None, out_dir: str | os.PathLike | None = None,
                 overrides: Iterable[str] = (), seed: int = 0, progress: bool = True, force: bool = False,
                 report: Callable[[str, str], None] | None = None) -> dict[str, Path]:
    """Run every stage of the pipeline file in order; return all artifacts by name.

    ``corpus``, ``out_dir`` and ``overrides`` replace the file's own (see :func:`load_pipeline`);
    ``report(stage name, summary)`` is called after each stage that ran (the CLI prints it).
    """
    spec = load_pipeline(path, corpus=corpus, out_dir=out_dir, overrides=overrides)
    missing = [p for p in spec["corpus"]["paths"] if not os.path.exists(p)]
    if missing:
        raise InputError(f"{path}: corpus path {missing[0]} does not exist")
    corpus_prints = fingerprint(spec["corpus"]["paths"])  # hashed once, not once per stage
    artifacts: dict[str, Path] = {}
    for table in spec["stages"]:
        name = table.get("name", table["stage"])
        done = run_stage(table["stage"], _params(table), out_dir=Path(spec["out_dir"]) / name,
                         corpus=spec["corpus"], artifacts=artifacts, seed=seed, progress=progress, force=force,
                         corpus_prints=corpus_prints)
        if report and done.result is not None and done.result.summary:
            report(name, done.result.summary)
        artifacts.update(done.outputs)
    return artifacts
