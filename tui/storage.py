"""Reading and writing the workbook file without ever losing a word.

Two views of one file:
- ``Workbook.data``: plain Python values (read with the stdlib ``tomllib``), what the model,
  the checks and the exports use. Cheap to get, so the first frame never waits for tomlkit.
- The text, kept in sections (tui/sections.py): an edit is made with tomlkit, in place, on just
  the section or record it is about, so comments, key order and unknown keys survive and the
  rest of the file stays byte for byte. Files that section-wise editing cannot be sure of go
  through the whole tomlkit document (``Workbook.document()``), as every file once did.

Before a save the rendered text is read back with ``tomllib`` and must equal ``data``;
the file is written atomically and never over a version that changed on disk since it was read.
The text is kept with "\n" line endings and written with the file's own (CRLF stays CRLF).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import stat
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from tui.model.problems import Problem
from tui.oserror import reason

BOM = "\ufeff"
TEMP_SUFFIX = ".tmp-werkboek"
LOCK_TIMEOUT = 10.0
MAX_BYTES = 50 * 1024 * 1024  # a workbook is text: even decades of rounds stay far below this
MAX_DEPTH = 50  # lists and tables inside each other; a workbook needs about six
RACY_NS = 3_000_000_000  # a fingerprint taken this soon after a change cannot prove "unchanged"
# Errors that say "nothing can be written here" (rather than "this text is wrong"): saving the
# same text somewhere else can help.
_ELSEWHERE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.ENOENT, errno.ENOSPC, errno.EDQUOT, errno.EBUSY, errno.EISDIR}

Path_ = tuple  # a key path: ('cyclus', 0, 'acties', 1, 'deadline')


class WorkbookError(Exception):
    """The file could not be read as a workbook; ``problems`` says where and why."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(p.format(str(path)) for p in problems))


class SaveError(Exception):
    """The save was refused or failed; the file on disk is as it was.

    ``elsewhere``: nothing can be written at this place (read-only file, folder or disk, disk
    full, folder gone); the same text can still be saved under another name."""

    def __init__(self, message: str, *, elsewhere: bool = False):
        super().__init__(message)
        self.elsewhere = elsewhere


class SaveConflict(SaveError):
    """The file changed on disk since it was read; nothing was written."""

    def __init__(self, path: Path, current_text: str | None):
        self.path = path
        self.current_text = current_text  # None: the file is gone
        what = "is verwijderd" if current_text is None else "is door iemand anders gewijzigd"
        super().__init__(f"{path}: het bestand {what} sinds het werd geopend; er is niets overschreven")


@dataclass(frozen=True)
class Fingerprint:
    """What a file was when it was read or written. ``ctime_ns`` changes with every write and
    cannot be set back by a user, unlike the mtime; ``taken_ns`` is when the fingerprint was taken."""

    size: int
    mtime_ns: int
    inode: int
    sha256: str
    ctime_ns: int = 0
    taken_ns: int = 0

    def proves_unchanged(self, st: os.stat_result) -> bool:
        """Whether ``st`` shows the file is as it was, without reading it. A change within the
        timestamps' granularity of the previous one can leave every field alike, so a
        fingerprint taken that soon after a change proves nothing (the file is compared instead)."""
        same = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns) == (self.size, self.mtime_ns, self.inode, self.ctime_ns)
        return same and self.taken_ns - self.ctime_ns > RACY_NS


def fingerprint(path: Path, raw: bytes | None = None, st: os.stat_result | None = None, taken: int | None = None) -> Fingerprint:
    """``st`` should be taken before ``raw`` was read (a change in between then shows as a
    difference), and ``taken`` (time.time_ns()) before ``st``."""
    if st is None:
        taken, st = time.time_ns(), os.stat(path)
    elif taken is None:
        raise ValueError("a given stat needs the time it was taken")
    if raw is None:
        raw = read_regular(path)[0]
    return Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, hashlib.sha256(raw).hexdigest(), st.st_ctime_ns, taken)


def _nl(n: int) -> str:
    """40000 -> '40.000'."""
    return f"{n:,}".replace(",", ".")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "een pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "een apparaat"
    if stat.S_ISSOCK(mode):
        return "een socket"
    return "geen bestand met tekst"


def read_regular(path: Path | str) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most MAX_BYTES, and its stat from before the read.

    Anything else (a folder, a device such as /dev/zero, a pipe that would wait for a writer, a
    file too big to be a workbook) is a WorkbookError at once, before anything is read."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer (it is refused just below)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise WorkbookError(path, [Problem("bestand niet gevonden")]) from None
    except IsADirectoryError:
        raise WorkbookError(path, [Problem("dit is een map, geen werkboekbestand")]) from None
    except PermissionError:
        raise WorkbookError(path, [Problem("geen leesrechten op dit bestand")]) from None
    except OSError as exc:
        raise WorkbookError(path, [Problem(f"kan het bestand niet openen ({reason(exc)})")]) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise WorkbookError(path, [Problem("dit is een map, geen werkboekbestand")])
        if not stat.S_ISREG(st.st_mode):
            raise WorkbookError(path, [Problem(f"geen gewoon bestand maar {_kind(st.st_mode)}; een werkboek is een tekstbestand (.toml)")])
        if st.st_size > MAX_BYTES:
            raise WorkbookError(path, [_too_big(st.st_size)])
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1024 * 1024)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_BYTES:  # it grew while being read
                raise WorkbookError(path, [_too_big(total)])
            chunks.append(chunk)
        return b"".join(chunks), st
    except OSError as exc:
        raise WorkbookError(path, [Problem(f"kan het bestand niet lezen ({reason(exc)})")]) from None
    finally:
        os.close(fd)


def _too_big(size: int) -> Problem:
    return Problem(
        f"het bestand is te groot ({_nl(size)} bytes); een werkboek mag hooguit {MAX_BYTES // (1024 * 1024)} MB "
        f"({_nl(MAX_BYTES)} bytes) zijn. Is dit wel een werkboek?"
    )


# ------------------------------------------------------------------------------------ reading

