"""Reading and writing the workbook file without ever losing a word.

Two views of one file:
- ``Workbook.data``: plain Python values (read with the stdlib ``tomllib``), what the model,
  the checks and the exports use. Cheap to get, so the first frame never waits for tomlkit.
- ``Workbook.document()``: the parsed tomlkit document, kept for saving. Every edit changes
  values in place in both views, so comments, key order and unknown keys survive.

Before a save the rendered text is read back with ``tomllib`` and must equal ``data``;
the file is written atomically and never over a version that changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from tui.model.problems import FOUT, Problem

BOM = "\ufeff"
TEMP_SUFFIX = ".tmp-werkboek"
LOCK_TIMEOUT = 10.0

Path_ = tuple  # a key path: ('cyclus', 0, 'acties', 1, 'deadline')


class WorkbookError(Exception):
    """The file could not be read as a workbook; ``problems`` says where and why."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(p.format(str(path)) for p in problems))


class SaveError(Exception):
    """The save was refused or failed; the file on disk is as it was."""


class SaveConflict(SaveError):
    """The file changed on disk since it was read; nothing was written."""

    def __init__(self, path: Path, current_text: str | None):
        self.path = path
        self.current_text = current_text  # None: the file is gone
        what = "is verwijderd" if current_text is None else "is door iemand anders gewijzigd"
        super().__init__(f"{path}: het bestand {what} sinds het werd geopend; er is niets overschreven")


@dataclass(frozen=True)
class Fingerprint:
    size: int
    mtime_ns: int
    inode: int
    sha256: str


def fingerprint(path: Path, raw: bytes | None = None) -> Fingerprint:
    st = os.stat(path)
    if raw is None:
        raw = Path(path).read_bytes()
    return Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, hashlib.sha256(raw).hexdigest())


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


