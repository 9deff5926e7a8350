"""The workbook text as sections, so an edit touches only the part of the file it is about.

A save used to parse the whole file with tomlkit, which for a large workbook costs far more
memory and time than the edit itself. Here the text is split at its table header lines (as
tui/verify.py splits it to read it back); every section knows the key path of its table, e.g.
``('cyclus', 0, 'acties', 3)``. An edit parses with tomlkit only the section (or the one record,
with its sub-tables) that holds the value, changes it in place exactly as the whole-document path
would, and puts the text of that part back. Every other section stays byte for byte as it was.

Whenever this cannot be sure (no proof that the split is right, tables spread over the file, an
edit at the top level outside any table, anything tomlkit or the split refuses), ``apply`` says
so and the caller uses the whole tomlkit document instead. The save's read-back check stays the
final proof either way.
"""

from __future__ import annotations

import re
from typing import Any

from tui.verify import GiveUp, SectionParser

_HEADER_LINE = re.compile(r"^[ \t]*\[", re.M)


def split(text: str) -> list[str]:
    """The text cut before every line that looks like a table header; joined, they are the text."""
    starts = [m.start() for m in _HEADER_LINE.finditer(text)]
    bounds = ([0] if not starts or starts[0] != 0 else []) + starts + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def _first_line(chunk: str) -> str:
    end = chunk.find("\n")
    return chunk if end < 0 else chunk[:end]