_MESSAGES = [
    ("Cannot overwrite a value", "dubbele sleutel: deze sleutel heeft eerder in dezelfde tabel al een waarde"),
    ("Cannot declare", "dubbele tabel: deze [tabel] staat al eerder in het bestand"),
    ("Cannot mutate immutable namespace", "dubbele sleutel: deze tabel is al eerder vastgelegd"),
    ("Unterminated string", "tekst zonder afsluitend aanhalingsteken"),
    ("Illegal character '\\n'", "tekst zonder afsluitend aanhalingsteken: de regel eindigt midden in een tekst"),
    ("Illegal character", "teken dat niet is toegestaan (gebruik een \\-code of haal het weg)"),
    ("Invalid value", "ongeldige waarde: tekst moet tussen aanhalingstekens staan"),
    ("Invalid statement", "ongeldige regel: verwacht sleutel = waarde of een [tabel]"),
    ("Expected '=' after a key", "na een sleutel hoort een ="),
    ("Invalid initial character for a key part", "ongeldige sleutel: gebruik letters, cijfers, _ en -"),
    ("Expected newline or end of document", "na een waarde hoort een nieuwe regel"),
    ("Unclosed array", "lijst zonder afsluitende ]"),
    ("Unclosed inline table", "tabel zonder afsluitende }"),
    ("Expected ']' at the end of a table declaration", "tabelkop zonder afsluitende ]"),
    ("Expected ']]' at the end of an array declaration", "tabelkop zonder afsluitende ]]"),
    ("Invalid date or datetime", "ongeldige datum of tijd"),
    ("Invalid hex value", "ongeldige \\u-code in tekst"),
    ("Unescaped '\\' in a string", "losse \\ in tekst: schrijf \\\\"),
]
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$|\s*\(at end of document\)\s*$")


def _translate(message: str) -> str:
    for prefix, dutch in _MESSAGES:
        if message.startswith(prefix):
            return f"{dutch} ({message})"
    return f"het bestand is geen geldige TOML ({message})"


def spreadsheet_kind(head: bytes) -> str | None:
    """'een OpenDocument-rekenblad (.ods)' or 'een Excel-bestand' when a file's first bytes (100
    are enough) are a spreadsheet's; None for anything else."""
    if head.startswith(b"PK\x03\x04"):  # a zip: LibreOffice writes its mimetype first, uncompressed
        return "een OpenDocument-rekenblad (.ods)" if b"opendocument.spreadsheet" in head[:100] else "een Excel-bestand"
    return "een Excel-bestand" if head.startswith(b"\xd0\xcf\x11\xe0") else None  # or an old .xls


