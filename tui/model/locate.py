"""Find the line of a key path in TOML text, for messages a person can act on.

Best effort: handles the layout this app and a person editing by hand write (table headers,
arrays of tables, ``key = value`` lines). Inline tables and dotted keys map to their line.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*(\]\]?)\s*(#.*)?$")
_KEY = re.compile(r"^\s*((?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=")
_PART = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+)")


def _parts(dotted: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else (m.group(2) if m.group(2) is not None else m.group(3)) for m in _PART.finditer(dotted)]


def line_index(text: str) -> dict[tuple, int]:
    """Map every concrete path that has a header or key line to its 1-based line number."""
    where: dict[tuple, int] = {}
    latest: dict[tuple, int] = {}  # concrete AoT path -> its latest index
    counts: dict[tuple, int] = {}
    table: tuple = ()
    in_multiline: str | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        m = _HEADER.match(line)
        if m and not _KEY.match(line):
            parts = _parts(m.group(2))
            concrete: tuple = ()
            for i, part in enumerate(parts):
                concrete = concrete + (part,)
                last = i == len(parts) - 1
                if last and m.group(1) == "[[":
                    idx = counts.get(concrete, 0)
                    counts[concrete] = idx + 1
                    latest[concrete] = idx
                    # a new element resets the counters of arrays nested in it
                    for k in [k for k in counts if len(k) > len(concrete) and k[: len(concrete)] == concrete]:
                        del counts[k]
                    concrete = concrete + (idx,)
                elif concrete in latest:
                    concrete = concrete + (latest[concrete],)
            table = concrete
            where.setdefault(table, n)
            continue
        k = _KEY.match(line)
        if k:
            path = table + tuple(_parts(k.group(1)))
            where.setdefault(path, n)
            rest = line[k.end():]
            for q in ('"""', "'''"):
                if rest.count(q) % 2 == 1:
                    in_multiline = q
    return where


def locate(index: dict[tuple, int], path: tuple) -> int | None:
    """The line of ``path`` or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        line = index.get(tuple(path[:end]))
        if line is not None:
            return line
    return None


def place(text: str, index: dict[tuple, int], path: tuple) -> tuple[int | None, int | None]:
    """(line, column) of ``path`` in ``text``: the line of the key (or of its nearest ancestor
    that has one) and the column where that line's key or header starts; 1-based."""
    line = locate(index, path)
    if line is None:
        return None, None
    lines = text.splitlines()
    content = lines[line - 1] if 0 < line <= len(lines) else ""
    return line, len(content) - len(content.lstrip()) + 1


def parse_path(formatted: str) -> tuple:
    """'cyclus[2].acties[1].deadline' -> ('cyclus', 1, 'acties', 0, 'deadline') (the inverse of
    schema.format_path, which counts from 1)."""
    out: list = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", formatted):
        out.append(int(index) - 1 if index else name)
    return tuple(out)
