"""textmine.qa: question-answer pair generation from documents with a UniLM BERT (docs/algorithms/qa.md).

Public API::

    QAExample(passage, answer, question); load_examples(path, format="auto", max_len=128),
        read_examples / read_span_jsonl / read_squad / insurance_examples, write_examples,
        passage_pieces(text, max_len), cut_passage(passage, answer, max_len)
    QAGenerator(config="small", bert_dir=None, ...).fit(examples, out_dir) / .load(run_dir)
        .generate(passage, n_pairs=3) -> [{passage, answer, question, score}], .question(passage, answer),
        .generate_many(passages, n_pairs=3, batch_size=16) -> {doc, ...} per pair (decoded in batches)
    char_bleu, rouge_l, mean_rouge_l, score_questions, RetrievalBaseline
    generate_file(documents, generator, out_path, n_pairs=3, batch_size=16) (atomic JSON lines),
    evaluate_run(generator, test, train=None) -> {model: scores, retrieval: scores}
    ClauseQuestions(max_passage=128).fit(documents).generate(passage, n_pairs=3) / .generate_many(passages,
        model=None): questions from the passage's own clauses, ranked, no model needed (model: a
        QAGenerator whose pairs join the ranking, --method both)
    cloze_examples(documents, max_len=128, seed=0) (synthetic pairs from unlabelled text),
        mix_examples(labelled, synthetic, share); overlap(question, passage),
        mentions_passage(question, passage), answerable(passage, question, answer) (grounding checks)
"""

from textmine._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "textmine.qa.data": ("QAExample", "cut_passage", "insurance_examples", "load_examples", "passage_pieces",
        "read_examples", "read_span_jsonl", "read_squad", "write_examples"),
    "textmine.qa.evaluate": ("RetrievalBaseline", "char_bleu", "mean_rouge_l", "rouge_l", "score_questions"),
    "textmine.qa.model": ("QAGenerator",),
    "textmine.qa.run": ("evaluate_run", "generate_file"),
    "textmine.qa.synthetic": ("cloze_examples", "mix_examples"),
    "textmine.qa.clauses": ("ClauseQuestions",),
    "textmine.qa.grounding": ("answerable", "mentions_passage", "overlap"),
})
