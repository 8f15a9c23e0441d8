"""The stage contract: what a stage declares, receives and returns, and the one way to run it.

A stage is a function ``run(ctx, **params) -> StageResult`` declared beside its own code::

    @stage("cluster", needs=("vectors",), makes=("clusters", "hierarchy", "png", "html"),
           estimator=InfomapClusterer)
    def run_cluster(ctx, *, top_words=None, **params): ...

The declaration (in the spirit of spaCy's ``@Language.factory``) says which artifacts the stage
reads from earlier stages (``needs``, and ``uses`` for optional ones, with ``uses_when`` naming the
boolean parameter that asks for one), which it makes, which parameters name files (read relative to
a pipeline file and fingerprinted; ``builtins`` lists the values of such a parameter that name
something built in, like ``general="jieba"``), whether it reads the corpus, and which estimator
takes the rest of its parameters: the stage's accepted parameters and their defaults are its own
keyword arguments plus that class's constructor arguments, so every default is written once, in the
class. Stages are found by importing ``textmine.<package>.stage`` for every package: adding one
touches only its package. Another package adds its own through the ``textmine.stages`` entry point
group (``[project.entry-points."textmine.stages"] mine = "mine.stage"``).

:func:`run_stage` runs a stage for the CLI and for pipelines alike: it fingerprints exactly what the
stage reads, skips it when its manifest shows the same parameters and inputs, and otherwise times
it and writes the manifest once the outputs are all written.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import importlib.util
import inspect
import logging
import os
import pkgutil
import shutil
import tempfile
import time
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from textmine.atomic import (atomic_open, copy_to_stream, dump_json, is_stream, new_folders, partial_path,
                             replace_folder, replacing_folders, target)
from textmine.errors import InputError
from textmine.hints import accepts, describe, signature
from textmine.manifest import (CHECKPOINT_NAME, MANIFEST_NAME, earlier_run, fingerprint, manifest_record,
                               staleness)

__all__ = ["Stage", "StageContext", "check_value", "StageResult", "StageRun", "get_stage", "run_stage", "stage", "stages"]

log = logging.getLogger(__name__)

#: the entry point group through which other packages add stages
ENTRY_POINTS = "textmine.stages"

# estimator arguments a stage takes from its context, never from its parameters
CONTEXT_ARGS = ("seed", "progress")


@dataclass
class StageResult:
    """What a stage made: artifact name -> file name inside its out_dir, plus figures for the manifest."""

    outputs: dict[str, str]
    counts: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    summary: str = ""  # a few lines for people: the CLI prints them after the stage


@dataclass
class StageContext:
    """What a stage receives besides its own parameters.

    ``files`` overrides where single artifacts go (the CLI's ``-o FILE``); stages ask
    :meth:`path` instead of joining ``out_dir`` themselves.
    """

    out_dir: Path
    corpus: dict[str, Any] | None = None
    artifacts: dict[str, Path] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    seed: int = 0
    progress: bool = True
    _scratch: Path | None = field(default=None, repr=False)

    def open_corpus(self):
        """The corpus as a re-iterable stream of documents."""
        from textmine.corpus import open_corpus

        if self.corpus is None:
            raise InputError("this stage was given no corpus")
        options = dict(self.corpus)
        return open_corpus(options.pop("paths"), **options)

    def wants(self, artifact: str) -> bool:
        """Whether to write an optional ``artifact``: always in a pipeline, only when placed by the CLI."""
        return not self.files or artifact in self.files

    def path(self, artifact: str, default_name: str) -> Path:
        """Where the stage writes ``artifact``: ``out_dir/default_name``, or for a file the caller
        placed (``files``) a hidden name beside it (in a scratch folder for a stream), put in place
        by :func:`run_stage` once every output is written, so that a command's outputs appear
        together or not at all."""
        return self._partial(artifact) if artifact in self.files else self.final_path(artifact, default_name)

    def final_path(self, artifact: str, default_name: str) -> Path:
        return Path(self.files.get(artifact, self.out_dir / default_name))

    def _partial(self, artifact: str) -> Path:
        final = self.files[artifact]
        if is_stream(final):
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="textmine-stream-"))
            return self._scratch / artifact
        return partial_path(target(final))

    def _publish(self) -> None:
        for artifact, final in self.files.items():
            partial = self._partial(artifact)
            if not partial.exists():
                continue
            if is_stream(final):
                copy_to_stream(partial, final)
            elif partial.is_dir():
                replace_folder(partial, target(final))
            else:
                final = target(final)
                if final.is_dir():
                    raise InputError(f"{final} is a folder; give a file name for this output")
                if final.is_file():
                    shutil.copymode(final, partial)  # an overwritten file keeps its mode
                os.replace(partial, final)

    def _discard(self) -> None:
        for artifact in self.files:
            partial = self._partial(artifact)
            if partial.is_dir():
                shutil.rmtree(partial, ignore_errors=True)
            elif partial.exists():
                partial.unlink()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


@dataclass(frozen=True)
class Stage:
    """A declared stage (see the module docstring)."""

    name: str
    run: Callable[..., StageResult]
    needs: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    makes: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    reads_corpus: bool = True
    estimator: type | tuple[type, ...] | str | None = None  # str: "module:Class", imported when needed
    builtins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    uses_when: Mapping[str, str] = field(default_factory=dict)

    def reads(self, artifact: str, params: Mapping[str, Any]) -> bool:
        """Whether ``artifact`` reaches the stage (and its fingerprint): a needed one always, a used
        one unless ``uses_when`` names the boolean parameter that asks for it and that is off, so
        that a change to an artifact the stage leaves unread does not run it again."""
        if artifact in self.needs:
            return True
        switch = self.uses_when.get(artifact)
        return artifact in self.uses and (switch is None or bool(params.get(switch, self.defaults().get(switch))))

    def named_files(self, params: Mapping[str, Any]) -> dict[str, str]:
        """Path parameter -> the file it names, for the path parameters that are set to a file; a
        parameter holding a list of files gives one entry per file, keyed ``name[i]``."""
        named = {}
        for p in self.paths:
            value = params.get(p)
            files = enumerate(value) if isinstance(value, (list, tuple)) else [(None, value)]
            for i, file in files:
                if file is not None and file not in self.builtins.get(p, ()):
                    named[p if i is None else f"{p}[{i}]"] = str(file)
        return named

    def parameters(self) -> dict[str, inspect.Parameter]:
        """Every parameter the stage accepts: its own keyword arguments, then its estimator's.

        With several estimators (one chosen by a parameter), a parameter they default differently,
        or that only some of them take, defaults to None: the chosen one's own value.
        """
        own = {n: p for n, p in signature(self.run).parameters.items()
               if n != "ctx" and p.kind is not inspect.Parameter.VAR_KEYWORD}
        classes = self.estimators()
        found: dict[str, inspect.Parameter] = {}
        takers: dict[str, int] = {}
        for cls in classes:
            for name, param in signature(cls).parameters.items():
                if name in own or name in CONTEXT_ARGS or param.kind is inspect.Parameter.VAR_KEYWORD:
                    continue
                if name in found and found[name].default != param.default:
                    param = param.replace(default=None)
                if name in found and found[name].annotation != param.annotation:
                    param = param.replace(annotation=_either(found[name].annotation, param.annotation))
                found[name] = param
                takers[name] = takers.get(name, 0) + 1
        partial = {n: p.replace(default=None) for n, p in found.items() if takers[n] < len(classes)}
        return {**own, **found, **partial}

    def estimators(self) -> tuple[type, ...]:
        """The estimator classes, a ``"module:Class"`` name imported now: a stage module that names
        its estimator so stays cheap to import (every command imports every stage module)."""
        if isinstance(self.estimator, str):
            module, attr = self.estimator.split(":")
            return (getattr(importlib.import_module(module), attr),)
        if isinstance(self.estimator, tuple):
            return self.estimator
        return (self.estimator,) if self.estimator is not None else ()

    def defaults(self) -> dict[str, Any]:
        """Parameter -> default, for the parameters that have one."""
        return {n: p.default for n, p in self.parameters().items() if p.default is not inspect.Parameter.empty}

    def check(self, params: Mapping[str, Any], where: str = "") -> None:
        """Refuse unknown parameters, missing required ones and values of the wrong type, naming them."""
        accepted = self.parameters()
        where = where or f"stage {self.name}"
        unknown = sorted(set(params) - set(accepted))
        if unknown:
            raise InputError(f"{where} has unknown parameters {unknown}; accepted: {sorted(accepted)}")
        required = [n for n, p in accepted.items() if p.default is inspect.Parameter.empty]
        if any(n not in params for n in required):
            raise InputError(f"{where} needs the parameters {required}")
        for name, value in params.items():
            check_value(accepted[name], value, where)


def check_value(param: inspect.Parameter, value: Any, where: str) -> None:
    """Refuse ``value`` for ``param`` when it does not fit the declared type (None always means
    "the default" where the default is None)."""
    if value is None and param.default is None or param.annotation is inspect.Parameter.empty:
        return
    if not accepts(param.annotation, value):
        raise InputError(f"{where}: {param.name} must be {describe(param.annotation)}, found {value!r}")


def _either(a, b):
    """The hint of a parameter two estimators declare differently: either one (unchecked where one is unknown)."""
    empty = inspect.Parameter.empty
    return empty if empty in (a, b) or isinstance(a, str) or isinstance(b, str) else typing.Union[a, b]


_STAGES: dict[str, Stage] = {}
_discovered = False


def stage(name: str, *, needs=(), uses=(), makes=(), paths=(), corpus: bool = True,
          estimator: type | tuple[type, ...] | str | None = None, builtins: Mapping[str, tuple[str, ...]] | None = None,
          uses_when: Mapping[str, str] | None = None) -> Callable[[Callable], Callable]:
    """Declare the decorated function as the stage ``name`` (see the module docstring)."""
    def register(run: Callable) -> Callable:
        if name in _STAGES and _STAGES[name].run is not run:
            raise ValueError(f"stage {name!r} is declared twice: {_STAGES[name].run.__module__} and {run.__module__}")
        _STAGES[name] = Stage(name, run, tuple(needs), tuple(uses), tuple(makes), tuple(paths), corpus, estimator,
                              dict(builtins or {}), dict(uses_when or {}))
        return run
    return register


def stages() -> dict[str, Stage]:
    """Every declared stage: the ``stage`` module of each textmine package, then the modules other
    packages name in the ``textmine.stages`` entry point group (as pytest finds its plugins), each
    imported once."""
    global _discovered
    if not _discovered:
        import textmine

        for info in sorted(pkgutil.iter_modules(textmine.__path__), key=lambda m: m.name):
            module = f"textmine.{info.name}.stage"
            if info.ispkg and importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        for entry in importlib.metadata.entry_points(group=ENTRY_POINTS):
            try:
                entry.load()
            except Exception as exc:  # a broken plugin must not take the built-in stages down
                log.warning("the stage plugin %s (%s) could not be loaded: %s", entry.name, entry.value, exc)
        _discovered = True
    return _STAGES


def get_stage(name: str) -> Stage:
    """The stage called ``name``; InputError listing the known ones otherwise."""
    known = stages()
    if name not in known:
        raise InputError(f"unknown stage {name!r}; known stages: {', '.join(sorted(known))}")
    return known[name]


@dataclass
class StageRun:
    """How :func:`run_stage` went: the artifacts by path, and the result when the stage ran."""

    outputs: dict[str, Path]
    manifest: Path
    result: StageResult | None = None  # None: the stage was up to date and skipped

    @property
    def skipped(self) -> bool:
        return self.result is None


def _inputs(st: Stage, params: Mapping, corpus: Mapping | None, artifacts: Mapping[str, Path],
            corpus_prints: Mapping[str, str] | None) -> dict[str, str] | None:
    """Fingerprints of what the stage reads, or None when an input cannot be fingerprinted (stdin)."""
    named: list[tuple[str, str]] = []  # (what it is, path)
    prints: dict[str, str] = {}
    if st.reads_corpus and corpus is not None:
        if corpus_prints is not None:
            prints.update(corpus_prints)
        else:
            named.extend(("corpus path", str(p)) for p in corpus["paths"])
    named.extend((k, str(v)) for k, v in artifacts.items())
    named.extend(st.named_files(params).items())
    for what, file in named:
        if file == "-":
            return None
        if not os.path.exists(file):
            raise InputError(f"stage {st.name}: {what} {file} does not exist")
    return {**prints, **fingerprint(file for _, file in named)}


def run_stage(name: str, params: Mapping[str, Any] | None = None, *, out_dir: str | os.PathLike,
              corpus: Mapping[str, Any] | None = None, artifacts: Mapping[str, str | os.PathLike] | None = None,
              files: Mapping[str, str | os.PathLike] | None = None, manifest: str | os.PathLike | None = None,
              record: bool = True, seed: int = 0, progress: bool = True, force: bool = False,
              corpus_prints: Mapping[str, str] | None = None) -> StageRun:
    """Run stage ``name`` with ``params`` into ``out_dir``, or skip it when its manifest is fresh.

    ``corpus`` holds the keyword arguments of ``textmine.corpus.open_corpus`` (``paths`` first);
    ``artifacts`` are earlier stages' outputs by name (only the declared ones reach the stage and
    its fingerprint); ``files`` and ``manifest`` place single outputs and the manifest elsewhere
    than in ``out_dir`` (the CLI's ``-o FILE``); ``record=False`` writes no manifest (an output
    sent to a stream). A stage reading stdin is never skipped. ``force`` runs it anyway and lets it
    replace folders textmine did not write. The manifest and the placed files appear together, and
    folders made for a run that fails are removed when they are left empty.
    """
    st = get_stage(name)
    params = dict(params or {})
    st.check(params)
    if st.reads_corpus and corpus is None:
        raise InputError(f"stage {name} reads a corpus and was given none")
    given = {k: Path(v) for k, v in (artifacts or {}).items() if st.reads(k, params)}
    missing = [a for a in st.needs if a not in given]
    if missing:
        raise InputError(f"stage {name} needs {missing} from an earlier stage")
    out_dir = Path(out_dir)
    manifest = Path(manifest) if manifest is not None else out_dir / MANIFEST_NAME
    recorded, defaults = {**params, "seed": seed}, st.defaults()
    inputs = _inputs(st, params, corpus, given, corpus_prints)
    placed = {k: os.path.relpath(v, manifest.parent) for k, v in (files or {}).items()}
    earlier = earlier_run(manifest, name, recorded, inputs) if record and not force and inputs is not None else None
    reason = staleness(earlier, defaults) if earlier is not None else None
    if earlier is not None and reason is None and all(earlier["outputs"].get(k) == v for k, v in placed.items()):
        log.info("stage %s is up to date (%s); skipped", name, manifest)
        return StageRun(_outputs(manifest, earlier["outputs"]), manifest)
    if reason:
        log.warning("stage %s runs again on the same parameters and inputs (%s): %s", name, manifest, reason)
    ctx = StageContext(out_dir=out_dir, corpus=dict(corpus) if corpus is not None else None, artifacts=given,
                       files={k: Path(v) for k, v in (files or {}).items()}, seed=seed, progress=progress)
    log.info("stage %s -> %s", name, out_dir)
    started = time.perf_counter()
    with new_folders(out_dir, keep=(CHECKPOINT_NAME,)), (replacing_folders() if force else contextlib.nullcontext()):
        try:
            result = st.run(ctx, **params)
            seconds = round(time.perf_counter() - started, 3)
            produced = {k: os.path.relpath(ctx.final_path(k, v), manifest.parent) for k, v in result.outputs.items()}
            if record:
                with atomic_open(manifest) as handle:  # renamed into place only once every output is
                    dump_json(manifest_record(name, recorded, inputs or {}, produced, result.counts,
                                              result.metrics, seconds, defaults), handle)
                    ctx._publish()
            else:
                ctx._publish()
        finally:
            ctx._discard()
    log.info("stage %s done in %.1f s", name, seconds)
    return StageRun(_outputs(manifest, produced), manifest, result)


def _outputs(manifest: Path, outputs: Mapping[str, str]) -> dict[str, Path]:
    return {k: Path(os.path.normpath(manifest.parent / v)) for k, v in outputs.items()}
