"""The open workbook and everything done with it, without a screen.

A ``Session`` is what the app, presentation mode, the CLI and the import and merge features go
through: it holds the open workbook and the round being worked in, makes edits (values, records,
rounds, follow-up actions), tells whoever listens what changed, and saves with one writer at a
time. It imports no Textual: the app is a view of it (tests/test_architecture.py checks).

Threads: edits are made on one thread (the app's UI thread); ``save`` may run on another (a
worker). An edit never waits for a save or for the tomlkit parse: see ``storage.Workbook``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from tui import storage
from tui.model import rules
from tui.model.schema import load_schema

Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).astimezone()


# ------------------------------------------------------------------ what can be edited


@dataclass(frozen=True)
class RecordKind:
    """A list of records the app can add to, edit and remove from."""

    key: str  # the table id in the app: 'bronnen', 'acties', ...
    rel: tuple  # path below the round (per_cycle) or below the root
    spec: str  # the schema's table path
    title: str  # Dutch noun for messages: 'Databron'
    per_cycle: bool


RECORD_KINDS: dict[str, RecordKind] = {
    k.key: k
    for k in (
        RecordKind("bronnen", ("databronnen",), "databronnen[]", "Databron", False),
        RecordKind("acties", ("acties",), "cyclus[].acties[]", "Actie", True),
        RecordKind("systemen", ("systemen",), "systemen[]", "Systeem", False),
        RecordKind("verwerkingsregister", ("verwerkingsregister",), "verwerkingsregister[]", "Verwerking", False),
        RecordKind("datalekregister", ("datalekregister",), "datalekregister[]", "Datalek", False),
    )
}


class RecordOp(enum.StrEnum):
    """What is asked of a record list: a new record, editing one, removing one."""

    ADD = "add"
    EDIT = "edit"
    REMOVE = "remove"


@dataclass(frozen=True)
class RefTarget:
    """Where the records a reference field points to live, and which field names them."""

    root: str | None  # a top-level list, or None for the round's own actions
    name_key: str


REF_TARGETS: dict[str, RefTarget] = {
    "databronnen[]": RefTarget("databronnen", "naam"),
    "verwerkingsregister[]": RefTarget("verwerkingsregister", "naam"),
    "cyclus[].acties[]": RefTarget(None, "titel"),
}

ID_LISTS = ("databronnen", "verwerkingsregister", "datalekregister")


# ------------------------------------------------------------------ what changed


class ChangeKind(enum.Enum):
    SET = "set"  # a value was set or removed at ``path``
    STRUCTURE = "structure"  # a record was added to or removed from the list at ``path``
    ROUND = "round"  # another round is being worked in, or a new one began
    RELOAD = "reload"  # the whole workbook was read again


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    path: tuple = ()
    source: object | None = None  # who made the edit (an editor need not be told its own)

    def touches(self, path: tuple) -> bool:
        """Whether a view of ``path`` may show something else now."""
        if self.kind in (ChangeKind.ROUND, ChangeKind.RELOAD):
            return True
        n = min(len(path), len(self.path))
        return path[:n] == self.path[:n]


Listener = Callable[[Change], None]


@dataclass(frozen=True)
class DiskVersion:
    """The workbook file as another session or a text editor left it, read and parsed (in a
    worker), with the base it is to be merged against."""

    text: str
    data: dict
    bom: bool
    fingerprint: storage.Fingerprint
    base_text: str  # the text this session last read or wrote
    base: dict


# ------------------------------------------------------------------ the session


def _blank(value: Any) -> bool:
    """Nothing filled in: no value, empty text, an empty list, or a table of blanks."""
    if value is None or value == "" or value == []:
        return True
    return isinstance(value, dict) and all(_blank(v) for v in value.values())


def _without_blanks(value: Any) -> Any:
    """A new table as it goes into the file: without the keys that hold nothing."""
    if isinstance(value, dict):
        return {k: _without_blanks(v) for k, v in value.items() if not _blank(v)}
    return value


class Session:
    def __init__(self, workbook: storage.Workbook, clock: Clock | None = None):
        self.workbook = workbook
        self.clock = clock or local_now
        self.cycle_index = max(0, len(workbook.data.get("cyclus", [])) - 1)
        self.last_saved: dt.datetime | None = None
        self._listeners: list[Listener] = []
        self._writer = threading.Lock()  # one save at a time
        self._saving = 0
        self._holds = 0  # while > 0 nothing saves by itself (a question about unsaved work is open)

    @classmethod
    def open(cls, path: Path | str, clock: Clock | None = None) -> "Session":
        """Read a workbook (raises storage.WorkbookError with every problem)."""
        return cls(storage.load(path), clock)

    # -- time
    def now(self) -> dt.datetime:
        """Dutch time (Europe/Amsterdam), whatever the machine's zone."""
        from tui.model.values import LOCAL_ZONE

        return self.clock().astimezone(LOCAL_ZONE)

    def today(self) -> dt.date:
        return self.now().date()

    # -- reading
    @property
    def path(self) -> Path:
        return self.workbook.path

    @property
    def data(self) -> dict:
        return self.workbook.data

    @property
    def dirty(self) -> bool:
        return self.workbook.dirty

    def get(self, path: tuple, default: Any = None) -> Any:
        return self.workbook.get(path, default)

    @property
    def cycles(self) -> list[dict]:
        return self.workbook.data.get("cyclus", []) or []

    @property
    def cycle_path(self) -> tuple:
        return ("cyclus", self.cycle_index)

    @property
    def cycle(self) -> dict:
        cycles = self.cycles
        return cycles[self.cycle_index] if cycles else {}

    # -- listening
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _tell(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- editing values
    def set(self, path: tuple, value: Any, source: object | None = None) -> bool:
        """Write one value (``None`` removes it). Raises ValueError for text that cannot be
        stored. Returns whether anything changed."""
        before = self.workbook.generation
        self.workbook.set(tuple(path), value)
        if self.workbook.generation == before:
            return False
        self._tell(Change(ChangeKind.SET, tuple(path), source))
        return True

    def append(self, path: tuple, record: dict, source: object | None = None) -> int:
        index = self.workbook.append(tuple(path), record)
        self._tell(Change(ChangeKind.STRUCTURE, tuple(path), source))
        return index

    def delete(self, path: tuple, source: object | None = None) -> None:
        before = self.workbook.generation
        self.workbook.delete(tuple(path))
        if self.workbook.generation != before:
            kind = ChangeKind.STRUCTURE if isinstance(path[-1], int) else ChangeKind.SET
            self._tell(Change(kind, tuple(path[:-1]) if kind is ChangeKind.STRUCTURE else tuple(path), source))

    def ensure_cycle(self) -> None:
        """A workbook without rounds gets its first one."""
        if not self.cycles:
            self.workbook.append(("cyclus",), {"nummer": 1, "start": self.today()})
            self.cycle_index = 0
            self._tell(Change(ChangeKind.ROUND))

    # -- records
    def record_base(self, kind: RecordKind | str) -> tuple:
        kind = RECORD_KINDS[kind] if isinstance(kind, str) else kind
        return (self.cycle_path + kind.rel) if kind.per_cycle else kind.rel

    def records(self, kind: RecordKind | str) -> list[dict]:
        return self.get(self.record_base(kind), []) or []

    def record_name(self, kind: RecordKind | str, index: int) -> str:
        rec = self.records(kind)[index]
        return str(rec.get("naam") or rec.get("titel") or rec.get("id") or "")

    def ref_options(self, spec_path: str) -> dict[str, list[tuple[str, str]]]:
        """For each reference field of a table: (label, id) of the records it may point to."""
        out = {}
        for key, f in load_schema().tables[spec_path].fields.items():
            target = REF_TARGETS.get(f.ref or "")
            if target is None:
                continue
            records = self.data.get(target.root, []) if target.root else self.get(self.cycle_path + ("acties",), [])
            out[key] = [(f"{r.get(target.name_key, '')} ({r.get('id', '')})", r.get("id", "")) for r in records or [] if r.get("id")]
        return out

    def all_ids(self) -> set[str]:
        data = self.data
        ids = {r.get("id", "") for k in ID_LISTS for r in data.get(k, [])}
        ids |= {a.get("id", "") for c in data.get("cyclus", []) for a in c.get("acties", [])}
        return ids

    def add_record(self, kind: RecordKind | str, values: dict, proposed_id: str | None = None) -> int:
        """Append a record; a kind with ids gets a new, unique one (from ``proposed_id``, its name
        or title). Empty values are left out, as a person writing the file would."""
        from tui.model.values import slug

        kind = RECORD_KINDS[kind] if isinstance(kind, str) else kind
        spec = load_schema().tables[kind.spec]
        record = {k: v for k, v in values.items() if v not in ("", None, [])}
        if "id" in spec.fields:
            record.pop("id", None)
            proposed = proposed_id or values.get("naam") or values.get("titel") or kind.title
            record = {"id": slug(proposed, self.all_ids()), **record}
        if "begonnen" in spec.fields and "begonnen" not in record:
            record["begonnen"] = self.today()  # an action added to an older round starts now, not with the round
        return self.append(self.record_base(kind), record)

    def update_record(self, kind: RecordKind | str, index: int, values: dict, original: dict) -> list[str]:
        """Write the fields the person changed in a form (``values`` against ``original``, what the
        form was opened with); fields changed elsewhere meanwhile are left as they are now.
        Returns the keys written."""
        base = self.record_base(kind)
        written = []
        for key, value in values.items():
            if key not in original:
                value = _without_blanks(value)
                if _blank(value):
                    continue  # typed and taken back, or never filled: no empty key in the file
            if original.get(key) != value:
                self.set(base + (index, key), value)
                written.append(key)
        return written

    def remove_record(self, kind: RecordKind | str, index: int) -> None:
        self.delete(self.record_base(kind) + (index,))

    def toggle_source(self, source_id: str) -> bool:
        """Use a data source in this round, or no longer; returns whether it is used now."""
        path = self.cycle_path + ("data", "bronnen")
        selected = list(self.get(path, []) or [])
        used = source_id not in selected
        if used:
            selected.append(source_id)
        else:
            selected.remove(source_id)
        self.set(path, selected)
        return used

    # -- rounds
    def select_round(self, index: int) -> bool:
        """Work in another round from now on; returns whether it changed."""
        if not 0 <= index < len(self.cycles) or index == self.cycle_index:
            return False
        self.cycle_index = index
        self._tell(Change(ChangeKind.ROUND))
        return True

    def new_round(self, reason: str = "", title: str = "") -> dict:
        """Begin the next round from the one being worked in (question, chosen sources and open
        actions come along); it becomes the round being worked in."""
        new = rules.next_cycle(self.data, self.cycle_index, self.today(), reason, title)
        self.workbook.append(("cyclus",), {k: v for k, v in new.items() if v != ""})
        self.cycle_index = len(self.cycles) - 1
        self._tell(Change(ChangeKind.ROUND))
        return new

    def follow_up(self, cycle: int, action: int, evaluation: int | None = None) -> dict:
        """The proposal for a follow-up action ('plannen bijstellen'), in round ``cycle``, which
        becomes the round being worked in. Nothing is written until it is added."""
        self.select_round(cycle)
        return rules.follow_up_action(self.data, cycle, action, evaluation)

    def step_back_to_data(self) -> None:
        """'Misschien kom je erachter dat je data mist en moet je opnieuw gaan inventariseren.'"""
        base = self.cycle_path
        done = [s for s in (self.get(base + ("stappen_klaar",)) or []) if s != "data"]
        self.set(base + ("huidige_stap",), "data")
        self.set(base + ("stappen_klaar",), done)

    # -- edits that come back from Excel
    def apply_import(self, changes: list) -> int:
        """Write the changes read from an edited export (tui.exchange) as edits; returns how many."""
        from tui import exchange

        n = exchange.apply_changes(self.workbook, changes)
        if n:
            self._tell(Change(ChangeKind.SET, ()))
        return n

    # -- merge conflicts recorded in the file
    def resolve_conflict(self, conflict_id: str, choice: str) -> None:
        """Settle one [[conflicten]] record: keep ours ('ons') or take theirs ('hun'). Raises
        KeyError / ValueError when it cannot."""
        from tui import merge

        merge.resolve_by_id(self.workbook, conflict_id, choice)
        self._tell(Change(ChangeKind.SET, ()))

    # -- what the header shows
    def title(self) -> str:
        return self.get(("organisatie", "naam")) or "Publieksdata werkboek"

    def state_line(self) -> str:
        cycles = self.cycles
        number = self.cycle.get("nummer", 1)
        if self.dirty:
            state = "● niet opgeslagen"
        else:
            state = f"✓ opgeslagen {self.last_saved:%H:%M}" if self.last_saved else "✓ opgeslagen"
        return f"ronde {number}/{len(cycles)} · {state}"

    def breach_alerts(self) -> list[str]:
        """Breaches not yet reported or closed, the nearest deadline first; more than two fold
        into one line so the step below stays in view at 80x24."""
        pending = []
        now = self.now()
        for b in self.data.get("datalekregister", []):
            clock = rules.breach_clock(b, now)
            if clock and clock.state in ("open", "verlopen"):
                pending.append((clock.state != "open", clock.remaining, b.get("id", ""), clock.label))
        pending.sort()
        alerts = [f"⚠ {ident if ident.lower().startswith('datalek') else ('Datalek ' + ident).strip()}: {label}" for _, _, ident, label in pending]
        if len(alerts) > 2:
            alerts = [f"{alerts[0]} · en nog {len(alerts) - 1} datalekken niet gemeld of afgesloten (Overzicht of stap 4)"]
        return alerts

    # -- saving
    @property
    def saving(self) -> bool:
        return self._saving > 0

    def pause_autosave(self) -> None:
        """Nothing saves by itself while a question about unsaved work is open, so 'quit without
        saving' means what it says. Each pause is ended by one ``resume_autosave``."""
        self._holds += 1

    def resume_autosave(self) -> None:
        self._holds = max(0, self._holds - 1)

    @contextlib.contextmanager
    def autosave_paused(self) -> Iterator[None]:
        self.pause_autosave()
        try:
            yield
        finally:
            self.resume_autosave()

    def autosave_due(self) -> bool:
        return self.dirty and self._holds == 0 and not self.saving

    def assign_ids(self) -> int:
        """Records without an id get one (an older file, with the first save of an edit). An
        edit: call it on the thread that edits, before a save in a worker."""
        if not self.dirty:
            return 0
        before = self.workbook.generation
        n = storage.assign_ids(self.workbook)
        if self.workbook.generation != before:
            self._tell(Change(ChangeKind.SET, ()))
        return n

    def save(self, force: bool = False, assign_ids: bool = True) -> bool:
        """Render, verify and write what is there now; one writer at a time (a second save waits
        for the first, then saves what came in meanwhile). Safe in a worker thread when the ids
        were assigned beforehand (``assign_ids=False``). Returns whether anything was written;
        raises storage.SaveConflict / storage.SaveError, and nothing else: a fault while rendering
        becomes a SaveError (the app reports it and keeps the edits; it must never end the app)."""
        if assign_ids:
            self.assign_ids()
        with self._writer:
            if not self.workbook.dirty and not force:
                return False
            self._saving += 1
            try:
                storage.write_prepared(self.workbook, storage.prepare(self.workbook), force=force)
            except storage.SaveError:
                raise
            except Exception as exc:  # a fault in rendering: the file and the edits stay as they are
                raise storage.SaveError(
                    f"{self.workbook.path}: opslaan mislukt door een onverwachte fout bij het opmaken "
                    f"({type(exc).__name__}: {exc}); het bestand is niet veranderd en je wijzigingen staan nog open"
                ) from exc
            finally:
                self._saving -= 1
        self.last_saved = self.now()
        return True

    def wait_for_save(self) -> None:
        """Block until a save that is running has finished (call from a worker)."""
        with self._writer:
            pass

    def save_copy(self, target: Path | str) -> Path:
        with self._writer:
            path = storage.save_copy(self.workbook, target)
        self.last_saved = self.now()
        return path

    # -- another session saved the same file
    def disk_changed(self) -> bool:
        """Cheap: whether the file's size, times or inode differ from what this session last
        read or wrote (the content is compared when it is read)."""
        fp = self.workbook.fingerprint
        try:
            st = storage.os.stat(storage._target(self.path))
        except OSError:
            return False
        return fp is None or (st.st_size, st.st_mtime_ns, st.st_ino) != (fp.size, fp.mtime_ns, fp.inode)

    def read_disk(self) -> DiskVersion | None:
        """Read and parse the file as it is now (safe in a worker: only files and immutable
        text). None when its content is what this session last read or wrote, or it is gone.
        Raises storage.WorkbookError when it is not a readable workbook now."""
        wb = self.workbook
        target = storage._target(wb.path)
        try:
            raw = target.read_bytes()
        except FileNotFoundError:
            return None
        fp = storage.fingerprint(target, raw)
        if wb.fingerprint is not None and fp.sha256 == wb.fingerprint.sha256:
            wb.fingerprint = fp  # touched, not changed
            return None
        text, bom = storage.decode(raw, wb.path)
        base_text = wb.text
        return DiskVersion(text, storage.parse_plain(text, wb.path), bom, fp, base_text, storage.parse_plain(base_text, wb.path))

    def take_in(self, disk: DiskVersion):
        """Merge what is on disk with this session's unsaved edits (the same three-way merge as
        git's driver) and work on with the result. Returns the merge (``incoming``: what came
        in; ``conflicts``: the same field changed on both sides, ours kept for now), or None
        when it is not the moment (a save is writing, or saved since the file was read)."""
        from tui import merge

        if not self._writer.acquire(blocking=False):
            return None
        try:
            if self.workbook.text != disk.base_text:
                return None
            rounds = len(self.cycles)
            result = merge.live_merge_text(self.workbook, disk.text, disk.data, disk.bom, disk.fingerprint, base=disk.base)
            self.workbook = result.workbook
        finally:
            self._writer.release()
        self.cycle_index = min(self.cycle_index, max(0, len(self.cycles) - 1))
        # the screen stays as it is (focus, cursor); every view shows the merged values
        self._tell(Change(ChangeKind.RELOAD if len(self.cycles) != rounds else ChangeKind.SET, ()))
        return result

    def choose_in_conflict(self, conflict, choice: str) -> None:
        """A live conflict settled: 'ons' keeps this session's value, 'hun' takes the disk's."""
        from tui import merge

        merge.choose(self.workbook, conflict, choice)
        self._tell(Change(ChangeKind.SET, ()))

    def open_conflicts(self) -> int:
        """How many ``[[conflicten]]`` wait for a choice (the merge code loads only when some do)."""
        if not self.data.get("conflicten"):
            return 0
        from tui import merge

        return len(merge.conflict_records(self.data))

    def postpone_conflict(self, conflict, who: str) -> None:
        """A live conflict left for later: this session's value stays, the other's is kept beside
        it as a ``[[conflicten]]`` record (check reports it; the app settles it later), so
        neither is lost when this session saves."""
        from tui import merge, presence

        user, host = presence.me()  # a name, not "this session": anyone may settle it later
        merge.record_conflicts(self.workbook, [conflict], f"{user} op {host}", who, self.now())
        self._tell(Change(ChangeKind.SET, ()))

    def reload(self) -> None:
        """Read the file again (what is on disk wins); raises storage.WorkbookError."""
        with self._writer:
            self.workbook = storage.load(self.path)
        self.cycle_index = min(self.cycle_index, max(0, len(self.cycles) - 1))
        self._tell(Change(ChangeKind.RELOAD))
