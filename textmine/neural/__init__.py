"""textmine.neural: the PyTorch core shared by question generation, entity linking and the text VAE.

Public API (stable; see each docstring)::

    choose_device(pref=None) -> torch.device         CUDA > MPS > CPU, or forced ("cpu", "cuda:0")
    autocast(device)                                 bf16 autocast on CUDA, no-op elsewhere
    make_generator(seed, device="cpu"), numpy_rng(seed), seed_torch(seed)

    PRESETS {"tiny", "small", "base"}; build_bert(config, vocab=None|path|tokens) / load_bert(folder)
    CHINESE_VOCAB: the 21,128-token Chinese BERT vocab.txt shipped with textmine (vocab=None uses it)
        -> (BertForMaskedLM, BertTokenizer); save_bert(model, tok, folder) (write_bert: the same files
        into a model folder being built); convert_tf_checkpoint(src, dst)
    corpus_tokens(texts, vocab=None, min_count=1) -> the tokens a corpus uses (a smaller vocabulary)

    Seq2Seq (UniLM): .build(config, vocab, copy=False), .from_bert_folder(dir, copy=False), .load(dir),
        .save(dir, meta), .hparams(), .log_probs(h, source_h, source_ids, source_ok) (CopyHead: pointer to
        the source), .source_ids(text, max_len), .target_ids(text, max_len), .decode_ids(ids),
        .collate([(src_ids, tgt_ids), ...]) -> batch (empty tgt_ids: a masked-LM row), .training_step(batch)
        -> loss; unilm_mask(seg, att)

    Stepper (protocol): .end_id, .room (tokens it can still take, or None), .logprobs() -> [rows, V],
        .advance(rows, tokens); Seq2SeqStepper(model, source, prefix=(), end_id=None, use_cache=True)
    EncodedSources(model, sources) (passages encoded once) -> Seq2SeqStepper.batch(encoded, contexts, prefixes)
    generate(stepper, method="greedy"|"beam"|"sample", max_len, min_len, beam_size, num_return, top_k, top_p,
             temperature, generator, constraint=PrefixTrie, length_penalty) -> [Hypothesis(tokens, score, finished)]
    generate_batch(stepper, ..., generators=[one per context], constraints=[one per context])
        -> [[Hypothesis, ...] per context]: every context of a batched stepper at once, each as generate alone
    PrefixTrie(seqs) / PrefixTrie.substrings(ids, max_len)

    Trainer(out_dir, max_steps, batch_size, grad_accum, lr, warmup, schedule, clip, ema_decay, eval_every,
            patience, metric, mode, log_every, seed, device, progress); .hparams()
        .fit(model, train_data, collate, dev_data=None, evaluate=None, resume=True)
        -> TrainResult(steps, best, best_step, stopped_early, losses, files, terms)
        model.training_step(batch) -> scalar loss, or {"loss": optimised, other_name: logged, ...};
        model.hparams() (optional) -> dict kept in checkpoints beside the Trainer's and CHECKPOINT_FORMAT
        under `torchrun --nproc-per-node N`: data-parallel (DDP; gloo on CPU, nccl on cuda:LOCAL_RANK),
        batch_size is the global batch, rank 0 writes; see textmine.neural.distributed
    EMA(model, decay); save_checkpoint(folder, state) (atomic; state.json + tensors.safetensors) /
        load_checkpoint(folder) (JSON and safetensors only: cannot run code)
"""

from textmine._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "textmine.neural.bert": ("CHINESE_VOCAB", "PRESETS", "build_bert", "convert_tf_checkpoint", "corpus_tokens",
        "load_bert", "load_tokenizer", "save_bert", "write_bert"),
    "textmine.neural.decode": ("Hypothesis", "PrefixTrie", "Stepper", "generate", "generate_batch"),
    "textmine.neural.device": ("autocast", "choose_device", "make_generator", "numpy_rng", "seed_torch"),
    "textmine.neural.train": ("CHECKPOINT_FORMAT", "EMA", "Trainer", "TrainResult", "load_checkpoint",
        "save_checkpoint"),
    "textmine.neural.unilm": ("CopyHead", "EncodedSources", "Seq2Seq", "Seq2SeqStepper", "unilm_mask"),
})