class Sectioned:
    """The text of a workbook as a list of sections with the key path of each.

    ``ok`` is False when the file is not one this can handle with certainty; nothing may then be
    applied to it."""

    def __init__(self, text: str, parser: SectionParser):
        self.parser = parser
        self.chunks = split(text)
        # A cut inside a multi-line text or list leaves a section that does not read on its own:
        # an edit there is refused (the whole document takes it), and the read-back of the save
        # (which parses every section) proves the rest.
        self.ok = self._index()

    def text(self) -> str:
        return "".join(self.chunks)

    # -- where everything is
    def _index(self) -> bool:
        """Work out each section's key path. False when the file is not plainly laid out: a table
        declared twice, or a table or list whose sections are not all together."""
        cps: list[tuple | None] = []
        at: dict[tuple, int] = {}
        arrays: dict[tuple, int] = {}
        closed: set[tuple] = set()  # tables and lists left behind: no section may come back to them
        previous: tuple = ()
        header = self.parser._header
        for i, chunk in enumerate(self.chunks):
            if i == 0 and not _HEADER_LINE.match(chunk):
                cps.append(None)
                continue
            try:
                names, aot = header(_first_line(chunk))
            except GiveUp:
                return False
            cp: tuple = ()
            for name in names[:-1]:
                cp += (name,)
                if cp in arrays:
                    cp += (arrays[cp] - 1,)
            cp += (names[-1],)
            if aot:
                n = arrays.get(cp, 0)
                arrays[cp] = n + 1
                cp += (n,)
            if cp in at:
                return False
            common = 0
            for x, y in zip(previous, cp):
                if x != y:
                    break
                common += 1
            for k in range(common + 1, len(cp) + 1):
                if cp[:k] in closed:
                    return False
            for k in range(common + 1, len(previous) + 1):
                closed.add(previous[:k])
            previous = cp
            cps.append(cp)
            at[cp] = i
        self.cps, self.at, self.arrays = cps, at, arrays
        return True

    def end(self, i: int) -> int:
        """Just after the last section of the table at section ``i`` and its sub-tables."""
        cp = self.cps[i]
        j = i + 1
        while j < len(self.chunks) and self.cps[j] is not None and self.cps[j][: len(cp)] == cp:
            j += 1
        return j

    def _body(self, i: int) -> dict:
        """The plain values written in section ``i`` itself."""
        return self.parser._section(self.chunks[i], True)[2]

    # -- editing
    def apply(self, op: tuple) -> bool:
        """Apply one queued edit (see tui.storage); False when it must go through the whole document
        (then nothing was changed)."""
        if not self.ok:
            return False
        try:
            if op[0] == "append":
                return self._append(op[1], op[2])
            return self._set_or_delete(op)
        except Exception:  # noqa: BLE001 - whatever this path cannot do, the whole document does
            return False

    def _set_or_delete(self, op: tuple) -> bool:
        kind, path = op[0], op[1]
        base = next((path[:k] for k in range(len(path), 0, -1) if path[:k] in self.at), None)
        if base is None:
            if kind == "delete" and len(path) == 1 and not self._written_at_top(path[0]):
                return True  # e.g. a list whose records were all deleted: nothing left to remove
            return False  # a value at the top level, outside every table
        i = self.at[base]
        rel = path[len(base):]
        if not rel:
            if kind != "delete":
                return False
            return self._replace(i, self.end(i), "")
        j = self.end(i)
        key = rel[0]
        sub = [k for k in range(i + 1, j) if self.cps[k][len(base)] == key]
        if sub:
            if kind == "delete" and len(rel) == 1 and key not in self._body(i):
                return self._replace(sub[0], sub[-1] + 1, "")  # a table or list written as sections
            group = (i, j)
        elif key in self._body(i):
            group = (i, i + 1)  # the value is in this section itself
        elif kind == "set":
            group = (i, j)  # a new key: tomlkit places it among the table's own values
        else:
            return True  # not in the text (a list whose records were all deleted): nothing to remove
        from tui.storage import _replay

        doc = self._parse(*group)
        _replay(_locate(doc, base), None, (kind, rel, *op[2:]), root=False)
        return self._replace(*group, _dumps(doc))

    def _append(self, path: tuple, record: dict) -> bool:
        from tui.storage import _append_doc

        n = self.arrays.get(path, 0)
        if n:  # after the last record of its list
            i = self.at[path + (n - 1,)]
            group = (i, self.end(i))
            doc = self._parse(*group)
            _append_doc(_locate(doc, path[:-1]), path[-1], record, at_root=len(path) == 1, path=path)
            return self._replace(*group, _dumps(doc))
        key = path[-1]
        if len(path) > 1:  # a new list inside a table that has a section
            parent = path[:-1]
            if parent not in self.at:
                return False
            i = self.at[parent]
            if key in self._body(i):
                return False
            group = (i, self.end(i))
            doc = self._parse(*group)
            _append_doc(_locate(doc, parent), key, record, at_root=False, path=path)
            return self._replace(*group, _dumps(doc))
        # a new top-level list: after the part of the file that holds its commented example,
        # or at the end when there is none
        if self._written_at_top(key):
            return False
        marker = f"# [[{key}]]"
        c = next((n for n, chunk in enumerate(self.chunks) if marker in chunk), len(self.chunks) - 1)
        if self.cps[c] is None:
            return False  # in the part before the first table: only the whole document knows
        top = self.cps[c][0]
        a = c
        while a > 0 and self.cps[a - 1] is not None and self.cps[a - 1][0] == top:
            a -= 1
        b = c
        while b < len(self.chunks) and self.cps[b][0] == top:
            b += 1
        doc = self._parse(a, b)
        if len(doc.body) != 1:
            return False
        _append_doc(doc, key, record, at_root=True, path=path, followed=b < len(self.chunks))
        return self._replace(a, b, _dumps(doc))

    def _written_at_top(self, key: str) -> bool:
        return (self.cps[0] is None and key in self._body_root()) or any(cp is not None and cp[0] == key for cp in self.cps)

    def _body_root(self) -> dict:
        return self.parser._section(self.chunks[0], False)[2]

    def _parse(self, a: int, b: int) -> Any:
        import tomlkit

        return tomlkit.parse("".join(self.chunks[a:b]))

    def _replace(self, a: int, b: int, text: str) -> bool:
        """Put ``text`` in place of sections a..b. Refused (GiveUp, nothing changed) when the new
        text does not split into sections that each read on their own."""
        new = split(text) if text else []
        if new and not _HEADER_LINE.match(new[0]):
            raise GiveUp
        if new and b < len(self.chunks) and not text.endswith("\n"):
            raise GiveUp  # the next header would not start a line
        for chunk in new:
            self.parser._section(chunk, True)  # raises GiveUp when a cut went wrong
        same_shape = [_first_line(c) for c in new] == [_first_line(c) for c in self.chunks[a:b]]
        for chunk in self.chunks[a:b]:
            self.parser._cache.pop(chunk, None)  # what the text no longer has is not kept
        self.chunks[a:b] = new
        if not same_shape:
            self.ok = self._index()
        return True


def _locate(doc: Any, path: tuple) -> Any:
    """The table at ``path`` in a document parsed from the sections of one part of the file: the
    lists above it are not in it (their tables are implied), its own list holds just this record."""
    import tomlkit.items as ti

    node = doc
    for p in path:
        if isinstance(p, int):
            if isinstance(node, ti.AoT):
                node = node[-1]
            continue
        node = node[p]
    return node


def _dumps(doc: Any) -> str:
    import tomlkit

    return tomlkit.dumps(doc)
