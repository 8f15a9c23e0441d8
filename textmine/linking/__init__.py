"""textmine.linking: entity linking of mentions in raw text to a knowledge base (docs/algorithms/linking.md).

Public API::

    KnowledgeBase.load(path | "sanguo"), Entity, NIL
    load_texts(paths) / iter_texts(path) -> [LinkedText(text_id, text, mentions)], write_texts(texts, path)
    AliasIndex(prune_ratio=5.0).fit(kb, texts): names in an Aho-Corasick automaton, priors, pruning
    EntityLinker(mode="fast"|"accurate").fit(kb, texts, dev=None) -> .link(text) -> [Link(mention, offset,
        kb_id, score)], .link_texts(texts, gold_mentions=False), .save(dir) / EntityLinker.load(dir)
    evaluate_linker(linker, texts) -> report; format_report(report)
"""

from textmine._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "textmine.linking.data": ("Link", "LinkedText", "iter_texts", "load_texts", "write_texts"),
    "textmine.linking.evaluate": ("evaluate_linker", "format_report", "prf"),
    "textmine.linking.index": ("AliasIndex",),
    "textmine.linking.kb": ("NIL", "Entity", "KnowledgeBase"),
    "textmine.linking.linker": ("MODES", "EntityLinker"),
})