def decode(raw: bytes, path: Path | str) -> tuple[str, bool]:
    """Bytes to text; refuses invalid UTF-8 (never guesses latin-1). Returns (text, had_bom)."""
    kind = spreadsheet_kind(raw[:100])
    if kind and "OpenDocument" in kind:
        raise WorkbookError(path, [Problem(
            "dit is een OpenDocument-rekenblad (.ods), geen werkboek (.toml). Wijzigingen uit een export: sla het op als "
            f"Excel-werkmap (.xlsx) en lees dat in met `publieksdata import WERKBOEK {Path(path).with_suffix('.xlsx').name}`", line=1, col=1)]) from None
    if kind:  # an Excel export, no workbook
        raise WorkbookError(path, [Problem(
            f"dit is een Excel-bestand, geen werkboek (.toml). Wijzigingen uit een export lees je in met "
            f"`publieksdata import WERKBOEK {Path(path).name}`", line=1, col=1)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:200].count(b"\x00") > len(raw[:200]) // 4:
            # Notepad's "Unicode": two bytes per letter, half of them zero
            raise WorkbookError(path, [Problem("het bestand is in UTF-16 opgeslagen (Kladblok noemt dat ‘Unicode’). Sla het op als UTF-8 en probeer opnieuw", line=1, col=1)]) from None
        raise WorkbookError(
            path,
            [
                Problem(
                    f"geen geldige UTF-8 (byte 0x{bad}); het bestand is waarschijnlijk in een andere "
                    "codering opgeslagen (zoals Windows-1252). Sla het op als UTF-8 en probeer opnieuw",
                    line=line,
                    col=col,
                )
            ],
        ) from None
    bom = text.startswith(BOM)
    return (text[1:] if bom else text), bom


def parse_plain(text: str, path: Path | str) -> dict:
    """Parse with the stdlib; errors become a WorkbookError with line, column and plain words."""
    if not text.strip():
        raise WorkbookError(path, [Problem("het bestand is leeg; maak een werkboek met `publieksdata new`", line=1, col=1)])
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise _too_deep(text, path) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _AT.search(msg)
        line = col = None
        if m and m.group(1):
            line, col = int(m.group(1)), int(m.group(2))
        elif m:  # at end of document
            line = text.count("\n") + 1
            col = len(text) - (text.rfind("\n") + 1) + 1
        raise WorkbookError(path, [Problem(_translate(_AT.sub("", msg)), line=line, col=col)]) from None
    if _depth(data) > MAX_DEPTH:
        raise _too_deep(text, path)
    return data


def _depth(data: Any) -> int:
    """How many lists and tables lie inside each other (the top level is 0); without recursion."""
    deepest = 0
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return deepest


# Strings and comments are skipped whole; brackets, dots and separators are what nesting is made of.
_NESTING_TOKENS = re.compile(
    r'''"{3}(?:[^"\\]|\\.|"{1,2}(?!"))*"{3,5}|'{3}(?:[^']|'{1,2}(?!'))*'{3,5}'''
    r'''|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|\#[^\n]*|[\[\]{}.=,\n]''',
    re.DOTALL,
)


def nesting_location(text: str, limit: int = MAX_DEPTH) -> tuple[int, int]:
    """Line and column where lists, inline tables, table headers and dotted keys first nest
    deeper than ``limit`` (or, if they never do, where they nest deepest)."""
    header = brackets = dots = 0
    in_header = False
    at_start = True  # at the start of a line, outside brackets: a [ here opens a table header
    line, line_start = 1, 0
    deepest, where = -1, (1, 1)
    for m in _NESTING_TOKENS.finditer(text):
        tok, pos = m.group(), m.start()
        first = tok[0]
        if first in "\"'#":
            if "\n" in tok:
                line += tok.count("\n")
                line_start = pos + tok.rfind("\n") + 1
            at_start = at_start and first == "#"
            continue
        if tok == "\n":
            line, line_start = line + 1, m.end()
            if brackets == 0:
                at_start, dots = True, 0
            continue
        if tok == "[" and brackets == 0 and at_start:
            in_header, header = True, 0
        if tok in "[{":
            brackets += 1
            dots = 0
        elif tok in "]}":
            brackets = max(0, brackets - 1)
            if in_header and brackets == 0:  # the header's end: its parts are the table's depth
                array_of_tables = text.startswith("]]", pos - 1)
                header, in_header = dots + 1 + array_of_tables, False
            if not in_header:
                dots = 0
        elif tok == ".":
            dots += 1
        else:  # = and ,
            dots = 0
        at_start = False
        depth = (0 if in_header else header) + brackets + dots
        if depth > deepest:
            deepest, where = depth, (line, pos - line_start + 1)
            if depth > limit:
                break
    return where


def _too_deep(text: str, path: Path | str) -> WorkbookError:
    line, col = nesting_location(text)
    return WorkbookError(
        path,
        [
            Problem(
                f"te diep genest: meer dan {MAX_DEPTH} lijsten of tabellen in elkaar (haakjes [ ] en {{ }}, "
                "of sleutels met punten); een werkboek heeft er hooguit een paar nodig",
                line=line,
                col=col,
            )
        ],
    )


class Workbook:
    """One open workbook file.

    Edits change ``data`` at once and are queued as operations; the text catches up with them
    when a save renders it, on whatever thread saves. So an edit never waits for tomlkit, and a
    save can render and verify in a worker while the person goes on typing.

    Rendering works on the text in sections (tui/sections.py): each queued edit is applied with
    tomlkit to just the section or record it is about, and the rest of the file stays byte for
    byte as it was. The result is read back section by section and must equal ``data`` at the
    generation it was rendered for. Whatever that path cannot be sure of (an unusual file, an
    edit it cannot place, a read-back that differs) goes through the whole tomlkit document,
    with a plain mirror of it (``_doc_data``) to verify against, as before.
    """

    # More edits that add or remove records than this in one save: one whole-document pass is faster.
    MAX_SECTIONED_STRUCTURAL = 200

    def __init__(self, path: Path, text: str, data: dict, bom: bool, fp: Fingerprint | None):
        self.path = Path(path)
        # The file's own line ending, used for everything written. The text is kept with "\n"
        # only (TOML reads a CRLF line ending, also inside a multi-line text, as "\n", so the
        # data is the same) and gets the file's line ending back when it is written.
        self.newline = line_ending(text)
        if self.newline != "\n":
            text = text.replace("\r\n", "\n")
        self.text = text  # as last read or written, without BOM, with "\n" line endings
        self.data = data
        self.bom = bom
        self.fingerprint = fp
        self.generation = 0  # counts edits
        self.saved_generation = 0  # the generation that is on disk
        self.rendered_generation = 0  # the generation the last verified render was for
        self._pending: list[tuple] = []  # operations not yet applied to the text
        self._pending_lock = threading.Lock()  # held only to change data + queue together
        self._doc = None  # the whole tomlkit document, only when the sectioned path is not used
        self._doc_data: dict | None = None  # plain mirror of the document
        self._doc_lock = threading.RLock()
        self._sec = None  # tui.sections.Sectioned: the text with the applied edits, in sections
        self._good_text = text  # the last text proven to read back as meant ...
        self._good_ops: list[tuple] = []  # ... and the edits applied to the sections since
        self._since_good: list[tuple] = []  # every edit taken into the text since ``_good_text``
        from tui.verify import SectionParser

        # header shapes, the sections edits looked at, and (whole-document path) section parses
        self.sections = SectionParser()

    @property
    def dirty(self) -> bool:
        """Whether there are edits that are not on disk. Derived, so a save finishing in a worker
        can never mark a newer edit as saved."""
        return self.generation != self.saved_generation

    # -- the whole tomlkit document: only for files the sectioned path cannot handle
    def document(self):
        """The whole tomlkit document with every queued edit applied (safe to call from any
        thread). From then on this workbook renders through it."""
        with self._doc_lock:
            if self._doc is None:
                self._to_whole()
            self._catch_up()
            return self._doc

    @property
    def document_loaded(self) -> bool:
        return self._doc is not None

    def _to_whole(self) -> None:
        """Leave the sectioned path: the whole document from the last proven text, with the
        edits applied since. Call with ``_doc_lock`` held."""
        import tomlkit

        self._doc = tomlkit.parse(self._good_text)
        self._doc_data = tomllib.loads(self._good_text)
        for op in self._good_ops:
            _replay(self._doc, self._doc_data, op)
        self._sec, self._good_ops = None, []

    def _catch_up(self) -> int:
        """Apply the queued operations to the document and its mirror; return the generation
        they bring it to. Call with ``_doc_lock`` held."""
        with self._pending_lock:
            ops, self._pending = self._pending, []
            generation = self.generation
            self._since_good.extend(ops)
        for op in ops:
            _replay(self._doc, self._doc_data, op)
        return generation

    def _take(self) -> tuple[list[tuple], int]:
        """The queued operations and the generation they bring the text to. Call with
        ``_pending_lock`` held."""
        ops, self._pending = self._pending, []
        self._since_good.extend(ops)
        return ops, self.generation

    def _apply(self, ops: list[tuple]) -> None:
        """Apply ``ops`` to the sectioned text; whatever it cannot do goes through the whole
        document once. May leave the sectioned path (then ``_doc`` is set). Call with
        ``_doc_lock`` held."""
        from tui.sections import Sectioned

        if self._sec is None:
            self._sec = Sectioned(self._good_text, self.sections)
            if not self._sec.ok:
                self._to_whole()
                for op in ops:
                    _replay(self._doc, self._doc_data, op)
                return
        ops = _coalesced(ops)
        self._good_ops.extend(ops)
        if sum(op[0] != "set" for op in ops) > self.MAX_SECTIONED_STRUCTURAL:
            self._whole_pass(ops)
            return
        wholes = 0
        for n, op in enumerate(ops):
            if self._doc is not None:  # left the sectioned path: the whole document has them all
                return
            if self._sec.apply(op):
                if not self._sec.ok:
                    self._to_whole()
                continue
            # this one edit through the whole document, as it would be on the file read back;
            # after a few, the rest of them in one pass
            wholes += 1
            self._whole_pass(ops[n:] if wholes > 3 else [op])
            if wholes > 3:
                return

    def _whole_pass(self, ops: list[tuple]) -> None:
        """Apply ``ops`` to the sectioned text through one whole tomlkit document."""
        import tomlkit

        doc = tomlkit.parse(self._sec.text())
        for op in ops:
            _replay(doc, None, op)
        text = tomlkit.dumps(doc)
        del doc
        from tui.sections import Sectioned

        self._sec = Sectioned(text, self.sections)
        if not self._sec.ok:
            self._to_whole()

    # -- reading values
    def get(self, path: Path_, default: Any = None) -> Any:
        node: Any = self.data
        for p in path:
            try:
                node = node[p]
            except (KeyError, IndexError, TypeError):
                return default
        return node

    # -- editing: the plain data now, the text when it is next rendered
    def set(self, path: Path_, value: Any) -> None:
        """Set one value; ``None`` removes the key. Missing tables on the way are created."""
        _refuse_unencodable(value, path)
        if value is None:
            self.delete(path)
            return
        if self.get(path, _MISSING) == value and type(self.get(path)) is type(value):
            return
        with self._pending_lock:
            _set_plain(self.data, path, value)
            self._queue(("set", tuple(path), _plain(value)))

    def delete(self, path: Path_) -> None:
        *parent_path, key = path
        parent = self.get(tuple(parent_path))
        if parent is None:
            return
        if isinstance(key, int):
            if not isinstance(parent, list) or key >= len(parent):
                return
        elif not isinstance(parent, dict) or key not in parent:
            return
        with self._pending_lock:
            del parent[key]
            self._queue(("delete", tuple(path)))

    def append(self, path: Path_, record: dict) -> int:
        """Append a table to the array of tables at ``path`` (created if missing); return its index.

        A new top-level list is written where the file's commented example of it is (the blank
        template explains each list where it belongs), and every record after the last one of
        its own list, with a blank line before it: the file keeps reading as the guide."""
        _refuse_unencodable(record, path)
        with self._pending_lock:
            index = _append_plain(self.data, path, record)
            self._queue(("append", tuple(path), _plain(record)))
        return index

    def _queue(self, op: tuple) -> None:
        self._pending.append(op)
        self.generation += 1

    # -- rendering
    def render(self) -> str:
        """The text a save would write now (without BOM); not yet verified. Raises only
        SaveError (see ``rendered``)."""
        with self._doc_lock:
            try:
                return self._render()
            except Exception as exc:  # noqa: BLE001 - see _failed
                raise self._failed(exc) from None

    def _render(self) -> str:
        import tomlkit

        with self._doc_lock:
            if self._doc is None:
                with self._pending_lock:
                    ops, _ = self._take()
                if not ops and self._sec is None:
                    return self._good_text
                self._apply(ops)
                if self._doc is None:
                    return self._sec.text()
            return tomlkit.dumps(self.document())

    def rendered(self) -> tuple[str, Proven, int]:
        """(text, the data it must read back as, its generation), consistent with each other.
        Safe in a worker while edits go on.

        Raises only SaveError: when the edits cannot be written (or what was written would not
        read back as meant). Nothing is lost then: the next render starts again from the last
        text that was proven good, with every edit since."""
        with self._doc_lock:
            try:
                return self._rendered()
            except Exception as exc:  # noqa: BLE001 - see _failed
                raise self._failed(exc) from None

    def _rendered(self) -> tuple[str, Proven, int]:
        import tomlkit

        if self._doc is None:
            done = self._rendered_sectioned()
            if done is not None:
                return done
        self.document()
        generation = self._catch_up()
        text = tomlkit.dumps(self._doc)
        verify(text, self._doc_data, self.path, self.sections)  # raises SaveError when it differs
        self._good_text, self._since_good = text, []
        self.rendered_generation = generation
        return text, Proven(text), generation

    def _failed(self, exc: Exception) -> SaveError:
        """Back to the last text proven good, with every edit taken since queued again before
        the newer ones; the error as a SaveError for the person. Call with ``_doc_lock`` held."""
        with self._pending_lock:
            self._pending = self._since_good + self._pending
            self._since_good = []
        self._doc = self._doc_data = self._sec = None
        self._good_ops = []
        if isinstance(exc, SaveError):
            if isinstance(exc, RenderRefused):
                return SaveError(f"{self.path}: {exc}")
            return exc
        return SaveError(
            f"{self.path}: de wijzigingen konden niet in de tekst van het werkboek worden gezet "
            f"({type(exc).__name__}: {exc}); er is niets opgeslagen en er gaat niets verloren"
        )

    def _rendered_sectioned(self) -> tuple[str, Proven, int] | None:
        """Render on the sectioned text and read it back one section at a time against
        ``data`` (tui.verify.reads_back_as): nothing of it is copied, and the check reads
        ``data`` while edits may go on. An edit made meanwhile shows as a newer generation:
        that round does not count, and the next one takes the edit in too (the last round holds
        off edits while it checks). None when the whole document must be used instead."""
        rounds = 4
        for attempt in range(rounds):
            last = attempt == rounds - 1
            if last:
                self._pending_lock.acquire()
            try:
                if last:
                    ops, generation = self._take()
                else:
                    with self._pending_lock:
                        ops, generation = self._take()
                self._apply(ops)
                if self._doc is not None:
                    return None
                text = self._sec.text()
                ok = self._reads_back(text)
                if not last:
                    with self._pending_lock:
                        if self.generation != generation:
                            continue
                if not ok:
                    self._to_whole()  # a sectioned edit went wrong: redo from the last proven text
                    return None
                self._good_text, self._good_ops, self._since_good = text, [], []
                self.rendered_generation = generation
                return text, Proven(text), generation
            finally:
                if last:
                    self._pending_lock.release()
        return None  # not reached

    def _reads_back(self, text: str) -> bool:
        """Whether ``text`` reads back as ``data``: section by section, or, when that cannot be
        sure, the whole text at once. False too when ``data`` changed while it was read."""
        from tui.verify import reads_back_as

        try:
            ok = reads_back_as(self._sec.chunks, text, self.data)
            if ok is None:
                ok = tomllib.loads(text) == self.data
        except (RuntimeError, tomllib.TOMLDecodeError):  # a dict changed size while compared
            return False
        return bool(ok)


class RenderRefused(SaveError):
    """An edit that cannot be written in the file as it is laid out (the message names its key
    path); the workbook prefixes its file."""


def line_ending(text: str) -> str:
    """The line ending of a text: "\r\n" when its first line ends so, else "\n"."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


class Proven:
    """Stands for the data a rendered text must read back as, when that was proven already
    (section by section, against ``Workbook.data`` at the generation rendered): the text
    itself, and what it reads as is the data meant."""

    def __init__(self, text: str):
        self.text = text


_MISSING = object()


def _parent(root: dict, path: Path_) -> Any:
    """The node holding the last key of ``path``; missing tables on the way are created."""
    node: Any = root
    for p in path[:-1]:
        if isinstance(node, dict) and p not in node:
            node[p] = {}
        node = node[p]
    return node


def _set_plain(root: dict, path: Path_, value: Any) -> None:
    _parent(root, path)[path[-1]] = _plain(value)


def _append_plain(root: dict, path: Path_, record: dict) -> int:
    records = _parent(root, path).setdefault(path[-1], [])
    records.append(_plain(record))
    return len(records) - 1


def _coalesced(ops: list[tuple]) -> list[tuple]:
    """The queued edits with every run of sets of one plain value cut to its last set. Typing
    queues one set per key (282 keys: 282 sets of one field); each set writes the whole value in
    the same place, so the last one gives the text the same bytes, with one section parsed
    instead of one per key (a first save after 282 keys: 0.49 s CPU before, 0.06 s after, most
    of that the schema loaded once)."""
    out: list[tuple] = []
    for op in ops:
        last = out[-1] if out else None
        if last is not None and op[0] == last[0] == "set" and op[1] == last[1] and _flat(op[2]) and _flat(last[2]):
            out[-1] = op
        else:
            out.append(op)
    return out


def _flat(value: Any) -> bool:
    """A value written on one key's line(s): not a table, nor a list holding tables."""
    if isinstance(value, dict):
        return False
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) for v in value)
    return True


