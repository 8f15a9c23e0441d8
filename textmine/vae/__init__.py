"""textmine.vae: a sentence VAE whose batch-normalised posterior keeps the KL from vanishing.

Public API::

    TextVAE(posterior="bn"|"tau"|"plain"|"none", latent=32, gamma=0.5, tau=0.5, kl_schedule, free_bits, ...)
        .fit(corpus, dev=None, out_dir=None, resume=True) -> self   (codec_, net_, counts_, train_result_)
        .encode(texts) -> [n, latent] posterior means; .encode_texts(texts) -> (means, Encoded)
        .sample(n, seed), .reconstruct(texts), .interpolate(a, b, steps=8), .similar(sentence, n=5)
        .evaluate(corpus) -> {rec, kl, kl_dims, kl_batch_stats, nll, iw_nll, ppl, mi, au, latent, ...}
        .save(folder) / TextVAE.load(folder)
    Codec (tokens <-> ids, cut and unknown counts), VAENet, VAEStepper (a textmine.neural.Stepper)
"""

from textmine._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "textmine.vae.data": ("Codec", "Encoded"),
    "textmine.vae.model": ("POSTERIORS", "VAENet", "VAEStepper"),
    "textmine.vae.textvae": ("TextVAE",),
})
