"""Read rendered TOML back with the stdlib ``tomllib``, section by section, reusing earlier parses.

A save must prove that the text it is about to write reads back as exactly the intended data.
Re-parsing a whole large workbook costs more than rendering it, while one edit changes one
section. So the text is split at lines that look like table headers; each section is parsed by
``tomllib`` on its own (cached by its exact text), and the sections are assembled with TOML's
table rules. Anything unusual makes ``assemble`` return None, and the caller parses the whole
text instead:

- A split inside a multi-line string or array leaves that section with an unterminated string or
  array, which ``tomllib`` refuses: no wrong split can parse.
- Re-declared tables, headers that extend an inline or dotted-key table, and arrays of tables
  appended to a static array are TOML errors this assembly does not try to judge: it gives up.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

_HEADER_LINE = re.compile(r"^[ \t]*\[", re.M)


class GiveUp(Exception):
    pass


def _loads(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise GiveUp from None


class SectionParser:
    def __init__(self) -> None:
        self._cache: dict[str, tuple] = {}
        self._headers: dict[str, tuple] = {}  # header line -> (names, aot); few distinct ones
        self._last: tuple | None = None  # (text, its data): the last assembly

    def _header(self, line: str) -> tuple:
        hit = self._headers.get(line)
        if hit is not None:
            return hit
        shape = _loads(line)
        names: list[str] = []
        node: Any = shape
        aot = False
        while True:
            if isinstance(node, list):
                if len(node) != 1:
                    raise GiveUp
                node, aot = node[0], True
                continue
            if not isinstance(node, dict) or len(node) > 1:
                raise GiveUp
            if not node:
                break
            (key, node), = node.items()
            names.append(key)
            aot = False
        if not names:
            raise GiveUp
        self._headers[line] = result = (tuple(names), aot)
        return result

    def _section(self, chunk: str, header: bool) -> tuple:
        hit = self._cache.get(chunk)
        if hit is not None:
            return hit
        parsed = _loads(chunk)
        if not header:
            result: tuple = ((), False, parsed)
        else:
            names, aot = self._header(chunk.split("\n", 1)[0])
            body: Any = parsed
            for i, name in enumerate(names):
                body = body[name]
                if isinstance(body, list):
                    if not (aot and i == len(names) - 1) or len(body) != 1:
                        raise GiveUp
                    body = body[0]
            result = (tuple(names), aot, body)
        self._cache[chunk] = result
        return result

    def assemble(self, text: str, chunks: list[str] | None = None) -> dict | None:
        """The data ``tomllib.loads(text)`` gives, or None when this path cannot be sure.

        ``chunks``: the text already split at its header lines (joined, they must be ``text``);
        checked, and then not split again. The result for the last text is remembered: asked
        again for the very same text, it is given again without work."""
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        if chunks is None or not _split_right(text, chunks):
            starts = [m.start() for m in _HEADER_LINE.finditer(text)]
            bounds = [0, *starts, len(text)] if not starts or starts[0] != 0 else [*starts, len(text)]
            chunks = [text[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
        used: dict[str, tuple] = {}
        self._last = None
        try:
            sections = []
            for i, chunk in enumerate(chunks):
                header = i > 0 or _HEADER_LINE.match(chunk) is not None
                sec = self._section(chunk, header)
                used[chunk] = sec
                sections.append(sec)
            data = _merge(sections)
        except GiveUp:
            self._cache = used
            return None
        self._cache = used  # keep only what the current text is made of
        self._last = (text, data)
        return data


def _split_right(text: str, chunks: list[str]) -> bool:
    """Whether ``chunks`` are ``text`` cut at exactly its header lines (as ``assemble`` cuts it)."""
    if sum(map(len, chunks)) != len(text):
        return False
    previous = "\n"
    for i, chunk in enumerate(chunks):
        if not chunk or _HEADER_LINE.search(chunk, 1) is not None:
            return False
        if (i > 0 or _HEADER_LINE.match(chunk)) and (not _HEADER_LINE.match(chunk) or not previous.endswith("\n")):
            return False
        previous = chunk
    return True


def _merge(sections: list[tuple]) -> dict:
    root: dict = {}
    mine: set[int] = set()  # ids of tables and arrays this assembly created (may be extended)
    declared: set[int] = set()
    first = True
    for names, aot, body in sections:
        if first and not names:
            root = dict(body)
            first = False
            continue
        first = False
        node = root
        for name in names[:-1]:
            child = node.get(name)
            if child is None:
                child = node[name] = {}
                mine.add(id(child))
            elif isinstance(child, list):
                if id(child) not in mine:
                    raise GiveUp
                child = child[-1]
            elif not isinstance(child, dict) or id(child) not in mine:
                raise GiveUp
            node = child
        last = names[-1]
        table = dict(body)
        mine.add(id(table))
        if aot:
            arr = node.get(last)
            if arr is None:
                arr = node[last] = []
                mine.add(id(arr))
            elif not isinstance(arr, list) or id(arr) not in mine:
                raise GiveUp
            arr.append(table)
            declared.add(id(table))
        else:
            existing = node.get(last)
            if existing is None:
                node[last] = table
                declared.add(id(table))
            elif isinstance(existing, dict) and id(existing) in mine and id(existing) not in declared:
                # created implicitly by a deeper header earlier: now declared, keys must not clash
                if any(k in existing for k in table):
                    raise GiveUp
                existing.update(table)
                declared.add(id(existing))
            else:
                raise GiveUp
    return root


_WRITTEN = object()  # a key a section writes itself (its value is compared, not kept)


def reads_back_as(chunks: list[str], text: str, data: dict) -> bool | None:
    """Whether ``text`` (cut into ``chunks`` at its header lines) reads back as exactly ``data``,
    one section at a time: nothing of the text's values is kept, so no second copy of a large
    workbook's data is ever made. None when this path cannot be sure (the caller parses the whole
    text then): a wrong cut, a section that does not read on its own, a table rule this does not
    judge (see ``_merge``)."""
    if not _split_right(text, chunks):
        return None
    headers: dict[str, tuple] = {}
    parser = SectionParser()
    parser._headers = headers
    intern = __import__("sys").intern
    root: dict = {}
    mine: set[int] = set()
    declared: set[int] = set()
    differs = False  # (decided at the end: a later section may still make the text one this cannot judge)
    try:
        for i, chunk in enumerate(chunks):
            header = i > 0 or _HEADER_LINE.match(chunk) is not None
            names, aot, body = parser._section(chunk, header)
            parser._cache.clear()  # one section at a time
            skeleton = {intern(k): _WRITTEN for k in body}
            if i == 0 and not header:
                root = skeleton
                node, target = root, data
            else:
                node, target = _place(root, data, names, aot, skeleton, mine, declared)
            if differs:
                continue
            if not isinstance(target, dict) or any(k not in target or target[k] != v for k, v in body.items()):
                differs = True
    except GiveUp:
        return None
    return not differs and _same_shape(root, data, mine)


def _place(root: dict, data: dict, names: tuple, aot: bool, table: dict, mine: set, declared: set):
    """``_merge`` for one section, on key skeletons, following the same path in ``data``.
    Returns (the skeleton table, the data table it must equal or None)."""
    node, target = root, data
    for name in names[:-1]:
        target = target.get(name) if isinstance(target, dict) else None
        child = node.get(name)
        if child is None:
            child = node[name] = {}
            mine.add(id(child))
        elif isinstance(child, list):
            if id(child) not in mine:
                raise GiveUp
            target = target[len(child) - 1] if isinstance(target, list) and len(target) >= len(child) else None
            child = child[-1]
        elif not isinstance(child, dict) or id(child) not in mine:
            raise GiveUp
        node = child
    last = names[-1]
    target = target.get(last) if isinstance(target, dict) else None
    mine.add(id(table))
    if aot:
        arr = node.get(last)
        if arr is None:
            arr = node[last] = []
            mine.add(id(arr))
        elif not isinstance(arr, list) or id(arr) not in mine:
            raise GiveUp
        arr.append(table)
        declared.add(id(table))
        target = target[len(arr) - 1] if isinstance(target, list) and len(target) >= len(arr) else None
        return table, target
    existing = node.get(last)
    if existing is None:
        node[last] = table
        declared.add(id(table))
        return table, target
    if isinstance(existing, dict) and id(existing) in mine and id(existing) not in declared:
        if any(k in existing for k in table):
            raise GiveUp
        existing.update(table)
        declared.add(id(existing))
        return existing, target
    raise GiveUp


def _same_shape(skeleton: Any, data: Any, mine: set) -> bool:
    """Every table and list of tables the sections make is in ``data`` with the same keys and
    length, and ``data`` has nothing more (the values written in sections were compared)."""
    stack = [(skeleton, data)]
    while stack:
        s, d = stack.pop()
        if isinstance(s, dict):
            if not isinstance(d, dict) or s.keys() != d.keys():
                return False
            stack.extend((v, d[k]) for k, v in s.items() if v is not _WRITTEN)
        elif isinstance(s, list):
            if not isinstance(d, list) or len(s) != len(d):
                return False
            stack.extend(zip(s, d))
        else:
            return False
    return True