def _replay(doc: Any, mirror: dict | None, op: tuple, root: bool = True) -> None:
    """One queued edit, applied in place to the tomlkit document and its plain mirror (if any).
    ``root``: ``doc`` is the whole document, not the table of one part of it. Raises
    RenderRefused (naming the key path) for an edit that cannot be written where it belongs."""
    try:
        _replay_doc(doc, op, root)
    except SaveError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever tomlkit refuses, said with the key path
        from tui.model.schema import format_path

        raise RenderRefused(f"{format_path(op[1])}: deze wijziging kan niet in het bestand worden geschreven ({exc}); niets opgeslagen") from None
    if mirror is None:
        return
    kind, path = op[0], op[1]
    if kind == "delete":
        plain: Any = mirror
        for p in path[:-1]:
            plain = plain[p]
        del plain[path[-1]]
    elif kind == "set":
        _set_plain(mirror, path, op[2])
    else:
        _append_plain(mirror, path, op[2])


def _inline(node: Any) -> bool:
    """Whether values in ``node`` must be written inline (within { } or [ ])."""
    import tomlkit.items as ti

    return isinstance(node, (ti.InlineTable, ti.Array))


def _replay_doc(doc: Any, op: tuple, root: bool) -> None:
    import tomlkit

    kind, path = op[0], op[1]
    *parent_path, key = path
    node: Any = doc
    if kind == "delete":
        for p in parent_path:
            node = node[p]
        if isinstance(key, int) or key in node:  # an emptied list of records is not in the text
            del node[key]
        return
    for p in parent_path:
        if not isinstance(p, int) and p not in node:
            node[p] = tomlkit.inline_table() if _inline(node) else tomlkit.table()
        node = node[p]
    if kind == "set":
        _put(node, key, _item(op[2], inline=_inline(node), path=path))
    else:  # append
        _append_doc(node, key, op[2], at_root=root and not parent_path, path=path)


