"""Topics on real insurance questions of three domains, new documents, save/load, bad input, the CLI."""

import importlib.util

import numpy as np
import pytest
from sklearn.metrics import adjusted_mutual_info_score

from textmine.cli import main
from textmine.errors import InputError, NotFittedError
from textmine.topics import Topics

DOMAINS = ("auto-insurance", "medicare-insurance", "retirement-plans")


@pytest.fixture(scope="module")
def questions():
    if importlib.util.find_spec("insuranceqa_data") is None:
        pytest.skip("data package insuranceqa_data not installed (requirements-data.txt)")
    from textmine.corpus.datasets import insurance_questions

    chosen = [q for q in insurance_questions("train") if q["domain"] in DOMAINS][:360]
    return [q["question"] for q in chosen], [q["domain"] for q in chosen]


@pytest.fixture(scope="module")
def fitted(questions):
    return Topics(k=3, min_df=2, seed=0).fit(questions[0][:300])


def test_given_k_finds_the_domains_and_labels_them_by_contrast(fitted, questions):
    assert fitted.n_topics_ == 3 and len(fitted.labels_) == 300 and len(fitted.keywords_) == 300
    assert adjusted_mutual_info_score(questions[1][:300], fitted.labels_) > 0.3
    labels = " ".join(t["label"] for t in fitted.topics_)
    assert "医疗保险" in labels or "汽车保险" in labels or "退休" in labels
    for topic in fitted.topics_:
        assert all(g2 >= 10.83 for _, g2, _ in topic["terms"])
        assert topic["size"] == int(np.sum(fitted.labels_ == topic["topic"]))


def test_without_k_the_number_is_chosen_and_recorded(questions):
    model = Topics(min_topics=2, max_topics=8, seed=0).fit(questions[0][:300])
    assert model.n_topics_ in model.k_scores_ and model.k_scores_[model.n_topics_] == max(model.k_scores_.values())
    assert set(model.k_scores_) <= set(range(2, 9))


def test_transform_and_save_load_give_identical_assignments(fitted, questions, tmp_path):
    again, scores = fitted.transform(questions[0][:300])
    assert np.array_equal(again, fitted.labels_) and np.allclose(scores, fitted.scores_, atol=1e-5)
    loaded = Topics.load(fitted.save(tmp_path / "model"))
    new = questions[0][300:]
    assert np.array_equal(loaded.transform(new)[0], fitted.transform(new)[0])
    assert loaded.topics_[0]["label"] == fitted.topics_[0]["label"]
    assert not (tmp_path / "model" / "model.pkl").exists()


def test_a_document_with_no_known_word_still_gets_a_topic(fitted):
    labels, scores = fitted.transform(["", "。。。"])
    assert labels.tolist() == [fitted.fallback_] * 2 and scores.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("docs, params, message", [
    ([], {}, "at least 2 documents; the corpus has 0"),
    (["保险"], {}, "at least 2 documents; the corpus has 1"),
    (["汽车保险多少钱", "医疗保险怎么买"], {"k": 0}, "k=0"),
    (["汽车保险多少钱", "医疗保险怎么买"], {"k": 3}, "between 1 and the 2 documents"),
    ("汽车保险多少钱", {}, "not one string"),
])
def test_bad_input_is_one_clear_error(docs, params, message):
    with pytest.raises(InputError, match=message):
        Topics(**params).fit(docs)


def test_unfitted_model_says_what_to_call():
    with pytest.raises(NotFittedError, match="fit"):
        Topics().transform(["保险"])


def test_cli_writes_every_output_and_refuses_a_bad_k_in_one_line(questions, tmp_path, capsys):
    corpus = tmp_path / "q.txt"
    corpus.write_text("\n".join(questions[0][:200]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["topics", str(corpus), "-o", str(out), "--k", "3", "-q"]) == 0
    rows = (out / "doc_topics.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "doc\ttopic\tscore\tkeywords" and len(rows) == 201
    assert len((out / "topics.tsv").read_text(encoding="utf-8").splitlines()) == 4
    assert Topics.load(out).n_topics_ == 3 and (out / "manifest.json").is_file()
    capsys.readouterr()
    assert main(["topics", str(corpus), "-o", str(tmp_path / "bad"), "--k", "500", "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "k=500" in err[0] and not (tmp_path / "bad").exists()


def test_topics_runs_in_a_pipeline_after_words_with_its_lexicon(tmp_path, sample_lines, capsys):
    paragraphs = [line for line in sample_lines if line.strip()][:120]
    corpus = tmp_path / "sample.txt"
    corpus.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    pipeline = tmp_path / "p.toml"
    pipeline.write_text('out_dir = "out"\n[corpus]\npaths = ["sample.txt"]\n'
                        '[[stages]]\nstage = "words"\n[[stages]]\nstage = "topics"\n', encoding="utf-8")
    assert main(["run", str(pipeline), "-q"]) == 0
    out = tmp_path / "out" / "topics"
    model = Topics.load(out)
    assert model.userdict is not None and (out / "model" / "userdict.txt").is_file()
    assert sum(1 for _ in (out / "doc_topics.tsv").open(encoding="utf-8")) - 1 == len(paragraphs)
    assert "== topics ==" in capsys.readouterr().out and (out / "topics.html").is_file()


def test_labels_are_words_of_two_or_more_characters_where_a_topic_has_three(sample_lines):
    """In classical text a topic's strongest terms are often single characters (操, 策, 走): the
    label passes over them, the terms keep them."""
    model = Topics(k=8, seed=0).fit([line for line in sample_lines if line.strip()])
    passed_over = 0
    for topic in model.topics_:
        terms = [term for term, _, _ in topic["terms"]]
        longer = [term for term in terms if len(term) > 1]
        assert topic["label"] == "/".join((longer + [term for term in terms if len(term) == 1])[:3])
        passed_over += any(len(term) == 1 for term in terms[:3])
    assert passed_over >= 2
