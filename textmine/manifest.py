"""Stage manifests: what a stage ran on, with which parameters, and what it produced.

Each stage writes ``manifest.json`` into its output folder (or ``FILE.manifest.json`` beside a
single output file). A rerun with the same stage name, parameters and input fingerprints, whose
outputs are all still there, can be skipped, unless another textmine version wrote it or the
stage's defaults have changed since: a parameter left out means "the default", and a new default
would otherwise leave the old output standing as if it were made with today's. Every function
here takes either the folder or the manifest file itself.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Iterable, Mapping

from textmine import __version__
from textmine.atomic import write_json

__all__ = ["CHECKPOINT_NAME", "MANIFEST_NAME", "fingerprint", "manifest_path", "manifest_record", "write_manifest",
           "read_manifest", "stage_of", "is_fresh", "earlier_run", "staleness"]

MANIFEST_NAME = "manifest.json"
#: A training run's resumable state in its folder; a failed or interrupted run keeps it.
CHECKPOINT_NAME = "checkpoint"


def manifest_path(where: str | os.PathLike) -> Path:
    """The manifest file of ``where``: itself when it names a .json file, else ``where/manifest.json``."""
    where = Path(where)
    return where if where.suffix == ".json" else where / MANIFEST_NAME


def fingerprint(paths: Iterable[str | os.PathLike]) -> dict[str, str]:
    """Content hashes (blake2b) of the input files; folders are walked, sorted, recursively."""
    prints: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest = hashlib.blake2b(digest_size=16)
            with open(file, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            prints[str(file)] = digest.hexdigest()
    return prints


def write_manifest(
    where: str | os.PathLike,
    stage: str,
    params: Mapping,
    inputs: Mapping[str, str],
    outputs: Mapping[str, str],
    counts: Mapping | None = None,
    metrics: Mapping | None = None,
    seconds: float | None = None,
    defaults: Mapping | None = None,
) -> Path:
    """Write the manifest of ``where`` (a folder or a .json path); see :func:`manifest_record`."""
    path = manifest_path(where)
    write_json(path, manifest_record(stage, params, inputs, outputs, counts, metrics, seconds, defaults))
    return path


def manifest_record(stage: str, params: Mapping, inputs: Mapping[str, str], outputs: Mapping[str, str],
                    counts: Mapping | None = None, metrics: Mapping | None = None,
                    seconds: float | None = None, defaults: Mapping | None = None) -> dict:
    """A manifest's content. ``outputs`` maps artifact names (``"lexicon"``, ``"vectors"``) to file
    names relative to the manifest's folder; pipelines hand these artifacts to later stages.
    ``defaults`` are the stage's parameter defaults, which the parameters left out took."""
    return {
        "stage": stage,
        "textmine_version": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "params": dict(params),
        "defaults": dict(defaults or {}),
        "inputs": dict(inputs),
        "outputs": dict(outputs),
        "counts": dict(counts or {}),
        "metrics": dict(metrics or {}),
        "seconds": seconds,
    }


def read_manifest(where: str | os.PathLike) -> dict | None:
    """The manifest of ``where``, or None when there is none or it is unreadable."""
    import json

    try:
        return json.loads(manifest_path(where).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stage_of(where: str | os.PathLike) -> str | None:
    """The stage whose output ``where`` is, by its manifest; None without a readable one. Model
    loaders name it when handed another stage's folder."""
    manifest = read_manifest(where)
    return manifest.get("stage") if manifest else None


def earlier_run(where: str | os.PathLike, stage: str, params: Mapping, inputs: Mapping[str, str]) -> dict | None:
    """The manifest in ``where`` when it records this stage's complete result for these params and
    inputs, fresh or not (see :func:`staleness`); None when there is none or it records another run."""
    manifest = read_manifest(where)
    if manifest is None:
        return None
    folder = manifest_path(where).parent
    outputs_exist = all((folder / name).exists() for name in manifest.get("outputs", {}).values())
    same = (manifest.get("stage") == stage and _as_saved(params) == manifest.get("params")
            and manifest.get("inputs") == dict(inputs) and outputs_exist)
    return manifest if same else None


def is_fresh(where: str | os.PathLike, stage: str, params: Mapping, inputs: Mapping[str, str],
             defaults: Mapping | None = None) -> bool:
    """True when ``where`` already holds this stage's complete result for these params and inputs,
    made by this textmine version with these ``defaults``."""
    manifest = earlier_run(where, stage, params, inputs)
    return manifest is not None and staleness(manifest, defaults or {}) is None


def staleness(manifest: dict, defaults: Mapping) -> str | None:
    """Why an earlier run's result is not fresh: another textmine version made it, or the defaults
    changed. None when it is fresh."""
    if manifest.get("textmine_version") != __version__:
        return f"textmine {manifest.get('textmine_version')} made it, this is {__version__}"
    before, now = manifest.get("defaults", {}), _as_saved(defaults)
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    return f"the defaults of {', '.join(changed)} have changed" if changed else None


def _as_saved(values: Mapping) -> dict:
    """``values`` as the manifest holds them: through JSON, so that tuples and lists, or int and
    float keys, compare as they were saved."""
    import json

    return json.loads(json.dumps(dict(values), sort_keys=True))
