"""Codec: long sentences are cut and counted, unknown tokens become <unk> and are counted."""

import logging

import pytest

from textmine.errors import InputError
from textmine.vae import Codec
from textmine.vae.data import EOS, SPECIALS, UNK


def test_vocabulary_and_round_trip(questions):
    codec = Codec.build(questions, max_len=64)
    assert codec.tokens[:4] == list(SPECIALS) and len(codec) > 100
    enc = codec.encode(questions[:20])
    assert [codec.decode(ids) for ids in enc.ids] == [q.replace(" ", "") for q in questions[:20]]
    assert codec.decode([*enc.ids[0], EOS, *enc.ids[1]]) == questions[0].replace(" ", "")


def test_long_sentences_are_cut_with_a_warning_and_counted(questions, caplog):
    codec = Codec.build(questions, max_len=8)
    with caplog.at_level(logging.WARNING, logger="textmine.vae.data"):
        enc = codec.encode(questions[:50])
    longer = sum(len(q.replace(" ", "")) > 8 for q in questions[:50])
    assert longer > 0 and enc.counts["cut"] == longer
    assert all(len(ids) <= 8 for ids in enc.ids)
    assert f"{longer} of 50 sentences are longer than max_len=8" in caplog.text


def test_unknown_characters_get_the_unk_id_and_are_counted(questions):
    codec = Codec.build(questions)
    enc = codec.encode(["保险鑫犇", "", "人寿"])
    assert enc.ids[0][:2] != [UNK, UNK] and enc.ids[0][2:] == [UNK, UNK]
    assert enc.counts == {"sentences": 3, "empty": 1, "cut": 0, "tokens": 6, "unknown": 2}
    assert enc.index == [0, 2]
    assert codec.decode(enc.ids[0]) == "保险<unk><unk>"


def test_bad_inputs(questions):
    codec = Codec.build(questions)
    with pytest.raises(InputError, match="single str"):
        codec.encode("保险")
    with pytest.raises(InputError, match="tokenizer"):
        Codec.build(questions, tokenizer="bpe")
    with pytest.raises(InputError, match="no tokens"):
        codec.encode_one("   ")


def test_jieba_words(questions):
    codec = Codec.build(questions[:100], tokenizer="jieba")
    enc = codec.encode(["人寿保险"])
    assert enc.ids[0] and len(enc.ids[0]) < 4                                  # words, not four characters
