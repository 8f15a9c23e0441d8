"""BERT folders load offline and generate; missing files give clear errors; UniLM mask; devices."""

import os
import shutil

import pytest
import torch
from transformers import BertConfig, BertForMaskedLM

from textmine.errors import InputError, MissingDependencyError
from textmine.neural import (PRESETS, Seq2Seq, Seq2SeqStepper, build_bert, choose_device, convert_tf_checkpoint,
                             corpus_tokens, generate, load_bert, load_tokenizer, unilm_mask)


def test_save_pretrained_folder_loads_offline_and_generates(tiny_vocab, tmp_path):
    n_tokens = len(tiny_vocab.read_text(encoding="utf-8").split())
    cfg = BertConfig(vocab_size=n_tokens, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=64)
    BertForMaskedLM(cfg).save_pretrained(tmp_path / "bert")
    shutil.copy(tiny_vocab, tmp_path / "bert" / "vocab.txt")
    model = Seq2Seq.from_bert_folder(tmp_path / "bert")
    src = model.source_ids("刘备关羽张飞", 32)
    hyps = generate(Seq2SeqStepper(model, src), method="beam", beam_size=2, max_len=5, min_len=5)
    assert len(hyps[0].tokens) == 5
    assert isinstance(model.decode_ids(hyps[0].tokens), str)
    assert src[0] == model.cls_id and src[-1] == model.sep_id and len(set(src)) > 3   # real vocab, not [UNK]s


def test_seq2seq_save_load_round_trip(tiny_model, tmp_path):
    tiny_model.eval()
    batch = tiny_model.collate([(tiny_model.source_ids("三国演义", 16), tiny_model.target_ids("罗贯中", 8))])
    before = tiny_model(batch["input_ids"], batch["segment_ids"], batch["attention_mask"])
    tiny_model.save(tmp_path / "m", meta={"task": "qa"})
    tiny_model.save(tmp_path / "m", meta={"task": "qa2"})                      # overwrite in place
    loaded = Seq2Seq.load(tmp_path / "m").eval()
    after = loaded(batch["input_ids"], batch["segment_ids"], batch["attention_mask"])
    assert torch.allclose(before, after, atol=1e-6)
    assert Seq2Seq.read_meta(tmp_path / "m")["task"] == "qa2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


def test_missing_model_folder_and_files_are_named(tiny_model, tmp_path):
    with pytest.raises(InputError, match=r"does not exist.*config\.json, vocab\.txt"):
        load_bert(tmp_path / "nowhere")
    tiny_model.save(tmp_path / "m")
    (tmp_path / "m" / "model.safetensors").unlink()
    with pytest.raises(InputError, match=r"lacks model\.safetensors or pytorch_model\.bin"):
        Seq2Seq.load(tmp_path / "m")
    with pytest.raises(InputError, match="vocabulary file"):
        build_bert("tiny", tmp_path / "none.txt")
    with pytest.raises(InputError, match="config 'huge' is unknown"):
        build_bert("huge", tmp_path / "m" / "vocab.txt")



class Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_weights_that_would_run_code_are_refused_unread(tiny_model, tmp_path):
    tiny_model.save(tmp_path / "m")
    weights = tiny_model.bert.state_dict()
    (tmp_path / "m" / "model.safetensors").unlink()
    torch.save(weights, tmp_path / "m" / "pytorch_model.bin")                  # plain weights still load
    assert Seq2Seq.load(tmp_path / "m") is not None
    torch.save({**weights, "extra": Payload(tmp_path / "pwned")}, tmp_path / "m" / "pytorch_model.bin")
    with pytest.raises(InputError, match="pytorch_model.bin holds objects other than tensors and plain data"):
        Seq2Seq.load(tmp_path / "m")
    assert not (tmp_path / "pwned").exists()

