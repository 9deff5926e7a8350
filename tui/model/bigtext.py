"""Large letters built from terminal cells, for a room that reads from the back.

The letters are a small bitmap font kept as data (tui/content/blokletters.txt): 5 dots wide,
7 high, with room above for an accent and below for a tail. Letters with an accent (é, ë, ï,
ó, ö, ü, ...) are composed from the letter and the accent, so every Dutch word renders.

Four sizes:

- ``groot``: a dot is two cells wide and one high (a letter is 12 columns, a line 10 rows);
- ``middel``: a dot is one cell wide and half a cell high, drawn with ▀ ▄ █ (6 columns, 5 rows);
- ``klein``: a dot is half a cell wide and half a cell high, drawn with the quadrant blocks
  ▘ ▝ ▖ ▗ ▀ ▄ ▌ ▐ … (3 columns, 5 rows): still three times the height of ordinary text, for a
  long answer or a list that does not fit in ``middel``;
- ``normaal``: ordinary text, wrapped (the fallback on a small screen).

``fit`` picks the largest sizes with which a slide's texts fit the space they have.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from tui.model.schema import CONTENT_DIR

GROOT, MIDDEL, KLEIN, NORMAAL = "groot", "middel", "klein", "normaal"
SIZES = (GROOT, MIDDEL, KLEIN, NORMAAL)  # largest first
RANK = {GROOT: 3, MIDDEL: 2, KLEIN: 1, NORMAAL: 0}
QUADRANTS = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█"  # by dots: 1 top left, 2 top right, 4 bottom left, 8 bottom right

ROWS = 10  # dot rows per line of text: 1 accent row above a capital, 7 letter rows, 2 for tails
CAP_TOP = 1  # the first row of a capital
LETTER_ROWS = 7
GAP = 1  # dots between two letters

Bitmap = tuple[tuple[bool, ...], ...]  # ROWS rows of equal width


@dataclass(frozen=True)
class Font:
    glyphs: dict[str, Bitmap]
    accents: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # combining mark -> (above a small letter, above a capital)


def _parse(text: str) -> Font:
    glyphs: dict[str, list[str]] = {}
    accents: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("# ") or line == "#" and current is None:
            continue
        if line.startswith("= "):
            name = line[2:]
            key = {"space": " "}.get(name, name)
            current = glyphs.setdefault(key, [])
        elif line.startswith("! "):
            current = accents.setdefault(chr(int(line[2:].split()[0], 16)), [])
        elif current is not None:
            current.append(line)
    out: dict[str, Bitmap] = {}
    for key, rows in glyphs.items():
        if len(rows) not in (LETTER_ROWS, LETTER_ROWS + 2) or len({len(r) for r in rows}) != 1:
            raise ValueError(f"blokletters.txt: letter {key!r} heeft {len(rows)} rijen van ongelijke of verkeerde lengte")
        width = len(rows[0])
        full = ["." * width] * CAP_TOP + rows + ["." * width] * (ROWS - CAP_TOP - len(rows))
        out[key] = tuple(tuple(c == "#" for c in r) for r in full)
    marks = {k: (tuple(v[:2]), tuple(v[2:3])) for k, v in accents.items()}
    return Font(out, marks)


@lru_cache(maxsize=1)
def font() -> Font:
    return _parse((CONTENT_DIR / "blokletters.txt").read_text(encoding="utf-8"))


def _overlay(base: Bitmap, rows: tuple[str, ...], top: int, clear: range) -> Bitmap:
    """The accent ``rows`` centred over ``base`` from dot row ``top``; ``clear`` rows emptied first
    (the dot of an i makes way for the two dots of an ï)."""
    width = max(len(base[0]), len(rows[0]))
    pad = (width - len(base[0])) // 2
    grid = [[False] * pad + list(r) + [False] * (width - len(base[0]) - pad) for r in base]
    for y in clear:
        grid[y] = [False] * width
    left = (width - len(rows[0])) // 2
    for dy, row in enumerate(rows):
        for dx, c in enumerate(row):
            if c == "#":
                grid[top + dy][left + dx] = True
    return tuple(tuple(r) for r in grid)


@lru_cache(maxsize=512)
def glyph(ch: str) -> Bitmap:
    """The bitmap of one character: from the font, composed with its accent, or a box."""
    f = font()
    if ch in f.glyphs:
        return f.glyphs[ch]
    if ch.isspace():
        return f.glyphs[" "]
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    if base in f.glyphs and base != ch:
        out = f.glyphs[base]
        for mark in marks:
            if mark not in f.accents:
                continue  # a cedilla and the like: the letter without it still reads
            small, capital = f.accents[mark]
            if base.isupper():
                out = _overlay(out, capital, 0, range(0))
            else:
                out = _overlay(out, small, CAP_TOP, range(CAP_TOP, CAP_TOP + 2))
        return out
    return f.glyphs["missing"]


def _word_dots(word: str) -> int:
    return sum(len(glyph(c)[0]) for c in word) + GAP * max(0, len(word) - 1)


def _dots(line: str) -> list[list[bool]]:
    """One line of text as ROWS rows of dots."""
    rows: list[list[bool]] = [[] for _ in range(ROWS)]
    for i, c in enumerate(line):
        g = glyph(c)
        for y in range(ROWS):
            if i:
                rows[y].extend([False] * GAP)
            rows[y].extend(g[y])
    return rows


def _wrap_dots(text: str, max_dots: int) -> list[str] | None:
    """Greedy word wrap by width in dots. None: a word is longer than a line."""
    space = len(glyph(" ")[0]) + 2 * GAP
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for word in paragraph.split():
            w = _word_dots(word)
            if line and used + space + w <= max_dots:
                line, used = f"{line} {word}", used + space + w
                continue
            if line:
                lines.append(line)
            if w > max_dots:
                return None  # a word cut in two does not read: a smaller size will do
            line, used = word, w
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Rendering:
    size: str  # groot | middel | klein | normaal
    lines: tuple[str, ...]  # the terminal rows; in a block size all of equal width

    @property
    def height(self) -> int:
        return len(self.lines)

    @property
    def width(self) -> int:
        return max((len(line) for line in self.lines), default=0)


def _plain(text: str, width: int) -> Rendering:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, max(1, width)) or [""])
    return Rendering(NORMAAL, tuple(lines) if text else ())


def render(text: str, size: str, width: int) -> Rendering | None:
    """``text`` in ``size`` within ``width`` columns; None when it cannot be that size there."""
    text = text.strip()
    if size == NORMAAL or not text:
        return _plain(text, width)
    lines = _wrap_dots(text, width * 2 if size == KLEIN else width // (2 if size == GROOT else 1))
    if lines is None:
        return None
    canvas_width = max(_word_dots(line) for line in lines)
    grid: list[list[bool]] = []
    for line in lines:  # each line centred on the canvas
        rows = _dots(line)
        left = (canvas_width - len(rows[0])) // 2
        for row in rows:
            grid.append([False] * left + row + [False] * (canvas_width - len(row) - left))
    while grid and not any(grid[0]):
        grid.pop(0)
    while grid and not any(grid[-1]):
        grid.pop()
    if size == GROOT:
        out = ["".join("██" if dot else "  " for dot in row) for row in grid]
    else:
        if len(grid) % 2:
            grid.append([False] * canvas_width)
        if size == MIDDEL:
            out = ["".join(" ▀▄█"[top + 2 * bottom] for top, bottom in zip(grid[y], grid[y + 1])) for y in range(0, len(grid), 2)]
        else:
            if canvas_width % 2:
                for row in grid:
                    row.append(False)
            out = [
                "".join(QUADRANTS[grid[y][x] + 2 * grid[y][x + 1] + 4 * grid[y + 1][x] + 8 * grid[y + 1][x + 1]] for x in range(0, len(grid[y]), 2))
                for y in range(0, len(grid), 2)
            ]
    return Rendering(size, tuple(out))


def fit(blocks: list[str | tuple[str, tuple[str, ...]]], width: int, height: int, gap: int = 1, ordered: bool = False) -> list[Rendering]:
    """The texts of one slide, each as large as the space allows. A block is a text, or (text,
    the sizes it may take). The most letters in large sizes wins; then the smallest block as
    large as possible (a question never squeezes its answer to small print when both fit in
    medium); then the earlier block larger (the question before the answer). ``gap`` rows
    between two shown blocks; ``ordered``: a later block is never larger than an earlier one (a
    list of items of equal weight). When nothing fits, every block is ordinary text."""
    items = [(b, SIZES) if isinstance(b, str) else b for b in blocks]
    cache: dict[tuple[int, str], Rendering | None] = {}

    def rendered(i: int, size: str) -> Rendering | None:
        if (i, size) not in cache:
            text, allowed = items[i]
            cache[(i, size)] = render(text, size, width) if size in allowed else None
        return cache[(i, size)]

    shown = [i for i, (text, _) in enumerate(items) if text.strip()]
    candidates = []
    for sizes in product(SIZES, repeat=len(items)):
        ranks = [RANK[sizes[i]] for i in shown]
        if ordered and any(a < b for a, b in zip(ranks, ranks[1:])):
            continue
        candidates.append(((sum(ranks), min(ranks, default=0), tuple(ranks)), sizes))
    candidates.sort(key=lambda c: c[0], reverse=True)
    for _, sizes in candidates:
        out = [rendered(i, s) for i, s in enumerate(sizes)]
        if any(r is None for r in out):
            continue
        total = sum(r.height for r in out) + gap * max(0, len(shown) - 1)
        if total <= height:
            return out
    return [render(text, NORMAAL, width) for text, _ in items]