def _put(node: Any, key: Any, item: Any) -> None:
    """``node[key] = item``; a new key of a table goes straight after the table's last
    key/value, so not below the comments that introduce the next part of the file."""
    import tomlkit.items as ti

    if isinstance(node, ti.InlineTable) and key not in node:
        _inline_put(node, key, item)
        return
    if isinstance(node, ti.Table) and not isinstance(key, int) and key not in node and isinstance(item, (ti.Table, ti.AoT)):
        # a new sub-table or list of records: the blank lines and the comments for the next
        # part of the file move below it
        holder = _last_table(node)
        tail = _detach_tail(holder)
        node[key] = item
        new = node[key]
        if isinstance(new, ti.AoT):
            new = new[-1] if len(new) else None
        target = holder if new is None else _last_table(new)
        for v in tail:
            target.value.body.append((None, v))
        return
    if not isinstance(node, ti.Table) or isinstance(key, int) or key in node or isinstance(item, (ti.Table, ti.AoT)):
        node[key] = item
        return
    body = node.value.body
    first_table = next((n for n, (_, v) in enumerate(body) if isinstance(v, (ti.Table, ti.AoT))), len(body))
    last = next((n for n in range(first_table - 1, -1, -1) if body[n][0] is not None), None)
    if last is None or last + 1 >= len(body):
        node[key] = item
        return
    previous = body[last][1]
    if not isinstance(item, ti.Item):
        item = ti.item(item)
    if previous.trivia.indent.strip(" \t") == "":
        item.trivia.indent = previous.trivia.indent
    node.value._insert_at(last + 1, key, item)
    dict.__setitem__(node, key, node.value[key])


def _inline_put(node: Any, key: str, item: Any) -> None:
    """A new key in an inline table, written after its last one in the table's own spacing:
    "{ a = 1, b = 2 }" or "{a = 1, b = 2}" (the table is written anew from its text, so tomlkit's
    own guesses at the spacing do not come into it)."""
    import tomlkit
    import tomlkit.items as ti

    if not isinstance(item, ti.Item):
        item = ti.item(item)
    item.trivia.indent = ""
    text = node.as_string()
    m = re.fullmatch(r"(?s)(.*?)([ \t]*)\}", text)
    if m is None:
        raise ValueError("een tabel tussen { } die niet op } eindigt")
    head, space = m.group(1).rstrip(" \t"), m.group(2)
    entry = f"{ti.SingleKey(key).as_string()} = {item.as_string()}"
    if head == "{":
        new = f"{{{space}{entry}{space}}}" if space else f"{{{entry}}}"
    else:
        new = f"{head}, {entry}{space}}}"
    parsed = tomlkit.parse(f"v = {new}\n")["v"]
    node._value = parsed.value
    dict.clear(node)
    for k, v in node._value.body:
        if k is not None:
            dict.__setitem__(node, k.key, v)
    if space and not node.as_string().endswith(f"{space}}}"):  # tomlkit drops the space after a date
        node._value.body.append((None, ti.Whitespace(space)))


