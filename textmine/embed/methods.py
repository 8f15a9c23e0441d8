"""The three embedding methods behind one name: ``make_model("jose", dim=50)``."""

from __future__ import annotations

import inspect

from textmine.embed.jose import JoSE
from textmine.embed.minent import MinEntropy
from textmine.embed.word2vec import Word2Vec
from textmine.errors import InputError
from textmine.persist import read_config

__all__ = ["METHODS", "load_model", "make_model"]

METHODS: dict[str, type] = {"jose": JoSE, "minent": MinEntropy, "word2vec": Word2Vec}


def make_model(method: str, **params):
    """An unfitted model of ``method``; a parameter the method does not take is refused by name.

    A parameter given as None takes the method's own default (all train 5 epochs).
    """
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    cls = METHODS[method]
    accepted = inspect.signature(cls).parameters
    foreign = sorted(k for k, v in params.items() if k not in accepted and v is not None)
    if foreign:
        raise InputError(f"{', '.join(foreign)}: not parameters of the {method} method")
    return cls(**{k: v for k, v in params.items() if v is not None})


def load_model(folder: str | os.PathLike):
    """Whichever embedding model (JoSE, MinEntropy, Word2Vec) ``folder`` holds."""
    config = read_config(folder)
    classes = {cls.__name__: cls for cls in METHODS.values()}
    if config.get("class") not in classes:
        raise InputError(f"{config['folder']} holds a {config.get('class')} model, not an embedding model "
                         f"({', '.join(classes)})")
    return classes[config["class"]].from_config(config)
