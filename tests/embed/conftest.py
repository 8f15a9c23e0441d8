import pytest

from textmine.corpus import open_corpus, tokenize


@pytest.fixture(scope="session")
def char_docs(sample_path):
    """The sample chapters as character lists (no jieba start-up; ~280k tokens)."""
    return list(tokenize(open_corpus(sample_path), "chars"))


@pytest.fixture(scope="session")
def small_docs(char_docs):
    return char_docs[:150]