def _append_doc(node: Any, key: str, record: dict, at_root: bool, path: tuple = (), followed: bool = False) -> None:
    """A new record written where a person would write it: after the last record of its own
    list (a new list: after its commented example in the template), with a blank line before
    it; the guide's text for what follows stays below it. A list written inline (``[ { ... } ]``)
    gets the record inline, in the same style. ``followed``: more of the file follows ``node``
    (``node`` is one part of it), so a new list at its end needs a blank line after it."""
    import tomlkit
    import tomlkit.items as ti

    existing = node.get(key) if hasattr(node, "get") else None
    if _inline(node) or (existing is not None and not isinstance(existing, ti.AoT)):
        if existing is None:
            node[key] = tomlkit.array()
            existing = node[key]
        if not isinstance(existing, ti.Array):
            from tui.model.schema import format_path

            raise RenderRefused(f"{format_path(path)}: hier staat in het bestand geen lijst, dus er kan geen record aan worden toegevoegd; niets opgeslagen")
        existing.append(_inline_record(record, existing, path))
        return
    table = _item(record)
    tail: list = []
    before = ""
    if key not in node:
        container = node if at_root else node.value
        name = ".".join(p for p in path if not isinstance(p, int)) if path else key
        place = _example_place(container, key, name) if (at_root or isinstance(node, ti.Table)) else None
        if place is not None and place[0] < len(container.body):
            index, tail = place
            tail = tail or [tomlkit.nl()]  # a blank line before the table that follows
            container._insert_at(index, key, tomlkit.aot())
            if not at_root:
                dict.__setitem__(node, key, container[key])
        else:
            tail = place[1] if place else []
            if place is not None and followed and not tail:
                tail = [tomlkit.nl()]  # as when the list goes between two parts of the whole file
            if not at_root and not tail and isinstance(node, ti.Table):
                # the guide's text for the next part (below the table's last sub-table) stays below the new list
                tail = _detach_tail(_last_table(node))
            node[key] = tomlkit.aot()
        if at_root:
            body = node.body
            at = next(n for n, (k, _) in enumerate(body) if k is not None and k.key == key)
            before = body[at - 1][1].as_string() if at else ""
        elif isinstance(node, ti.Table):
            body = node.value.body
            at = next(n for n, (k, _) in enumerate(body) if k is not None and k.key == key)
            before = "".join(v.as_string() for _, v in body[max(0, at - 2):at])
            if not at:
                before = "\n\n"  # straight after the table's own header
    aot = node[key]
    if len(aot):
        # the guide's text for what follows (and the blank line before the next table) moves
        # below the new record; it sits at the end of the last record's last sub-table, if any
        tail = _detach_tail(_last_table(aot[-1]))
        before = aot[-1].as_string()
    if before and not before.endswith("\n\n"):
        table.trivia.indent = "\n"  # a blank line before a new table
    for item in tail:
        table.value.body.append((None, item))
    aot.append(table)


def _inline_record(record: dict, array: Any, path: tuple) -> Any:
    """``record`` as an inline table in the style of the list's own records ("{ a = 1 }" or
    "{a = 1}"). RenderRefused when it cannot be written inline."""
    import tomlkit
    import tomlkit.items as ti

    spaced = True
    for v in array:
        if isinstance(v, ti.InlineTable):
            spaced = v.as_string().startswith("{ ")
            break
    try:
        text = _inline_text(record, spaced)
        return tomlkit.parse(f"v = {text}\n")["v"]
    except Exception as exc:  # noqa: BLE001
        from tui.model.schema import format_path

        raise RenderRefused(f"{format_path(path)}: dit record kan niet in de lijst op één regel ({{ ... }}) worden geschreven ({exc}); niets opgeslagen") from None


def _inline_text(value: Any, spaced: bool = True) -> str:
    import tomlkit.items as ti

    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = ", ".join(f"{ti.SingleKey(k).as_string()} = {_inline_text(v, spaced)}" for k, v in value.items())
        return f"{{ {inner} }}" if spaced else f"{{{inner}}}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline_text(v, spaced) for v in value) + "]"
    if isinstance(value, bool) or isinstance(value, (int, float, str)) or hasattr(value, "isoformat"):
        return _item(value, inline=True).as_string() if isinstance(value, str) else _scalar_text(value)
    raise ValueError(f"waarde van soort {type(value).__name__}")


def _scalar_text(value: Any) -> str:
    import tomlkit

    return tomlkit.item(value).as_string()


def _last_table(table: Any) -> Any:
    """The table written last inside ``table`` (its last sub-table or record, at any depth)."""
    import tomlkit.items as ti

    while True:
        body = table.value.body
        if not body:
            return table
        last = body[-1][1]
        if isinstance(last, ti.AoT) and len(last):
            table = last[-1]
        elif isinstance(last, ti.Table):
            table = last
        else:
            return table


def _example_place(container: Any, key: str, name: str | None = None) -> tuple[int, list] | None:
    """Where a new list ``key`` goes in ``container``: just after the item that holds its
    commented example ``# [[name]]`` (``name``: the dotted name of the list, e.g.
    ``cyclus.acties``), with the comments that follow the example (the guide's text for the next
    part) taken out to go below the new list. None when there is no example."""
    import tomlkit.items as ti

    marker = f"# [[{name or key}]]"
    for i, (_, item) in enumerate(container.body):
        if not (hasattr(item, "as_string") and marker in item.as_string()):
            continue
        holder = _holding(item, marker)
        tail: list = []
        if holder is not None:
            body, at = holder
            end = next((j for j in range(at + 1, len(body)) if isinstance(body[j][1], ti.Whitespace)), None)
            if end is not None and all(k is None and isinstance(v, (ti.Comment, ti.Whitespace)) for k, v in body[end + 1:]):
                tail = [v for _, v in body[end:]]  # the blank line, then the comments
                del body[end:]
        return i + 1, tail
    return None


def _holding(item: Any, marker: str) -> tuple[list, int] | None:
    """(the body list, index) of the comment line holding ``marker`` inside ``item``."""
    import tomlkit.items as ti

    if isinstance(item, ti.AoT):
        for t in item.body:
            found = _holding(t, marker)
            if found:
                return found
        return None
    if isinstance(item, ti.Table):
        body = item.value.body
        for j, (k, v) in enumerate(body):
            if k is None and isinstance(v, ti.Comment) and marker in v.as_string():
                return body, j
            if isinstance(v, (ti.Table, ti.AoT)):
                found = _holding(v, marker)
                if found:
                    return found
    return None


