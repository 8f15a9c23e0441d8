"""The docs speak from inside the repository: every link resolves to a file of it, and
BENCHMARKS.md opens with its summary table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)\s]*)?\)")


def _files(*patterns):
    return [p for pattern in patterns for p in ROOT.rglob(pattern)
            if not any(part.startswith(".") or part in ("out", "build") for part in p.relative_to(ROOT).parts)]


def test_every_relative_link_in_the_docs_is_a_file_of_the_repository():
    broken = []
    for page in _files("*.md"):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):                       # https:, mailto:
                continue
            resolved = (page.parent / target).resolve()
            if not resolved.exists() or ROOT not in resolved.parents:
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_no_file_points_outside_the_repository():
    outside = re.compile(r"\.\./shared|ALGORITHMS\.md")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in _files("*.md", "*.py", "*.toml", "*.cfg")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if outside.search(line)
             and p != Path(__file__).resolve()]
    assert found == []


def test_benchmarks_opens_with_one_row_per_stage():
    lines = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8").splitlines()
    first_table = next(i for i, line in enumerate(lines) if line.startswith("|"))
    assert not any(line.startswith("#") for line in lines[1:first_table])     # no section before it
    header = [c.strip() for c in lines[first_table].strip("|").split("|")]
    assert header == ["stage", "task", "data", "anchor", "ours", "anchor's", "ratio", "command", "date"]
    end = next(i for i in range(first_table, len(lines) + 1) if i == len(lines) or not lines[i].startswith("|"))
    stages = {row.split("|")[1].strip().split("](")[0].lstrip("[").split(" ")[0] for row in lines[first_table + 2:end]}
    assert {"words", "terms", "embed", "cluster", "qa", "linking", "vae"} <= stages
