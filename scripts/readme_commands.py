"""Run every shell command shown in README.md, in order, in a copy of the repository.

A README line ``$ COMMAND`` (in a fenced or indented block) is run with bash from the copy's root;
it must exit 0, or non-zero when the lines printed under it in the README show an ``error:``, and
never print a traceback. Commands marked ``# needs requirements-data.txt`` read a packaged corpus
(or what such a command wrote): they are left out by default and run alone with ``--data-only``,
in the folder of an earlier run (``--keep``). .ci/run calls this in a fresh virtual environment
made with the README's install command, then again after installing the data packages, so every
documented command keeps working on a new machine.

    python scripts/readme_commands.py [--keep DIR] [--data-only]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_MARK = "# needs requirements-data.txt"


def readme_commands(text: str) -> list[tuple[int, str, bool]]:
    """(line number, command, expects an error) for every ``$ `` line of the README's code blocks."""
    lines = text.splitlines()
    found = []
    in_fence = False
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        in_block = in_fence or line.startswith("    ")
        stripped = line.strip()
        if not (in_block and stripped.startswith("$ ")):
            continue
        shown = []
        for after in lines[number:]:
            if after.strip().startswith("$ ") or after.lstrip().startswith("```") or not after.strip():
                break
            shown.append(after)
        found.append((number, stripped[2:], any(re.search(r"\berror:", s) for s in shown)))
    return found


def _copy_repository(target: Path) -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-only", action="store_true", help="run only the commands that need the data packages")
    parser.add_argument("--keep", help="run in this folder (kept) instead of a temporary one")
    args = parser.parse_args(argv)
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    work = Path(args.keep or tempfile.mkdtemp(prefix="textmine-readme-"))
    work.mkdir(parents=True, exist_ok=True)
    if not args.data_only:
        _copy_repository(work)
    # the commands run with this interpreter's environment first on PATH (its `textmine`)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    failures = ran = skipped = 0
    for number, command, expects_error in commands:
        if (DATA_MARK in command) != args.data_only:
            skipped += 1
            continue
        started = time.perf_counter()
        done = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=1800)
        ok = (done.returncode != 0) == expects_error and "Traceback" not in done.stderr
        ran += 1
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} README.md:{number} ({time.perf_counter() - started:.0f} s, "
              f"exit {done.returncode}) $ {command}")
        if not ok:
            print(done.stdout[-2000:] + done.stderr[-2000:])
    print(f"{ran - failures} passed, {failures} failed, {skipped} skipped")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
