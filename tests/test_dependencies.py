"""setup.cfg declares exactly what textmine imports: required imports in install_requires, the
ones loaded through ``require()`` as extras."""

import ast
import configparser
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# import name -> distribution name, where they differ
DISTRIBUTIONS = {"sklearn": "scikit-learn", "ahocorasick": "pyahocorasick", "tensorflow": "tensorflow-cpu", "faiss": "faiss-cpu"}


def _declared() -> tuple[set[str], set[str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")

    def names(block: str) -> set[str]:
        return {re.split(r"[<>=!\[ ]", line.strip(), 1)[0].lower() for line in block.splitlines() if line.strip()}

    extras = set().union(*(names(v) for k, v in config["options.extras_require"].items() if k != "test"))
    return names(config["options"]["install_requires"]), extras


def _imported() -> tuple[set[str], set[str]]:
    plain, optional = set(), set()
    for path in (ROOT / "textmine").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                plain.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                plain.add(node.module.split(".")[0])
            elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "require"
                  and isinstance(node.args[0], ast.Constant)):
                optional.add(node.args[0].value.split(".")[0])
    third_party = {m for m in plain if m not in sys.stdlib_module_names and m not in ("textmine", "__future__")}
    return ({DISTRIBUTIONS.get(m, m).lower() for m in third_party},
            {DISTRIBUTIONS.get(m, m).lower() for m in optional})


def test_install_requires_and_extras_match_the_imports():
    required, extras = _declared()
    imported, optional = _imported()
    assert imported == required, f"imported but undeclared: {imported - required}; declared but unused: {required - imported}"
    assert optional - required <= extras, f"optional imports without an extra: {optional - required - extras}"


def test_all_extra_holds_every_optional_extra():
    """``pip install 'textmine[all]'`` installs every optional feature, so the lists cannot drift."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    extras = {k: set(v.split()) for k, v in config["options.extras_require"].items()}
    features = set().union(*(v for k, v in extras.items() if k not in ("all", "test")))
    assert extras["all"] == features