def test_tf_conversion_needs_tensorflow_or_files(tmp_path):
    with pytest.raises(InputError, match="bert_config.json"):
        convert_tf_checkpoint(tmp_path, tmp_path / "out")
    for name in ("bert_config.json", "vocab.txt", "bert_model.ckpt.index"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        with pytest.raises(MissingDependencyError, match="pip install tensorflow"):
            convert_tf_checkpoint(tmp_path, tmp_path / "out")


def test_unilm_mask_pattern():
    seg = torch.tensor([[0, 0, 1, 1, 1]])
    att = torch.tensor([[1, 1, 1, 1, 0]])
    allowed = unilm_mask(seg, att)[0, 0] == 0
    expected = torch.tensor([[1, 1, 0, 0, 0],                                  # source sees source only
                             [1, 1, 0, 0, 0],
                             [1, 1, 1, 0, 0],                                  # target: source + causal
                             [1, 1, 1, 1, 0],
                             [1, 1, 1, 1, 0]], dtype=torch.bool)               # padding never attended
    assert torch.equal(allowed, expected)
    assert unilm_mask(seg).shape == (1, 1, 5, 5)


def test_loss_ignores_source_tokens(tiny_model):
    tiny_model.eval()
    src, tgt = tiny_model.source_ids("三国演义", 16), tiny_model.target_ids("罗贯中", 8)
    other = tiny_model.source_ids("刘备", 16)
    a = tiny_model.training_step(tiny_model.collate([(src, tgt)]))
    logits = tiny_model(*tiny_model.collate([(src, tgt)]).values())
    manual = torch.nn.functional.cross_entropy(logits[0, len(src) - 1:-1], torch.tensor(tgt))
    assert torch.allclose(a, manual, atol=1e-5)
    assert not torch.allclose(a, tiny_model.training_step(tiny_model.collate([(other, tgt)])))


def test_device_choice():
    assert choose_device("cpu") == torch.device("cpu")
    assert choose_device(None).type in ("cuda", "mps", "cpu")
    with pytest.raises(InputError, match="unknown"):
        choose_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(InputError, match="CUDA is not available"):
            choose_device("cuda")
    assert set(PRESETS) >= {"tiny", "small", "base"}


def _google_names(layers: int) -> list[str]:
    """The variable names of a Google BERT checkpoint with ``layers`` layers (pooler and NSP head left out)."""
    per_layer = [f"bert/encoder/layer_{i}/{part}" for i in range(layers) for part in (
        "attention/self/query/kernel", "attention/self/query/bias", "attention/self/key/kernel",
        "attention/self/key/bias", "attention/self/value/kernel", "attention/self/value/bias",
        "attention/output/dense/kernel", "attention/output/dense/bias", "attention/output/LayerNorm/gamma",
        "attention/output/LayerNorm/beta", "intermediate/dense/kernel", "intermediate/dense/bias",
        "output/dense/kernel", "output/dense/bias", "output/LayerNorm/gamma", "output/LayerNorm/beta")]
    return ["bert/embeddings/word_embeddings", "bert/embeddings/position_embeddings",
            "bert/embeddings/token_type_embeddings", "bert/embeddings/LayerNorm/gamma",
            "bert/embeddings/LayerNorm/beta", "cls/predictions/transform/dense/kernel",
            "cls/predictions/transform/dense/bias", "cls/predictions/transform/LayerNorm/gamma",
            "cls/predictions/transform/LayerNorm/beta", "cls/predictions/output_bias", *per_layer]


def test_tf_variable_names_cover_every_parameter(tiny_model):
    from textmine.neural.bert import _tf_name

    mapped = {_tf_name(n) for n in _google_names(2)}
    params = set(dict(tiny_model.bert.named_parameters()))
    assert mapped == params
    assert _tf_name("bert/pooler/dense/kernel") is None and _tf_name("global_step") is None


def test_corpus_tokens_keep_what_the_texts_use(tiny_vocab):
    tokens = corpus_tokens(["刘备刘备关羽", "张飞 X，刘"], tiny_vocab)
    assert tokens[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    assert tokens[5] == "刘"                                                 # most frequent first
    assert set(tokens[5:]) == set("刘备关羽张飞，")                          # X and the space are not in the vocab
    assert corpus_tokens(["刘备刘备关羽"], tiny_vocab, min_count=2)[5:] == ["刘", "备"]
    with pytest.raises(InputError, match="min_count"):
        corpus_tokens(["刘"], tiny_vocab, min_count=0)


def test_model_on_a_token_list_encodes_and_trains(tiny_vocab):
    tokens = corpus_tokens(["三国演义罗贯中"], tiny_vocab)
    model = Seq2Seq.build("tiny", tokens, max_positions=32)
    assert model.bert.config.vocab_size == len(tokens) == 12
    src = model.source_ids("三国演义", 16)
    assert model.tokenizer.unk_token_id not in src
    loss = model.training_step(model.collate([(src, model.target_ids("罗贯中", 8))]))
    assert torch.isfinite(loss)
    with pytest.raises(InputError, match=r"lacks \[PAD\]"):
        load_tokenizer(["[UNK]", "[CLS]", "[SEP]", "[MASK]", "刘"])


def test_tf_checkpoint_converts_to_the_same_model(tiny_model, tiny_vocab, tmp_path):
    """A Google-format checkpoint written from a torch model converts back to identical outputs."""
    tf = pytest.importorskip("tensorflow", reason="TF conversion needs the optional [tf] extra")
    import json

    from textmine.neural.bert import _tf_name

    bert = tiny_model.bert
    params = dict(bert.named_parameters())
    src = tmp_path / "google"
    src.mkdir()
    graph = tf.Graph()
    with graph.as_default():
        for name in _google_names(bert.config.num_hidden_layers):
            value = params[_tf_name(name)].detach().numpy()
            tf.compat.v1.Variable(value.T if name.endswith("kernel") else value, name=name)
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            tf.compat.v1.train.Saver().save(session, str(src / "bert_model.ckpt"))
    keys = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "max_position_embeddings", "type_vocab_size")
    (src / "bert_config.json").write_text(json.dumps({k: getattr(bert.config, k) for k in keys}), encoding="utf-8")
    shutil.copy(tiny_vocab, src / "vocab.txt")
    converted = Seq2Seq.load(convert_tf_checkpoint(src, tmp_path / "hf")).eval()
    tiny_model.eval()
    batch = tiny_model.collate([(tiny_model.source_ids("三国演义", 16), tiny_model.target_ids("罗贯中", 8))])
    args = (batch["input_ids"], batch["segment_ids"], batch["attention_mask"])
    assert torch.allclose(tiny_model(*args), converted(*args), atol=1e-5)
