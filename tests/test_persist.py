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
    unsafe = re.compile(r"import pickle\b|pickle\.loads?\(|allow_pickle=True|torch\.(load|save)\(")
    found = [f"{path.relative_to(PACKAGE)}:{n}" for path in PACKAGE.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if unsafe.search(line)]
    # imported only to catch the UnpicklingError of transformers' weights_only load of a user's BERT folder
    assert found == ["neural/bert.py:13"]


def _kinds():
    """Every class that saves a model folder: the stages' estimators and what they save inside."""
    import textmine.linking.cross  # noqa: F401  (saved inside a linker's folder)
    import textmine.linking.spans  # noqa: F401
    from textmine.persist import Saved
    from textmine.stage import stages

    for st in stages().values():
        st.estimators()

    def below(cls):
        return {s for sub in cls.__subclasses__() for s in (sub, *below(sub))}

    return {cls for cls in below(Saved) if not cls.__subclasses__()}


def test_every_kind_refuses_a_folder_of_another_kind_in_one_line(tmp_path):
    folders = {MinEntropy: MinEntropy(dim=4, epochs=1, workers=1).fit([list(t) for t in TEXTS]).save(tmp_path / "m"),
               WordFinder: WordFinder(min_count=1).fit(TEXTS).save(tmp_path / "f")}
    kinds = _kinds()
    assert {c.__name__ for c in kinds} >= {"JoSE", "MinEntropy", "Word2Vec", "WordFinder", "QAGenerator",
                                           "EntityLinker", "CrossEncoder", "SpanDetector", "TextVAE"}
    for saved, folder in folders.items():
        for cls in kinds - {saved}:
            with pytest.raises(InputError) as info:
                cls.load(folder)
            assert str(info.value) == f"{folder} holds a {saved.__name__} model, not a {cls.__name__}"


def test_a_fitted_qa_generator_and_its_saved_folder_generate_the_same_pairs(tmp_path):
    from textmine.qa import QAExample, QAGenerator

    examples = [QAExample("关羽字云长，河东解良人。", "河东解良", "关羽是哪里人？"),
                QAExample("刘备字玄德，涿郡涿县人。", "涿郡涿县", "刘备是哪里人？")]
    fitted = QAGenerator("tiny", steps=3, batch_size=2, max_passage=32, max_question=12, max_answer=8,
                         min_overlap=0.0, round_trip=False, seed=1).fit(examples, tmp_path / "run")
    loaded = QAGenerator.load(tmp_path / "run", seed=1)
    passage = "张飞字翼德，涿郡人。"
    pairs = fitted.generate(passage, 3)
    assert pairs and loaded.generate(passage, 3) == pairs


def test_a_truncated_array_file_is_one_line(tmp_path):
    folder = MinEntropy(dim=4, epochs=1, workers=1).fit([list(t) for t in TEXTS]).save(tmp_path / "m")
    arrays = next(folder.glob("*.safetensors"))
    arrays.write_bytes(arrays.read_bytes()[:40])
    with pytest.raises(InputError, match="damaged array file"):
        MinEntropy.load(folder)