def _detach_tail(table: Any) -> list:
    """Take the trailing blank lines, and the comment block after them, off the last record of
    a list (or the last table before a new list): they go below the new record, so the guide's
    text for what follows stays there, with a blank line before the next table."""
    import tomlkit.items as ti

    body = table.value.body
    j = len(body)
    while j > 0 and body[j - 1][0] is None and isinstance(body[j - 1][1], (ti.Comment, ti.Whitespace)):
        j -= 1
    block = body[j:]
    start = next((n for n, (_, v) in enumerate(block) if isinstance(v, ti.Whitespace)), None)
    if start is None:
        return []
    tail = [v for _, v in block[start:]]
    del body[j + start:]
    return tail


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _item(value: Any, inline: bool = False, path: tuple = ()) -> Any:
    """A Python value as a tomlkit item, written the way a person would write it. ``inline``:
    it goes inside { } or [ ], so tables and lists of records are written inline too, and text
    stays on one line."""
    import tomlkit

    if inline and isinstance(value, (dict, list, tuple)):
        try:
            return tomlkit.parse(f"v = {_inline_text(value)}\n")["v"]
        except Exception as exc:  # noqa: BLE001
            from tui.model.schema import format_path

            raise RenderRefused(f"{format_path(path)}: deze waarde kan niet op één regel ({{ ... }}) worden geschreven ({exc}); niets opgeslagen") from None
    if isinstance(value, str):
        # Multi-line text reads best as """...""" in an editor; text with other control
        # characters stays on one escaped line, which every TOML reader agrees on.
        if not inline and "\n" in value and "\r" not in value and not _CONTROL.search(value):
            return tomlkit.string(value, multiline=True)
        return tomlkit.string(value)
    if isinstance(value, dict):
        table = tomlkit.table()
        for k, v in value.items():
            table[k] = _item(v)
        return table
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
        aot = tomlkit.aot()  # a list of records is written as [[...]] blocks, as a person would
        for v in value:
            aot.append(_item(v))
        return aot
    if isinstance(value, (list, tuple)):
        arr = tomlkit.array()
        for v in value:
            arr.append(_item(v) if isinstance(v, str) else v)
        return arr
    return value


def _walk_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _walk_strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk_strings(v)


def _refuse_unencodable(value: Any, path: Path_) -> None:
    from tui.model.schema import format_path

    for s in _walk_strings(value):
        try:
            s.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"{format_path(path)}: tekst bevat een teken dat niet als UTF-8 kan worden opgeslagen "
                f"(positie {exc.start + 1}: {s[exc.start]!r}); er is niets veranderd"
            ) from None


def load(path: Path | str) -> Workbook:
    """Read a workbook: raises WorkbookError for anything but a regular file of at most
    MAX_BYTES, invalid UTF-8, invalid TOML, nesting deeper than MAX_DEPTH or an empty file.

    Content problems (wrong types, unknown choices) are not raised here; see ``check``.
    """
    path = Path(path)
    taken = time.time_ns()
    raw, st = read_regular(path)
    clean_stray_temps(path)
    text, bom = decode(raw, path)
    data = parse_plain(text, path)
    return Workbook(path, text, data, bom, fingerprint(path, raw, st, taken))


def check(path: Path | str) -> tuple[Workbook | None, list[Problem]]:
    """Load and validate; every problem at once. Parse problems come back alone (nothing else can be read)."""
    from tui.model.validate import validate

    try:
        wb = load(path)
    except WorkbookError as exc:
        return None, exc.problems
    return wb, validate(wb.data, wb.text)


# ------------------------------------------------------------------------------------ writing


def _target(path: Path) -> Path:
    """The file to replace: a symlink stays a symlink, its target is updated."""
    return Path(os.path.realpath(path))


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def file_lock(target: Path, timeout: float = LOCK_TIMEOUT, blocking: bool = True) -> Iterator[bool]:
    """Serialise saves of one workbook between processes (an flock on a lock file beside it)."""
    lp = lock_path(target)
    try:
        fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise SaveError(
            f"{target.parent}: kan het slotbestand niet aanmaken ({reason(exc)}); is de map schrijfbaar?",
            elsewhere=exc.errno in _ELSEWHERE,
        ) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not blocking:
                    yield False
                    return
                if time.monotonic() > deadline:
                    raise SaveError(f"{target}: een ander proces is al {timeout:.0f} s aan het opslaan; probeer opnieuw") from None
                time.sleep(0.01)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def clean_stray_temps(path: Path) -> list[Path]:
    """Remove temp files a crashed save left beside the workbook (only when no save is running)."""
    import glob

    target = _target(Path(path))
    pattern = str(target.parent / f".{glob.escape(target.name)}.*{TEMP_SUFFIX}")
    strays = [Path(p) for p in glob.glob(pattern)]
    if not strays:
        return []
    removed = []
    try:
        with file_lock(target, blocking=False) as got:
            if got:
                for p in strays:
                    with contextlib.suppress(OSError):
                        p.unlink()
                        removed.append(p)
    except SaveError:
        pass  # folder not writable: nothing to clean there anyway
    return removed


def _first_difference(a: Any, b: Any, path: tuple = ()) -> tuple:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return path + (k,)
            if a[k] != b[k]:
                return _first_difference(a[k], b[k], path + (k,))
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, path + (i,))
    return path


def verify(text: str, intended: dict | Proven, path: Path, sections=None) -> bytes:
    """The bytes to write, after checking that ``text`` reads back as exactly ``intended``
    (``Proven``: what that very text was proven to read back as when it was rendered).

    With ``sections`` (a tui.verify.SectionParser) unchanged sections reuse their earlier
    parse; whenever it cannot be sure, or disagrees, the whole text is parsed again.
    """
    from tui.model.schema import format_path

    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SaveError(f"{path}: de tekst bevat een teken dat niet als UTF-8 kan worden opgeslagen (positie {exc.start}); niets opgeslagen") from None
    if isinstance(intended, Proven):
        if text is intended.text:
            return encoded
        intended = tomllib.loads(intended.text)  # another text than the one proven: compare
    if sections is not None and sections.assemble(text) == intended:
        return encoded
    try:
        back = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SaveError(f"{path}: de opgemaakte tekst is geen geldige TOML ({exc}); niets opgeslagen") from None
    if back != intended:
        where = format_path(_first_difference(back, intended))
        raise SaveError(f"{path}: de opgemaakte tekst leest anders terug dan bedoeld bij {where or 'het geheel'}; niets opgeslagen")
    return encoded


def atomic_write(target: Path, payload: bytes, mode: int | None, owner: tuple[int, int] | None = None) -> None:
    """Temp file in the same folder, write, fsync, os.replace, fsync the folder.

    ``mode`` and ``owner`` (uid, gid) are those of the file being replaced: kept where permitted,
    so colleagues in the file's group can still read it."""
    import tempfile

    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise SaveError(
            f"{folder}: kan geen tijdelijk bestand maken ({reason(exc)}); het werkboek is niet veranderd",
            elsewhere=exc.errno in _ELSEWHERE,
        ) from None
    try:
        try:
            if owner is not None:
                _keep_owner(fd, *owner)  # before the mode: a change of owner may clear set-id bits
            if mode is not None:
                os.fchmod(fd, mode)
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        why = reason(exc)
        raise SaveError(f"{target}: opslaan mislukt: {why}; het werkboek is niet veranderd", elsewhere=exc.errno in _ELSEWHERE) from None
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass  # some filesystems cannot fsync a folder; the replace itself is done


