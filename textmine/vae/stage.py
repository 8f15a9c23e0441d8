"""The ``vae_train``, ``vae`` and ``vae_evaluate`` stages: train a text VAE; write sentence vectors
(posterior means) that the ``cluster`` stage reads; measure a model on held-out sentences."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textmine.atomic import write_json
from textmine.errors import InputError
from textmine.stage import StageContext, StageResult, stage

if TYPE_CHECKING:
    from textmine.vae.textvae import TextVAE


def _sentences(ctx: StageContext, split: bool, max_len: int) -> tuple[list[str], list[str]]:
    from textmine.vae.report import iter_keyed_sentences

    pairs = list(iter_keyed_sentences(ctx.open_corpus(), split=split, max_len=max_len))
    return [k for k, _ in pairs], [s for _, s in pairs]


def _model(ctx: StageContext, model: str | None, device: str | None) -> TextVAE:
    from textmine.vae.textvae import TextVAE

    folder = model if model is not None else ctx.artifacts.get("vae_run")
    if folder is None:
        raise InputError("no model: set model = a run folder of `textmine vae train`, or run vae_train before")
    return TextVAE.load(folder, device=device)


@stage("vae_train", makes=("vae_run",), paths=("dev", "userdict"), estimator="textmine.vae.textvae:TextVAE")
def run_vae_train(ctx: StageContext, *, split: bool = False, dev: str | None = None, resume: bool = True,
                  **params) -> StageResult:
    """Train on the corpus; the stage folder is the run folder (model/, checkpoint/, metrics.jsonl).

    Parameters
    ----------
    split : bool
        Cut each document into sentences at punctuation (else a sentence per document).
    dev : path or None
        A file of held-out sentences evaluated while training.
    resume : bool
        Continue from the folder's checkpoint after a kill (else start over).
    """
    from textmine.vae.report import iter_keyed_sentences
    from textmine.vae.textvae import TextVAE

    vae = TextVAE(**params, seed=ctx.seed, progress=ctx.progress)
    _, sentences = _sentences(ctx, split, vae.max_len)
    dev_sentences = None
    if dev is not None:
        from textmine.corpus import open_corpus

        dev_sentences = [s for _, s in iter_keyed_sentences(open_corpus(dev), split=split, max_len=vae.max_len)]
    vae.fit(sentences, dev_sentences, out_dir=ctx.out_dir, resume=resume)
    terms = vae.train_result_.terms
    last = {k: v[-1] for k, v in terms.items() if v}
    return StageResult(outputs={"vae_run": "."}, counts={**vae.counts_, "steps": vae.train_result_.steps},
                       metrics={f"last_{k}": v for k, v in last.items()},
                       summary=f"{vae.posterior} VAE trained on {vae.counts_['sentences']} sentences for "
                               f"{vae.train_result_.steps} steps (last loss {last.get('loss', float('nan')):.2f}, "
                               f"KL {last.get('kl', float('nan')):.2f}); {vae.counts_['cut']} cut to "
                               f"{vae.max_len} tokens, {vae.counts_['unknown']} unknown tokens")


@stage("vae", uses=("vae_run",), makes=("vectors", "vector_keys"), paths=("model",))
def run_vae(ctx: StageContext, *, model: str | None = None, split: bool = False, device: str | None = None
            ) -> StageResult:
    """Write vectors.vec: the posterior mean of each sentence, keyed by document (``doc.k`` with ``split``).

    A vector file placed under a ``.npy`` (``.bin``) name is written as a numpy array (binary
    word2vec); a ``.npy`` file's keys go to the ``vector_keys`` file, one per row.
    """
    from textmine.vae.report import write_keys, write_vectors

    vae = _model(ctx, model, device)
    keys, sentences = _sentences(ctx, split, vae.max_len)
    means, encoded = vae.encode_texts(sentences)
    kept = [keys[i] for i in encoded.index]
    suffix = ctx.final_path("vectors", "vectors.vec").suffix
    kind = {".npy": "npy", ".bin": "bin"}.get(suffix, "vec")
    write_vectors(kept, means, ctx.path("vectors", "vectors.vec"), kind=kind)
    outputs = {"vectors": "vectors.vec"}
    if kind == "npy":
        write_keys(kept, ctx.path("vector_keys", "vectors.keys"))
        outputs["vector_keys"] = "vectors.keys"
    counts = encoded.counts
    return StageResult(outputs=outputs, counts=counts,
                       summary=f"{len(encoded.ids)} sentence vectors of {vae.latent} dimensions "
                               f"({counts['empty']} empty skipped, {counts['cut']} cut, {counts['unknown']} "
                               "unknown tokens)")


@stage("vae_evaluate", uses=("vae_run",), makes=("vae_metrics", "vae_dashboard"), paths=("model",))
def run_vae_evaluate(ctx: StageContext, *, model: str | None = None, split: bool = False,
                     iw_samples: int | None = None, device: str | None = None) -> StageResult:
    """Write metrics.json (nll, iw_nll, kl, kl_dims, mi, au, ppl, latent, ...) and dashboard.png
    (in a pipeline both; from the CLI those it was asked for)."""
    from textmine.vae.metrics import summary_line
    from textmine.vae.report import training_curves, write_dashboard

    png = ctx.final_path("vae_dashboard", "dashboard.png")
    if ctx.wants("vae_dashboard") and png.suffix != ".png":
        raise InputError(f"{png}: the dashboard is a PNG; give a file name ending in .png")
    vae = _model(ctx, model, device)
    _, sentences = _sentences(ctx, split, vae.max_len)
    metrics = vae.evaluate(sentences, iw_samples=iw_samples, seed=ctx.seed)
    outputs = {}
    if ctx.wants("vae_metrics"):
        write_json(ctx.path("vae_metrics", "metrics.json"), metrics)
        outputs["vae_metrics"] = "metrics.json"
    if ctx.wants("vae_dashboard"):
        folder = Path(model if model is not None else ctx.artifacts["vae_run"])
        run_dir = folder.parent if folder.name == "model" else folder
        write_dashboard(metrics, training_curves(run_dir / "metrics.jsonl"), ctx.path("vae_dashboard", "dashboard.png"))
        outputs["vae_dashboard"] = "dashboard.png"
    headline = {k: metrics[k] for k in ("nll", "iw_nll", "ppl", "kl", "mi", "au", "latent")}
    return StageResult(outputs=outputs, counts=metrics["counts"], metrics=headline, summary=summary_line(metrics))
