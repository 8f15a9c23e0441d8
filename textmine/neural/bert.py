"""BERT masked-language models: from a local folder (offline), from a named preset, or from TF checkpoints.

Everything here is offline: ``local_files_only=True`` always, so a typo in a folder name gives a clear
:class:`~textmine.errors.InputError` instead of an attempt to reach the model hub. The tokenizer is
built with ``BertTokenizer(vocab=path)`` because transformers v5 silently ignores ``vocab_file=`` and
returns a 5-token vocabulary.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Sequence

import torch
from transformers import BertConfig, BertForMaskedLM, BertTokenizer
from transformers.utils import logging as hf_logging

from textmine.atomic import atomic_folder
from textmine.errors import InputError, require

__all__ = ["PRESETS", "load_tokenizer", "corpus_tokens", "build_bert", "load_bert", "save_bert", "write_bert",
           "convert_tf_checkpoint", "WEIGHT_FILES"]

log = logging.getLogger(__name__)

# Google's 21,128-token Chinese BERT vocabulary, shipped with textmine (Apache-2.0: data/NOTICE.txt)
CHINESE_VOCAB = Path(__file__).parent / "data" / "bert_chinese_vocab.txt"

#: Named architectures for random-weight models: (hidden size, layers, heads, intermediate size).
PRESETS: dict[str, dict[str, int]] = {
    "tiny": dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64),
    "small": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
    "base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
}

#: Weight file names a Hugging Face BERT folder may hold (any one suffices).
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")

_FOLDER_NEEDS = ("config.json, vocab.txt and weights (model.safetensors or pytorch_model.bin); "
                 "a Google TF checkpoint (bert_config.json, vocab.txt, bert_model.ckpt.*) can be "
                 "converted with textmine.neural.convert_tf_checkpoint")


SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def load_tokenizer(vocab: str | os.PathLike | Sequence[str]) -> BertTokenizer:
    """A WordPiece tokenizer from a ``vocab.txt`` (one token a line; Chinese is split per character),
    or from a list of tokens (e.g. :func:`corpus_tokens`)."""
    if not isinstance(vocab, (str, os.PathLike)):
        tokens = list(dict.fromkeys(vocab))
        missing = [t for t in SPECIAL_TOKENS if t not in tokens]
        if missing:
            raise InputError(f"token list lacks {', '.join(missing)}; "
                             f"a BERT vocabulary needs {', '.join(SPECIAL_TOKENS)}")
        return BertTokenizer(vocab={token: i for i, token in enumerate(tokens)})
    vocab = Path(vocab)
    if not vocab.is_file():
        raise InputError(f"vocabulary file {vocab} does not exist; expected a BERT vocab.txt, one token a line")
    tok = BertTokenizer(vocab=str(vocab))
    if len(tok) < 6:
        raise InputError(f"vocabulary file {vocab} holds only {len(tok)} tokens; expected a BERT vocab.txt")
    return tok


def _config(preset: str | dict | BertConfig, vocab_size: int, max_positions: int) -> BertConfig:
    if isinstance(preset, BertConfig):
        return preset
    if isinstance(preset, str):
        if preset not in PRESETS:
            raise InputError(f"config {preset!r} is unknown; expected one of {', '.join(PRESETS)} or a dict")
        preset = PRESETS[preset]
    kwargs = dict(vocab_size=vocab_size, max_position_embeddings=max_positions, type_vocab_size=2)
    kwargs.update(preset)
    return BertConfig(**kwargs)


def corpus_tokens(texts: Iterable[str], vocab: str | os.PathLike | None = None, min_count: int = 1) -> list[str]:
    """The special tokens, then every token of ``vocab`` that ``texts`` use at least ``min_count`` times
    (one token per character, as :class:`~textmine.qa.QAGenerator` encodes), most frequent first.

    A model trained from scratch on one domain uses about 3,000 of the 21,128 Chinese BERT tokens; an
    embedding and softmax cut to those train faster and waste no capacity on tokens it never sees
    (the "keep tokens" vocabulary of bert4keras). ``vocab=None`` is the Chinese BERT vocabulary.
    """
    if min_count < 1:
        raise InputError(f"min_count={min_count}; expected a positive count")
    if vocab is None:
        vocab = CHINESE_VOCAB
    known = load_tokenizer(vocab).get_vocab()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(text)
    kept: Counter[str] = Counter()
    for ch, n in counts.items():
        token = ch if ch in known else ch.lower()
        if token in known and token not in SPECIAL_TOKENS:
            kept[token] += n
    return [*SPECIAL_TOKENS, *(t for t, n in kept.most_common() if n >= min_count)]


def build_bert(config: str | dict | BertConfig = "small", vocab: str | os.PathLike | Sequence[str] | None = None, *,
               max_positions: int = 512, seed: int = 0) -> tuple[BertForMaskedLM, BertTokenizer]:
    """A randomly initialised BERT masked-LM (LM head tied to the input embeddings) and its tokenizer.

    Parameters
    ----------
    config : {"tiny", "small", "base"}, dict of BertConfig fields, or BertConfig
        The architecture; the vocabulary size always comes from ``vocab``.
    vocab : path, list of str, or None
        A ``vocab.txt`` or a token list (:func:`corpus_tokens`); ``None`` uses the 21,128-token Chinese
        BERT vocabulary (shipped with textmine, :data:`CHINESE_VOCAB`).
    max_positions : int
        Longest sequence the model will ever see (passage + answer + question).
    seed : int
        Seeds the initial weights (torch's global generator is saved and restored around it).
    """
    if vocab is None:
        vocab = CHINESE_VOCAB
    tok = load_tokenizer(vocab)
    cfg = _config(config, len(tok), max_positions)
    cfg.pad_token_id = tok.pad_token_id
    with torch.random.fork_rng(devices=[]):                                 # the global generator is left alone
        torch.manual_seed(seed)
        model = BertForMaskedLM(cfg)
    return model, tok


def load_bert(folder: str | os.PathLike) -> tuple[BertForMaskedLM, BertTokenizer]:
    """Load a BERT masked-LM and its tokenizer from a local Hugging Face folder, never the network.

    Raises
    ------
    InputError
        The folder is missing or lacks a file; the message lists what the folder must contain.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"model folder {folder} does not exist; it must contain {_FOLDER_NEEDS}")
    missing = [name for name in ("config.json", "vocab.txt") if not (folder / name).is_file()]
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    if missing:
        raise InputError(f"model folder {folder} lacks {', '.join(missing)}; it must contain {_FOLDER_NEEDS}")
    tok = load_tokenizer(folder / "vocab.txt")
    try:
        with _no_progress_bars():                               # weights_only: a .bin file cannot run code
            model = BertForMaskedLM.from_pretrained(str(folder), local_files_only=True, weights_only=True)
    except pickle.UnpicklingError:
        raise InputError(f"model folder {folder}: pytorch_model.bin holds objects other than tensors and plain "
                         "data, so it is not loaded; give the weights as model.safetensors") from None
    if model.config.vocab_size != len(tok):
        raise InputError(f"model folder {folder}: config.json says vocab_size={model.config.vocab_size} "
                         f"but vocab.txt holds {len(tok)} tokens")
    return model, tok


