import pytest

from textmine.linking import Link, LinkedText, evaluate_linker, format_report, prf


def test_prf_counts_a_set_against_another():
    assert prf({1, 2, 3, 4}, {1, 2, 5}) == pytest.approx(
        {"p": 2 / 3, "r": 0.5, "f1": 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5), "gold": 4, "predicted": 3})
    assert prf(set(), set())["f1"] == 0.0


def test_report_has_both_settings_both_methods_and_nil_is_no_link(fast_linker, poets_data):
    _, _, dev = poets_data
    report = evaluate_linker(fast_linker, dev[:30])
    assert set(report["gold_mentions"]) == {"model", "prior"} and "mentions" in report
    assert report["gold_mentions"]["model"]["all"]["gold"] == 30
    table = format_report(report)
    assert "gold_mentions  prior  ambiguous" in table and "end_to_end" in table
    nil_only = [LinkedText(t.text_id, t.text, tuple(Link(m.mention, m.offset, "NIL") for m in t.mentions))
                for t in dev[:5]]
    assert evaluate_linker(fast_linker, nil_only, end_to_end=False)["gold_mentions"]["model"]["all"]["gold"] == 0