def decode(raw: bytes, path: Path | str) -> tuple[str, bool]:
    """Bytes to text; refuses invalid UTF-8 (never guesses latin-1). Returns (text, had_bom)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
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
        return tomllib.loads(text)
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


class Workbook:
    """One open workbook file."""

    def __init__(self, path: Path, text: str, data: dict, bom: bool, fp: Fingerprint | None):
        self.path = Path(path)
        self.text = text  # as last read or written, without BOM
        self.data = data
        self.bom = bom
        self.fingerprint = fp
        self.dirty = False
        self.generation = 0  # counts edits, so a save knows whether more came in meanwhile
        self._doc = None
        self._doc_lock = threading.Lock()
        from tui.verify import SectionParser

        self.sections = SectionParser()  # remembers section parses between saves

    # -- the tomlkit document, loaded on first need (a worker in the app)
    def document(self):
        """The tomlkit document; parsed on first need (safe to call from a worker thread)."""
        if self._doc is None:
            with self._doc_lock:
                if self._doc is None:
                    import tomlkit

                    self._doc = tomlkit.parse(self.text)
        return self._doc

    @property
    def document_loaded(self) -> bool:
        return self._doc is not None

    # -- reading values
    def get(self, path: Path_, default: Any = None) -> Any:
        node: Any = self.data
        for p in path:
            try:
                node = node[p]
            except (KeyError, IndexError, TypeError):
                return default
        return node

    # -- editing in place, in both views
    def set(self, path: Path_, value: Any) -> None:
        """Set one value; ``None`` removes the key. Missing tables on the way are created."""
        _refuse_unencodable(value, path)
        if value is None:
            self.delete(path)
            return
        if self.get(path, _MISSING) == value and type(self.get(path)) is type(value):
            return
        *parent_path, key = path
        parent_data = self._ensure(tuple(parent_path))
        parent_doc = self._ensure_doc(tuple(parent_path))
        parent_data[key] = _plain(value)
        parent_doc[key] = _item(value)
        self._edited()

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
        del parent[key]
        doc_parent = self._doc_node(tuple(parent_path))
        del doc_parent[key]
        self._edited()

    def append(self, path: Path_, record: dict) -> int:
        """Append a table to the array of tables at ``path`` (created if missing); return its index.

        A new top-level list is written where the file's commented example of it is (the blank
        template explains each list where it belongs), and every record after the last one of
        its own list, with a blank line before it: the file keeps reading as the guide."""
        _refuse_unencodable(record, path)
        import tomlkit

        existing = self.get(path)
        table = _item(record)
        tail: list = []
        if existing is None:
            *parent_path, key = path
            self._ensure(tuple(parent_path))[key] = []
            parent_doc = self._ensure_doc(tuple(parent_path))
            place = _example_place(parent_doc, key) if not parent_path else None
            if place is not None and place[0] < len(parent_doc.body):
                index, tail = place
                parent_doc._insert_at(index, key, tomlkit.aot())
            else:
                tail = place[1] if place else []
                parent_doc[key] = tomlkit.aot()
            existing = self.get(path)
            before = ""
            if not parent_path:
                body = parent_doc.body
                at = next(n for n, (k, _) in enumerate(body) if k is not None and k.key == key)
                before = body[at - 1][1].as_string() if at else ""
        aot = self._doc_node(path)
        if len(aot):
            tail = _detach_tail(aot[-1])  # the guide's text for what follows moves below the new record
            before = aot[-1].as_string()
        existing.append(_plain(record))
        if before and not before.endswith("\n\n"):
            table.trivia.indent = "\n"  # a blank line before a new table
        if tail:
            table.value.body.append((None, tomlkit.nl()))
            for item in tail:
                table.value.body.append((None, item))
        aot.append(table)
        self._edited()
        return len(existing) - 1

    def _edited(self) -> None:
        self.dirty = True
        self.generation += 1

    def _ensure(self, path: Path_) -> Any:
        node: Any = self.data
        for p in path:
            if isinstance(node, dict) and p not in node:
                node[p] = {}
            node = node[p]
        return node

    def _ensure_doc(self, path: Path_) -> Any:
        import tomlkit

        node: Any = self.document()
        for p in path:
            if not isinstance(p, int) and p not in node:
                node[p] = tomlkit.table()
            node = node[p]
        return node

    def _doc_node(self, path: Path_) -> Any:
        node: Any = self.document()
        for p in path:
            node = node[p]
        return node

    # -- rendering
    def render(self) -> str:
        """The text a save would write (without BOM)."""
        if self._doc is None:
            return self.text
        import tomlkit

        return tomlkit.dumps(self._doc)


_MISSING = object()


def _example_place(container: Any, key: str) -> tuple[int, list] | None:
    """Where a new top-level list ``key`` goes: just after the top-level item that holds its
    commented example ``# [[key]]``, with the comments that follow the example (the guide's text
    for the next part) taken out to go below the new list. None when there is no example."""
    import tomlkit.items as ti

    marker = f"# [[{key}]]"
    for i, (_, item) in enumerate(container.body):
        if not (hasattr(item, "as_string") and marker in item.as_string()):
            continue
        holder = _holding(item, marker)
        tail: list = []
        if holder is not None:
            body, at = holder
            end = next((j for j in range(at + 1, len(body)) if isinstance(body[j][1], ti.Whitespace)), None)
            if end is not None and all(k is None and isinstance(v, (ti.Comment, ti.Whitespace)) for k, v in body[end + 1:]):
                tail = [v for _, v in body[end + 1:]]
                del body[end + 1:]
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
    """Take the trailing comment block (after a blank line) off the last record of a list."""
    import tomlkit.items as ti

    body = table.value.body
    j = len(body)
    while j > 0 and body[j - 1][0] is None and isinstance(body[j - 1][1], (ti.Comment, ti.Whitespace)):
        j -= 1
    block = body[j:]
    start = next((n for n, (_, v) in enumerate(block) if isinstance(v, ti.Whitespace)), None)
    if start is None or not any(isinstance(v, ti.Comment) for _, v in block[start:]):
        return []
    tail = [v for _, v in block[start + 1:]]
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


def _item(value: Any) -> Any:
    """A Python value as a tomlkit item, written the way a person would write it."""
    import tomlkit

    if isinstance(value, str):
        # Multi-line text reads best as """...""" in an editor; text with other control
        # characters stays on one escaped line, which every TOML reader agrees on.
        if "\n" in value and "\r" not in value and not _CONTROL.search(value):
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
    """Read a workbook: raises WorkbookError for invalid UTF-8, invalid TOML or an empty file.

    Content problems (wrong types, unknown choices) are not raised here; see ``check``.
    """
    path = Path(path)
    clean_stray_temps(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WorkbookError(path, [Problem("bestand niet gevonden")]) from None
    except IsADirectoryError:
        raise WorkbookError(path, [Problem("dit is een map, geen werkboekbestand")]) from None
    except PermissionError:
        raise WorkbookError(path, [Problem("geen leesrechten op dit bestand")]) from None
    text, bom = decode(raw, path)
    data = parse_plain(text, path)
    return Workbook(path, text, data, bom, fingerprint(path, raw))


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
        raise SaveError(f"{target.parent}: kan het slotbestand niet aanmaken ({exc.strerror}); is de map schrijfbaar?") from None
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


def verify(text: str, intended: dict, path: Path, sections=None) -> bytes:
    """The bytes to write, after checking that ``text`` reads back as exactly ``intended``.

    With ``sections`` (a tui.verify.SectionParser) unchanged sections reuse their earlier
    parse; whenever it cannot be sure, or disagrees, the whole text is parsed again.
    """
    from tui.model.schema import format_path

    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SaveError(f"{path}: de tekst bevat een teken dat niet als UTF-8 kan worden opgeslagen (positie {exc.start}); niets opgeslagen") from None
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


def atomic_write(target: Path, payload: bytes, mode: int | None) -> None:
    """Temp file in the same folder, write, fsync, os.replace, fsync the folder."""
    import tempfile

    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise SaveError(f"{folder}: kan geen tijdelijk bestand maken ({exc.strerror}); het werkboek is niet veranderd") from None
    try:
        try:
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
        why = "de schijf is vol" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else (exc.strerror or str(exc))
        raise SaveError(f"{target}: opslaan mislukt: {why}; het werkboek is niet veranderd") from None
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass  # some filesystems cannot fsync a folder; the replace itself is done


@dataclass(frozen=True)
class Prepared:
    """What a save will write: rendered and verified, ready for ``write_prepared``."""

    text: str
    payload: bytes
    generation: int


def prepare(wb: Workbook) -> Prepared:
    """Render and verify (must run where no edit can happen meanwhile: the UI thread)."""
    text = wb.render()
    payload = verify(text, wb.data, wb.path, wb.sections)
    if wb.bom:
        payload = BOM.encode("utf-8") + payload
    return Prepared(text, payload, wb.generation)


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
                raw = target.read_bytes()
                try:
                    current, _ = decode(raw, target)
                except WorkbookError:
                    current = raw.decode("utf-8", "replace")
                raise SaveConflict(wb.path, current)
        if st is not None and not (st.st_mode & 0o222):
            raise SaveError(f"{wb.path}: het bestand is alleen-lezen; er is niets overschreven")
        atomic_write(target, prepared.payload, None if st is None else (st.st_mode & 0o7777))
        wb.fingerprint = fingerprint(target, prepared.payload)
    wb.text = prepared.text
    wb.dirty = wb.generation != prepared.generation


def save(wb: Workbook, *, force: bool = False) -> None:
    """Write ``wb`` to its file. Raises SaveConflict when the file changed on disk since it was read
    (unless ``force``), SaveError for anything else; in both cases the file is untouched."""
    write_prepared(wb, prepare(wb), force=force)


def _unchanged(target: Path, st: os.stat_result, fp: Fingerprint) -> bool:
    if (st.st_size, st.st_mtime_ns, st.st_ino) == (fp.size, fp.mtime_ns, fp.inode):
        return True
    # Touched or rewritten: only a change of content is a conflict.
    return hashlib.sha256(target.read_bytes()).hexdigest() == fp.sha256


def save_copy(wb: Workbook, new_path: Path | str) -> Path:
    """Write ``wb`` to a new file (never over an existing one); the workbook then points there."""
    new_path = Path(new_path)
    text = wb.render()
    payload = verify(text, wb.data, new_path)
    if wb.bom:
        payload = BOM.encode("utf-8") + payload
    create_exclusive(new_path, payload)
    wb.path = new_path
    wb.fingerprint = fingerprint(new_path, payload)
    wb.text = text
    wb.dirty = False
    return new_path


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
        raise SaveError(f"{folder}: kan hier geen bestand maken ({exc.strerror})") from None
    try:
        os.fchmod(fd, mode & ~_umask())
        os.write(fd, payload)
        os.fsync(fd)
        os.close(fd)
        os.link(tmp, path)  # fails if the name appeared meanwhile: never overwrites
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
