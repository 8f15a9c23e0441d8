"""One model folder format: a folder of one kind given to another kind's load is a one-line error,
and nothing in the package loads pickle."""

import re
from pathlib import Path

import pytest

from textmine.embed import MinEntropy
from textmine.errors import InputError
from textmine.vae import TextVAE
from textmine.words import WordFinder

PACKAGE = Path(__file__).resolve().parent.parent / "textmine"
TEXTS = ["曹操率军南下，刘备与孙权联合抗曹。", "诸葛亮草船借箭，周瑜火烧赤壁。"] * 3


def test_a_folder_of_one_kind_given_to_another_load_is_one_line(tmp_path):
    folder = MinEntropy(dim=4, epochs=1, workers=1, progress=False).fit([list(t) for t in TEXTS]).save(tmp_path / "m")
    for cls in (TextVAE, WordFinder):
        with pytest.raises(InputError) as info:
            cls.load(folder)
        assert str(info.value) == f"{folder} holds a MinEntropy model, not a {cls.__name__}"


def test_no_pickle_anywhere_in_the_package():
    unsafe = re.compile(r"import pickle\b|pickle\.loads?\(|allow_pickle=True|torch\.load\((?![^)]*weights_only=True)")
    found = [f"{path.relative_to(PACKAGE)}:{n}" for path in PACKAGE.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if unsafe.search(line)]
    # imported only to catch the UnpicklingError of a weights_only load that refused an object
    assert found == ["neural/bert.py:13", "neural/train.py:35"]
