"""textmine: unsupervised Chinese text mining and generation.

Staged pipelines over one shared corpus layer (``textmine.corpus``): new-word discovery and
domain terms (``textmine.words``), word and document embeddings (``textmine.embed``), InfoMap
clustering (``textmine.cluster``) and BERT question-answer generation (``textmine.qa``).
"""

import logging

from textmine.errors import InputError, MissingDependencyError, NotFittedError, TextmineError

__version__ = "0.1.0"
__all__ = ["InputError", "MissingDependencyError", "NotFittedError", "TextmineError", "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
