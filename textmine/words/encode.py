"""Characters to compact integer ids, shard by shard, for vectorised n-gram counting.

Only CJK ideographs take part in word discovery; every other character (punctuation, digits,
Latin letters, spaces, line ends) becomes the separator id 0, so no n-gram crosses it. Ids are
given in order of first appearance, which puts the common characters first.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CharIndex", "separator_runs"]

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F), (0x3007, 0x3007))


class CharIndex:
    """A growing mapping from code points to ids 1..V (0 is the separator).

    At most ``capacity`` characters get ids; characters first seen after that (necessarily rare
    ones, since the common characters appear early) are treated as separators and counted in
    ``overflow``.
    """

    def __init__(self, capacity: int = 65535):
        self.capacity = capacity
        self.overflow = 0
        self._ids = np.zeros(0x110000, dtype=np.int32)
        self.chars: list[str] = [""]
        cjk = np.zeros(0x110000, dtype=bool)
        for low, high in _CJK_RANGES:
            cjk[low:high + 1] = True
        self._cjk = cjk

    @classmethod
    def from_chars(cls, chars: str) -> "CharIndex":
        """The index that gives ``chars`` the ids 1..len(chars) in order (a saved index)."""
        index = cls(max(65535, len(chars)))
        index.encode(chars)
        return index

    def __len__(self) -> int:
        """Number of ids in use, the separator included."""
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """``text`` as an int32 id array; unseen CJK characters get new ids."""
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        ids = self._ids[points]
        fresh = (ids == 0) & self._cjk[points]
        if fresh.any():
            new_points, first = np.unique(points[fresh], return_index=True)
            new_points = new_points[np.argsort(first, kind="stable")]
            room = max(self.capacity + 1 - len(self.chars), 0)
            if len(new_points) > room:
                self.overflow += len(new_points) - room
                self._cjk[new_points[room:]] = False
                new_points = new_points[:room]
            self._ids[new_points] = np.arange(len(self.chars), len(self.chars) + len(new_points), dtype=np.int32)
            self.chars.extend(map(chr, new_points.tolist()))
            ids = self._ids[points]
        return ids

    def id(self, char: str) -> int:
        """The id of ``char``; 0 when it was never seen as a CJK character."""
        code = ord(char)
        return int(self._ids[code]) if code < len(self._ids) else 0

    def decode(self, ids) -> str:
        return "".join(self.chars[i] for i in ids)


def separator_runs(ids: np.ndarray) -> np.ndarray:
    """For each position, how many non-separator characters start there before the next separator."""
    n = len(ids)
    positions = np.arange(n, dtype=np.int64)
    next_sep = np.where(ids == 0, positions, n)
    next_sep = np.minimum.accumulate(next_sep[::-1])[::-1]
    return next_sep - positions
