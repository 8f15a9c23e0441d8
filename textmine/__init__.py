"""textmine: unsupervised Chinese text mining and generation.

Staged pipelines over one shared corpus layer (``textmine.corpus``): new-word discovery and
domain terms (``textmine.words``), word and document embeddings (``textmine.embed``), InfoMap
clustering (``textmine.cluster``), BERT question-answer generation (``textmine.qa``), entity
linking (``textmine.linking``) and a text VAE (``textmine.vae``). Each job is also one call::

    import textmine
    textmine.words(texts); textmine.terms(texts); model = textmine.embed(texts)
    textmine.cluster(model.wv); textmine.link(texts, kb="kb.jsonl"); textmine.generate_qa(docs, model="run")

imported when first used, so ``import textmine`` stays fast (see :mod:`textmine.api`).
"""

import logging

from textmine._lazy import lazy_exports
from textmine.errors import InputError, MissingDependencyError, NotFittedError, OutputError, TextmineError

__version__ = "0.2.0"
__getattr__, __dir__, _jobs = lazy_exports(__name__, {
    "textmine.api": ("cluster", "embed", "generate_qa", "link", "terms", "words"),
})
__all__ = ["InputError", "MissingDependencyError", "NotFittedError", "OutputError", "TextmineError", "__version__",
           *_jobs]

logging.getLogger(__name__).addHandler(logging.NullHandler())
