"""textmine.neural: the PyTorch core shared by question generation, entity linking and the text VAE.

Public API (stable; see each docstring)::

    choose_device(pref=None) -> torch.device         CUDA > MPS > CPU, or forced ("cpu", "cuda:0")
    autocast(device)                                 bf16 autocast on CUDA, no-op elsewhere
    make_generator(seed, device="cpu"), numpy_rng(seed), seed_torch(seed)

    PRESETS {"tiny", "small", "base"}; build_bert(config, vocab=None|path|tokens) / load_bert(folder)
        -> (BertForMaskedLM, BertTokenizer); save_bert(model, tok, folder); convert_tf_checkpoint(src, dst)
    corpus_tokens(texts, vocab=None, min_count=1) -> the tokens a corpus uses (a smaller vocabulary)

    Seq2Seq (UniLM): .build(config, vocab, copy=False), .from_bert_folder(dir, copy=False), .load(dir),
        .save(dir, meta), .log_probs(h, source_h, source_ids, source_ok) (CopyHead: pointer to the source),
        .source_ids(text, max_len), .target_ids(text, max_len), .decode_ids(ids),
        .collate([(src_ids, tgt_ids), ...]) -> batch, .training_step(batch) -> loss; unilm_mask(seg, att)

    generate(model, source_ids, prefix=(), method="greedy"|"beam"|"sample", max_len, min_len, beam_size,
             num_return, top_k, top_p, temperature, generator, constraint=PrefixTrie, use_cache=True)
        -> [Hypothesis(tokens, score, finished)]
    PrefixTrie(seqs) / PrefixTrie.substrings(ids, max_len)

    Trainer(out_dir, max_steps, batch_size, grad_accum, lr, warmup, schedule, clip, ema_decay, eval_every,
            patience, metric, mode, log_every, seed, device, progress)
        .fit(model, train_data, collate, dev_data=None, evaluate=None, resume=True)
        -> TrainResult(steps, best, best_step, stopped_early, losses, files)
    EMA(model, decay); save_checkpoint(path, state) (atomic) / load_checkpoint(path)
"""

from textmine.neural.bert import (PRESETS, build_bert, convert_tf_checkpoint, corpus_tokens, load_bert,
                                  load_tokenizer, save_bert)
from textmine.neural.decode import Hypothesis, PrefixTrie, generate
from textmine.neural.device import autocast, choose_device, make_generator, numpy_rng, seed_torch
from textmine.neural.train import EMA, Trainer, TrainResult, load_checkpoint, save_checkpoint
from textmine.neural.unilm import CopyHead, Seq2Seq, unilm_mask

__all__ = [
    "PRESETS", "build_bert", "convert_tf_checkpoint", "corpus_tokens", "load_bert", "load_tokenizer",
    "save_bert",
    "Hypothesis", "PrefixTrie", "generate",
    "autocast", "choose_device", "make_generator", "numpy_rng", "seed_torch",
    "EMA", "Trainer", "TrainResult", "load_checkpoint", "save_checkpoint",
    "CopyHead", "Seq2Seq", "unilm_mask",
]
