"""QA answers: best-dev vs last weights, and answers held to word boundaries, on insurance QA (CPU).

The insurance data has no answer spans, so this builds them: a question's answer is its rarest
(by jieba's frequencies) jieba word of 2+ characters that also occurs in its passage; questions
with none are dropped. Being a jieba word, such an answer favours the word constraint somewhat.
A small UniLM (hidden 128, 2 layers) trains on the ``train`` split with the first
``--n-dev`` of ``valid`` as dev set. Held out: the first ``--n-test`` of ``test``.

1. Questions given the gold answer (char BLEU-4 / ROUGE-L), from the last (EMA) weights and from
   the best dev weights, which ``QAGenerator`` now uses.
2. Pairs generated from each held-out passage (3 per passage) with answers constrained to passage
   substrings, and to whole words of the passage (jieba + the lexicon the word finder discovers
   in the insurance passages): the share of answers that are whole words, the top answer's exact
   match and character F1 against the gold answer, and the top pair's question against the gold
   question.

    python scripts/bench_qa_answers.py [--steps 800] [--n-train N] [--n-test 150] [--out .bench/qa_answers]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import torch

from textmine.atomic import write_json
from textmine.corpus import datasets, make_tokenizer
from textmine.neural import Seq2Seq
from textmine.qa import QAExample, QAGenerator, evaluate_run, insurance_examples, score_questions
from textmine.qa.data import word_bounds
from textmine.words import WordFinder

CONFIG = dict(hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512)


def span_examples(split: str, jieba, frequencies: dict[str, int]) -> list[QAExample]:
    out = []
    for example in insurance_examples(split):
        shared = [w for w in jieba(example.question) if len(w) > 1 and w in example.passage]
        if shared:
            out.append(QAExample(example.passage, min(shared, key=lambda w: (frequencies.get(w, 0), w)),
                                 example.question))
    return out


def char_f1(a: str, b: str) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    return 0.0 if not common else 2 * common / (len(a) + len(b))


def whole_word(answer: str, piece: str, segment) -> bool:
    starts, ends = word_bounds(piece, segment)
    return any(piece.startswith(answer, i) and i in starts and i + len(answer) in ends for i in range(len(piece)))


def generated(gen: QAGenerator, test: list[QAExample], segment) -> dict:
    answers, words, exact, f1, questions, refs = 0, 0, 0, 0.0, [], []
    started = time.perf_counter()
    for example in test:
        pairs = gen.generate(example.passage, n_pairs=3, min_overlap=0.0, round_trip=False)   # unfiltered, as measured
        answers += len(pairs)
        words += sum(whole_word(p["answer"], p["passage"], segment) for p in pairs)
        top = pairs[0] if pairs else {"answer": "", "question": ""}
        exact += top["answer"] == example.answer
        f1 += char_f1(top["answer"], example.answer)
        questions.append(top["question"])
        refs.append(example.question)
    n = len(test)
    return {"answers": answers, "whole_words": round(100 * words / max(answers, 1), 1),
            "top_exact": round(100 * exact / n, 1), "top_char_f1": round(100 * f1 / n, 1),
            "top_question": score_questions(questions, refs), "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--n-train", type=int, help="train on the first N examples only (to see overfitting)")
    parser.add_argument("--n-dev", type=int, default=300)
    parser.add_argument("--n-test", type=int, default=150)
    parser.add_argument("--out", default=".bench/qa_answers")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 on a shared, busy machine)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    finder = WordFinder().fit(datasets.insurance_passages())
    lexicon = out / "userdict.txt"
    finder.to_userdict(lexicon)
    jieba, frequencies = make_tokenizer("jieba"), datasets.jieba_frequencies()
    train = span_examples("train", jieba, frequencies)[: args.n_train]
    dev = span_examples("valid", jieba, frequencies)[: args.n_dev]
    test = span_examples("test", jieba, frequencies)[: args.n_test]
    print(f"{len(train)} train, {len(dev)} dev, {len(test)} test examples with answers; "
          f"lexicon of {len(finder.words_)} words ({time.perf_counter() - started:.0f} s)")
    started = time.perf_counter()
    gen = QAGenerator(CONFIG, steps=args.steps, batch_size=16, lr=5e-4, seed=0).fit(train, out / "run", dev=dev)
    result = {"train": len(train), "dev": len(dev), "test": len(test), "steps": gen.train_result_.steps,
              "best_step": gen.train_result_.best_step, "train_minutes": round((time.perf_counter() - started) / 60, 1)}
    print(f"trained {result['steps']} steps in {result['train_minutes']} min; "
          f"best dev loss at step {result['best_step']}")
    last = QAGenerator.load(out / "run")
    last.model_ = Seq2Seq.load(out / "run" / "model").eval()
    result["questions_given_answer"] = {"last": evaluate_run(last, test)["model"],
                                        "best": evaluate_run(QAGenerator.load(out / "run"), test)["model"]}
    print("questions given the gold answer:", result["questions_given_answer"])
    segment = make_tokenizer("jieba", userdict=lexicon)
    best = QAGenerator.load(out / "run")
    result["substrings"] = generated(best, test, segment)
    best.lexicon = lexicon
    result["whole_words"] = generated(best, test, segment)
    for name in ("substrings", "whole_words"):
        print(f"answers as {name}:", result[name])
    write_json(out / "result.json", result)


if __name__ == "__main__":
    main()