@contextmanager
def _no_progress_bars():
    """transformers draws a bar per shard it reads or writes: noise in our CLI's and pipelines' output."""
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def save_bert(model: BertForMaskedLM, tokenizer: BertTokenizer, folder: str | os.PathLike) -> Path:
    """Write ``config.json``, ``model.safetensors`` and ``vocab.txt`` as one folder, atomically."""
    folder = Path(folder)
    with atomic_folder(folder) as tmp:
        write_bert(model, tokenizer, tmp)
    return folder


def write_bert(model: BertForMaskedLM, tokenizer: BertTokenizer, folder: Path) -> None:
    """The files of a Hugging Face BERT folder, into the (new) ``folder``: a part of a model folder."""
    with _no_progress_bars():
        model.save_pretrained(str(folder))
    vocab = sorted(tokenizer.vocab.items(), key=lambda item: item[1])
    (folder / "vocab.txt").write_text("".join(f"{token}\n" for token, _ in vocab), encoding="utf-8")


def _tf_name(name: str) -> str | None:
    """Map a Google BERT TF variable name onto the transformers BertForMaskedLM parameter name."""
    if name.startswith(("cls/seq_relationship", "bert/pooler")) or "adam_" in name or name == "global_step":
        return None
    parts = name.split("/")
    out = []
    for part in parts:
        if part.startswith("layer_") and part[6:].isdigit():
            out.extend(["layer", part[6:]])
        elif part in ("kernel", "gamma"):
            out.append("weight")
        elif part in ("beta",):
            out.append("bias")
        elif part == "output_bias":
            out.append("bias")
        else:
            out.append(part)
    key = ".".join(out)
    key = key.replace("embeddings.word_embeddings", "embeddings.word_embeddings.weight")
    key = key.replace("embeddings.position_embeddings", "embeddings.position_embeddings.weight")
    key = key.replace("embeddings.token_type_embeddings", "embeddings.token_type_embeddings.weight")
    return key


def convert_tf_checkpoint(src: str | os.PathLike, dst: str | os.PathLike) -> Path:
    """Convert a Google TF BERT checkpoint folder into a Hugging Face folder readable by :func:`load_bert`.

    ``src`` must hold ``bert_config.json``, ``vocab.txt`` and ``bert_model.ckpt.*`` (the format of the
    original Chinese BERT releases). Needs TensorFlow (the optional ``[tf]`` extra).

    Raises
    ------
    MissingDependencyError
        TensorFlow is not installed (the message has the pip line).
    InputError
        A file is missing, or a checkpoint variable has no counterpart in the model.
    """
    src = Path(src)
    need = [src / "bert_config.json", src / "vocab.txt"]
    missing = [p.name for p in need if not p.is_file()]
    if not list(src.glob("bert_model.ckpt*")):
        missing.append("bert_model.ckpt.*")
    if missing:
        raise InputError(f"TF checkpoint folder {src} lacks {', '.join(missing)}; expected bert_config.json, "
                         "vocab.txt and bert_model.ckpt.index/.data-*")
    tf = require("tensorflow", "tensorflow-cpu  (or: pip install 'textmine[tf]')")
    import json

    cfg = BertConfig(**json.loads((src / "bert_config.json").read_text(encoding="utf-8")))
    model = BertForMaskedLM(cfg)
    params = dict(model.named_parameters())
    reader = tf.train.load_checkpoint(str(src / "bert_model.ckpt"))
    with torch.no_grad():
        for name in reader.get_variable_to_shape_map():
            key = _tf_name(name)
            if key is None:
                continue
            if key not in params:
                raise InputError(f"TF checkpoint {src}: variable {name} has no counterpart ({key}) in BertForMaskedLM")
            value = torch.from_numpy(reader.get_tensor(name))
            if name.endswith("kernel"):
                value = value.T
            if tuple(value.shape) != tuple(params[key].shape):
                raise InputError(f"TF checkpoint {src}: {name} has shape {tuple(value.shape)}, "
                                 f"model expects {tuple(params[key].shape)}")
            params[key].copy_(value)
    model.tie_weights()
    return save_bert(model, load_tokenizer(src / "vocab.txt"), dst)
