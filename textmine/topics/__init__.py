"""Documents into labelled topics (docs/benchmarks/topics.md).

::

    from textmine.topics import Topics
    model = Topics().fit(documents)          # the number of topics chosen from the data
    model.topics_[0]["label"], model.labels_, model.transform(new_documents)
"""

from textmine._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "textmine.topics.model": ("Topics",),
    "textmine.topics.report": ("write_outputs",),
})