def _keep_owner(fd: int, uid: int, gid: int) -> None:
    """Give the new file the old one's owner and group, as far as this user may: only root may
    give a file away, but anyone may give it a group they belong to."""
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) == (uid, gid):
        return
    try:
        os.fchown(fd, uid, gid)
    except OSError:
        if st.st_gid != gid:
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, gid)


@dataclass(frozen=True)
class Prepared:
    """What a save will write: rendered and verified, ready for ``write_prepared``."""

    text: str
    payload: bytes
    generation: int


def assign_ids(wb: Workbook) -> int:
    """Give every record without an id one (see tui/model/ids.py), each set in place as one
    new ``id = "..."`` line; nothing else in the file changes. Returns how many were given."""
    from tui.model.ids import missing_ids

    n = 0
    for path, new in list(missing_ids(wb.data)):
        wb.set(path, new)
        n += 1
    return n


def prepare(wb: Workbook) -> Prepared:
    """Render and verify the workbook as it is now. Safe in a worker while edits go on: it
    renders the queued edits up to a generation, and verifies against exactly that state."""
    try:
        text, intended, generation = wb.rendered()
        payload = _payload(wb, verify(text, intended, wb.path, wb.sections), text, wb.path)
    except SaveError:
        raise
    except Exception as exc:  # noqa: BLE001 - a save reports, it never crashes the app
        raise SaveError(f"{wb.path}: opslaan mislukt ({type(exc).__name__}: {exc}); er is niets opgeslagen") from None
    return Prepared(text, payload, generation)


def _payload(wb: Workbook, encoded: bytes, text: str, path: Path) -> bytes:
    """The verified text as the file's bytes: its own line ending and byte order mark."""
    if wb.newline != "\n":
        if "\r" in text:  # a carriage return of its own would become part of a line ending
            raise SaveError(f"{path}: de opgemaakte tekst bevat een losse regelterugloop (\\r); niets opgeslagen")
        encoded = encoded.replace(b"\n", wb.newline.encode("ascii"))
    if wb.bom:
        encoded = BOM.encode("utf-8") + encoded
    return encoded


def write_prepared(wb: Workbook, prepared: Prepared, *, force: bool = False) -> None:
    """Lock, refuse a file changed on disk (unless ``force``), write atomically. Safe in a worker."""
    target = _target(wb.path)
    with file_lock(target):
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
        if not force:
            if st is None:
                if wb.fingerprint is not None:
                    raise SaveConflict(wb.path, None)
            elif wb.fingerprint is None or not _unchanged(target, st, wb.fingerprint):
                raise SaveConflict(wb.path, _current_text(target))
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise SaveError(f"{wb.path}: is geen gewoon bestand meer; er is niets overschreven")
        if st is not None and not (st.st_mode & 0o222):
            raise SaveError(f"{wb.path}: het bestand is alleen-lezen; er is niets overschreven", elsewhere=True)
        atomic_write(target, prepared.payload, None if st is None else (st.st_mode & 0o7777), None if st is None else (st.st_uid, st.st_gid))
        wb.fingerprint = fingerprint(target, prepared.payload)
    wb.text = prepared.text
    wb.saved_generation = max(wb.saved_generation, prepared.generation)


def save(wb: Workbook, *, force: bool = False) -> None:
    """Write ``wb`` to its file. Raises SaveConflict when the file changed on disk since it was read
    (unless ``force``), SaveError for anything else; in both cases the file is untouched.
    Records without an id get one first (an older file, with the first save of an edit)."""
    try:
        if wb.dirty:
            assign_ids(wb)
        write_prepared(wb, prepare(wb), force=force)
    except SaveError:
        raise
    except Exception as exc:  # noqa: BLE001 - a save reports, it never crashes the app
        raise SaveError(f"{wb.path}: opslaan mislukt ({type(exc).__name__}: {exc}); het werkboek is niet veranderd") from None


def _unchanged(target: Path, st: os.stat_result, fp: Fingerprint) -> bool:
    if fp.proves_unchanged(st):
        return True
    # Touched, rewritten, or too recent to tell: only a change of content is a conflict.
    try:
        raw, _ = read_regular(target)
    except WorkbookError:
        return False
    return hashlib.sha256(raw).hexdigest() == fp.sha256


def _current_text(target: Path) -> str:
    """What is on disk now, for the conflict screen."""
    try:
        raw, _ = read_regular(target)
    except WorkbookError as exc:
        return str(exc)
    try:
        text = decode(raw, target)[0]
        return text.replace("\r\n", "\n") if line_ending(text) != "\n" else text  # as the workbook's own text
    except WorkbookError:
        return raw.decode("utf-8", "replace")


def save_copy(wb: Workbook, new_path: Path | str) -> Path:
    """Write ``wb`` to a new file (never over an existing one); the workbook then points there."""
    new_path = Path(new_path)
    text, intended, generation = wb.rendered()
    payload = _payload(wb, verify(text, intended, new_path), text, new_path)
    create_exclusive(new_path, payload)
    wb.path = new_path
    wb.fingerprint = fingerprint(new_path, payload)
    wb.text = text
    wb.saved_generation = generation
    return new_path


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``stem-kopie.toml``, ``stem-kopie-2.toml``, ... when that exists."""
    folder, first = Path(folder), Path(name)
    candidate = folder / first.name
    n = 1
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{first.stem}-kopie{'' if n == 1 else f'-{n}'}{first.suffix}"
        n += 1
    return candidate


def create_exclusive(path: Path, payload: bytes, mode: int = 0o644) -> None:
    """Create ``path`` atomically with ``payload``; FileExistsError when it already exists."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise FileExistsError(errno.EEXIST, "bestaat al", str(path))
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise SaveError(f"{folder}: kan hier geen bestand maken ({reason(exc)})") from None
    try:
        os.fchmod(fd, mode & ~_umask())
        os.write(fd, payload)
        os.fsync(fd)
        os.close(fd)
        try:
            os.link(tmp, path)  # fails if the name appeared meanwhile: never overwrites
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
                raise
            # no hard links here (a FAT or exFAT USB stick, some network shares): claim the
            # name first (O_EXCL never overwrites), then put the whole file in its place at once
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            try:
                os.replace(tmp, path)
            except OSError:
                with contextlib.suppress(OSError):
                    if os.stat(path).st_size == 0:
                        os.unlink(path)  # the empty name claimed above, not someone's file
                raise
    except FileExistsError:
        raise
    except OSError as exc:
        raise SaveError(f"{path}: kan het bestand niet maken ({reason(exc)})") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
