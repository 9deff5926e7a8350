"""Three-way merge of workbooks by meaning, not by line.

BASE is the common earlier version, OURS and THEIRS two later ones. Tables merge key by key,
lists of records ([[...]]) record by record by their stable key (``id``, or ``nummer`` for a
round: see tui/model/ids.py), lists of plain values as sets unless their order counts
(``geordend`` in the schema), everything else by value. Edits to different fields or records
combine; the same field changed both ways to different values is a conflict, and so is a record
deleted on one side and edited on the other.

The result is written into the target's tomlkit document in place (``Workbook.set/append/
delete``), so its comments, key order and unknown keys survive, and saved like any save
(verified, atomic). A conflict leaves a valid workbook: the target keeps its value and the conflict
is recorded as a ``[[conflicten]]`` record, which ``publieksdata check`` reports until someone
chooses (``resolve``).

No Textual here: the command line (a git merge driver) and the app call the same functions.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui import storage
from tui.model.ids import key_field, record_keys
from tui.model.schema import load_schema
from tui.model.values import from_difference
from tui.oserror import reason


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> "_Missing":
        return self

    def __deepcopy__(self, memo: dict) -> "_Missing":
        return self


MISSING: Any = _Missing()  # a key that is not there (deleted, or never written)

CONFLICTS = "conflicten"


# ------------------------------------------------------------------------------------ key paths
# A key path names a value the same way in every version: records by their key, not position.
# ('databronnen', ('id', 'ticketing'), 'eigenaar') <-> databronnen[id="ticketing"].eigenaar

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def format_key_path(path: tuple) -> str:
    out = ""
    for seg in path:
        if isinstance(seg, tuple):
            out += f"[{seg[0]}={json.dumps(seg[1], ensure_ascii=False)}]"
        else:
            name = seg if _BARE.match(seg) else json.dumps(seg, ensure_ascii=False)
            out += ("." if out else "") + name
    return out


_TOKEN = re.compile(r'\s*(?:(?P<dot>\.)|\[(?P<sel>[A-Za-z0-9_-]+)=(?P<val>"(?:[^"\\]|\\.)*"|-?\d+)\]|(?P<bare>[A-Za-z0-9_-]+)|(?P<quoted>"(?:[^"\\]|\\.)*"))')


def parse_key_path(text: str) -> tuple:
    """The inverse of ``format_key_path``; ValueError for text that is not a key path."""
    out: list = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"geen geldig sleutelpad: {text!r} (bij positie {pos + 1})")
        if m.group("sel"):
            out.append((m.group("sel"), json.loads(m.group("val"))))
        elif m.group("bare"):
            out.append(m.group("bare"))
        elif m.group("quoted"):
            out.append(json.loads(m.group("quoted")))
        pos = m.end()
    if not out:
        raise ValueError(f"geen geldig sleutelpad: {text!r}")
    return tuple(out)


def _child_spec(spec: str | None, key: str) -> str | None:
    if spec is None:
        return None
    return load_schema().children.get(spec, {}).get(key)


def describe_key_path(path: tuple, data: dict | None = None) -> str:
    """A key path as a person reads it, in the guide's words: ('cyclus', ('nummer', 1),
    'vraagstuk', 'belangrijk') -> 'ronde 1 · Vraagstuk · Wat is de komende periode belangrijk…';
    a record by its name where ``data`` has it ('Databron ‘Kaartverkoop’ · Eigenaar')."""
    schema = load_schema()
    spec: str | None = ""
    node: Any = data
    parent_key = ""
    parts: list[str] = []
    for seg in path:
        if isinstance(seg, int):  # a position, as check writes it ('cyclus[2]' read back as 1)
            record = node[seg] if isinstance(node, list) and 0 <= seg < len(node) else None
            number = record.get("nummer") if isinstance(record, dict) and spec == "cyclus[]" else None
            seg = ("nummer", number) if number is not None else ("#", seg + 1)
            if seg[0] == "#":
                node = [record] if record is not None else None
        if isinstance(seg, tuple):
            table = schema.tables.get(spec or "")
            name = ""
            if isinstance(node, list) and seg[0] == "#":  # by position: the record itself
                node = node[0] if node else None
                name = next((node.get(k) for k in ("naam", "titel", "doel") if isinstance(node, dict) and isinstance(node.get(k), str) and node.get(k)), "")
            elif isinstance(node, list) and spec is not None:
                keys = record_keys(spec, node, parent_key)
                if keys is not None and seg[1] in keys:
                    node = node[keys.index(seg[1])]
                    name = next((node.get(k) for k in ("naam", "titel", "doel") if isinstance(node, dict) and isinstance(node.get(k), str) and node.get(k)), "")
                else:
                    node = None
            else:
                node = None
            if not name and isinstance(node, dict):
                when = node.get("datum") or node.get("ontdekt")
                name = when.strftime("%d-%m-%Y") if isinstance(when, (dt.date, dt.datetime)) else ""
            if seg[0] == "id":
                parent_key = str(seg[1])
            if spec == "cyclus[]":
                label = f"ronde {seg[1]}"
            else:
                label = f"{table.nl if table else 'record'} ‘{name or seg[1]}’"
            if parts:
                parts[-1] = label
            else:
                parts.append(label)
            continue
        child = _child_spec(spec, seg)
        table = schema.tables.get(spec or "")
        if child is not None:
            child_table = schema.tables.get(child)
            parts.append(child_table.nl if child_table else seg)
        else:
            f = table.fields.get(seg) if table else None
            parts.append(f.nl if f else seg)
        node = node.get(seg) if isinstance(node, dict) else None
        spec = child
    return " · ".join(parts)


def locate(data: dict, path: tuple) -> tuple | None:
    """The position path (keys and list indices) of a key path in ``data``; None when it is not there."""
    node: Any = data
    spec: str | None = ""
    parent_key = ""
    out: list = []
    for seg in path:
        if isinstance(seg, tuple):
            if not isinstance(node, list) or spec is None:
                return None
            keys = record_keys(spec, node, parent_key)
            if keys is None or seg[1] not in keys:
                return None
            i = keys.index(seg[1])
            out.append(i)
            node = node[i]
            if seg[0] == "id":
                parent_key = str(seg[1])
        else:
            if not isinstance(node, dict) or seg not in node:
                return None
            spec = _child_spec(spec, seg)
            out.append(seg)
            node = node[seg]
    return tuple(out)


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Conflict:
    path: tuple  # key path (see format_key_path)
    ours: Any  # MISSING: deleted on our side
    theirs: Any  # MISSING: deleted on their side
    base: Any  # MISSING: not in the base

    @property
    def pad(self) -> str:
        return format_key_path(self.path)


@dataclass(frozen=True)
class Change:
    kind: str  # "nieuw", "gewijzigd", "verwijderd"
    path: tuple

    def format(self) -> str:
        return f"{format_key_path(self.path)} {self.kind}"


@dataclass
class MergeResult:
    conflicts: list[Conflict] = field(default_factory=list)
    incoming: list[Change] = field(default_factory=list)  # what came in from THEIRS
    changed: bool = False  # the target's document was edited

    def summary(self) -> str:
        return summarize(self.incoming)


def summarize(changes: list[Change], limit: int = 6, data: dict | None = None) -> str:
    """The changes as key paths, or (given the workbook's ``data``) in the guide's words."""
    if not changes:
        return "geen wijzigingen"
    shown = "; ".join((f"{describe_key_path(c.path, data)} {c.kind}" if data is not None else c.format()) for c in changes[:limit])
    more = len(changes) - limit
    return shown + (f"; en nog {more}" if more > 0 else "")


def _eq(a: Any, b: Any) -> bool:
    """Equal as TOML values: 1, 1.0 and true are three different values."""
    if a is MISSING or b is MISSING:
        return a is b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_eq(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_eq(x, y) for x, y in zip(a, b))
    return a == b


def _is_records(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, dict) for x in v)


def _is_plain_list(v: Any) -> bool:
    return isinstance(v, list) and not any(isinstance(x, dict) for x in v)


def set_merge(base: list, ours: list, theirs: list) -> list:
    """A list whose order does not count: ours, without what theirs removed, plus what theirs added."""
    removed = [x for x in base if not any(_eq(x, y) for y in theirs)]
    out = [x for x in ours if not any(_eq(x, r) for r in removed)]
    for x in theirs:
        if not any(_eq(x, b) for b in base) and not any(_eq(x, y) for y in out):
            out.append(x)
    return out


# ------------------------------------------------------------------------------------ the merge


class _Merge:
    """Merge OTHER into the TARGET workbook (base: their common ancestor), editing TARGET in place.

    ``keep_target``: in a conflict the target's value stays (git: the target is ours); otherwise
    the other's value is written (live: the target is the file on disk, the other this session).
    ``dry``: only collect the changes, edit nothing."""

    def __init__(self, wb: storage.Workbook | None, *, keep_target: bool = True, target_is_ours: bool = True, dry: bool = False):
        self.wb = wb
        self.keep_target = keep_target
        self.target_is_ours = target_is_ours
        self.dry = dry
        self.conflicts: list[Conflict] = []
        self.taken: list[Change] = []
        self.changed = False
        self.schema = load_schema()

    # -- edits of the target, in place
    def _put(self, docpath: tuple, value: Any) -> None:
        if self.dry:
            return
        if value is MISSING:
            self.wb.delete(docpath)
        else:
            self.wb.set(docpath, copy.deepcopy(value))
        self.changed = True

    def _append(self, docpath: tuple, record: dict) -> None:
        if not self.dry:
            _append(self.wb, docpath, record)
            self.changed = True

    def _delete_records(self, docpath: tuple, indices: list[int]) -> None:
        if self.dry or not indices:
            return
        for i in sorted(indices, reverse=True):
            self.wb.delete(docpath + (i,))
        if not self.wb.get(docpath):
            self.wb.delete(docpath)  # an empty [[list]] cannot be written; absent means the same
        self.changed = True

    def _take(self, idpath: tuple, docpath: tuple, base: Any, value: Any) -> None:
        kind = "nieuw" if base is MISSING else "verwijderd" if value is MISSING else "gewijzigd"
        self.taken.append(Change(kind, idpath))
        self._put(docpath, value)

    def _conflict(self, idpath: tuple, base: Any, target: Any, other: Any) -> None:
        ours, theirs = (target, other) if self.target_is_ours else (other, target)
        self.conflicts.append(Conflict(idpath, copy.deepcopy(ours), copy.deepcopy(theirs), copy.deepcopy(base)))

    # -- walking
    def value(self, spec: str | None, key: str, idpath: tuple, docpath: tuple, b: Any, o: Any, t: Any, parent_key: str) -> None:
        if _eq(o, t) or _eq(b, t):
            return
        child = _child_spec(spec, key)
        if isinstance(o, dict) and isinstance(t, dict):
            self.table(child, idpath, docpath, b if isinstance(b, dict) else {}, o, t, parent_key)
            return
        known = child is not None and child.endswith("[]")
        lists = [v for v in (b, o, t) if v is not MISSING]
        if all(_is_records(v) for v in lists) and any(lists) and (known or (o is not MISSING and t is not MISSING)):
            # an empty list of records is written as no key at all: MISSING is an empty list here
            if self.records(child if known else None, idpath, docpath, b or [], o or [], t or [], parent_key):
                return
        if _eq(b, o):
            self._take(idpath, docpath, b, t)
            return
        table = self.schema.tables.get(spec) if spec is not None else None
        f = table.fields.get(key) if table else None
        if f is not None and f.type in ("lijst", "verwijzingen") and not f.ordered and all(_is_plain_list(v) for v in (o, t)) and (b is MISSING or _is_plain_list(b)):
            merged = set_merge(b or [], o, t)
            if not _eq(merged, o):
                self.taken.append(Change("gewijzigd", idpath))
                self._put(docpath, merged)
            return
        self._conflict(idpath, b, o, t)
        if not self.keep_target:
            self._put(docpath, t)

    def table(self, spec: str | None, idpath: tuple, docpath: tuple, b: dict, o: dict, t: dict, parent_key: str) -> None:
        keys = list(o) + [k for k in t if k not in o]
        for key in keys:
            self.value(spec, key, idpath + (key,), docpath + (key,), b.get(key, MISSING), o.get(key, MISSING), t.get(key, MISSING), parent_key)

    def records(self, spec: str | None, idpath: tuple, docpath: tuple, b: list, o: list, t: list, parent_key: str) -> bool:
        """Merge two lists of records by key; False when they have no unique keys (then they are
        compared as one value)."""
        spec_key = spec if spec is not None else ""
        kb, ko, kt = (record_keys(spec_key, x, parent_key) for x in (b, o, t))
        if kb is None or ko is None or kt is None:
            return False
        kf = key_field(spec_key)
        bmap, tmap = dict(zip(kb, b)), dict(zip(kt, t))
        oset = set(ko)
        deletes: list[int] = []
        for i, (k, rec) in enumerate(zip(ko, o)):
            ip, dp = idpath + ((kf, k),), docpath + (i,)
            own = str(k) if kf == "id" else parent_key
            if k in tmap:
                trec = tmap[k]
                if _eq(rec, trec) or _eq(bmap.get(k, MISSING), trec):
                    continue
                self.table(spec, ip, dp, bmap.get(k, {}), rec, trec, own)
            elif k in bmap:  # deleted on the other side
                if _eq(rec, bmap[k]):
                    self.taken.append(Change("verwijderd", ip))
                    deletes.append(i)
                else:
                    self._conflict(ip, bmap[k], rec, MISSING)
                    if not self.keep_target:
                        deletes.append(i)
        for k, rec in zip(kt, t):
            if k in oset:
                continue
            ip = idpath + ((kf, k),)
            if k in bmap:  # deleted on the target's side
                if not _eq(rec, bmap[k]):
                    self._conflict(ip, bmap[k], MISSING, rec)
                    if not self.keep_target:
                        self._append(docpath, rec)
            else:
                self.taken.append(Change("nieuw", ip))
                self._append(docpath, rec)
        self._delete_records(docpath, deletes)
        return True


def _append(wb: storage.Workbook, path: tuple, record: dict) -> None:
    existing = wb.get(path)
    if not existing:  # a new list is written whole, as [[...]] blocks after the tables before it
        if existing is not None:
            wb.delete(path)  # an empty list is written `key = []`, where no [[...]] can go
        wb.set(path, [copy.deepcopy(record)])
    else:
        wb.append(path, copy.deepcopy(record))


def _conflict_record(c: Conflict, cid: str, ours_label: str, theirs_label: str, now: dt.datetime) -> dict:
    rec: dict = {"id": cid, "pad": c.pad}
    if c.ours is not MISSING:
        rec["ons"] = c.ours
    if c.theirs is not MISSING:
        rec["hun"] = c.theirs
    if c.base is not MISSING:
        rec["basis"] = c.base
    rec["ons_van"] = ours_label
    rec["hun_van"] = theirs_label
    rec["wanneer"] = now.replace(microsecond=0)
    return rec


def _now() -> dt.datetime:
    from tui.model.values import LOCAL_ZONE

    return dt.datetime.now(LOCAL_ZONE)


def merge_into(
    ours: storage.Workbook,
    base: dict,
    theirs: dict,
    *,
    ours_label: str = "ons",
    theirs_label: str = "hun",
    now: dt.datetime | None = None,
    record: bool = True,
) -> MergeResult:
    """Merge THEIRS into OURS (``base``: their common ancestor, plain data as tomllib reads it),
    editing OURS' document in place. Conflicts keep OURS' value and, with ``record``, are written
    as ``[[conflicten]]`` records. Nothing is saved here."""
    m = _Merge(ours)
    snapshot = copy.deepcopy(ours.data)  # positions are those of OURS before any edit
    m.table("", (), (), base, snapshot, theirs, "")
    if record and m.conflicts:
        record_conflicts(ours, m.conflicts, ours_label, theirs_label, now, also_taken=theirs)
        m.changed = True
    return MergeResult(m.conflicts, m.taken, m.changed)


def record_conflicts(wb: storage.Workbook, conflicts: list[Conflict], ours_label: str, theirs_label: str, now: dt.datetime | None = None, also_taken: dict | None = None) -> None:
    """Write ``conflicts`` into ``wb`` as ``[[conflicten]]`` records (OURS' value stays in place),
    for `publieksdata check` to report and the app to settle later."""
    when = now or _now()
    taken = {c.get("id") for side in (wb.data, also_taken or {}) for c in side.get(CONFLICTS, []) if isinstance(c, dict)}
    n = 1
    for c in conflicts:
        while f"conflict-{n}" in taken:
            n += 1
        taken.add(f"conflict-{n}")
        _append(wb, (CONFLICTS,), _conflict_record(c, f"conflict-{n}", ours_label, theirs_label, when))


def changes(base: dict, new: dict) -> list[Change]:
    """What changed from ``base`` to ``new``, record by record and field by field."""
    m = _Merge(None, dry=True)
    m.table("", (), (), base, base, new, "")
    return m.taken


# ------------------------------------------------------------------------------------ files (git)


class MergeInputError(Exception):
    """One of the three versions cannot be read as a workbook; nothing was written."""

    def __init__(self, side: str, error: storage.WorkbookError):
        self.side = side
        self.error = error
        super().__init__(f"{side}: {error}")


def _read(path: Path, side: str) -> tuple[str, dict, bytes]:
    try:
        raw = Path(path).read_bytes()
        text, _ = storage.decode(raw, path)
        if side == "basis" and not text.strip():
            return text, {}, raw  # added on both sides (git gives an empty base): nothing in common
        return text, storage.parse_plain(text, path), raw
    except storage.WorkbookError as exc:
        raise MergeInputError(side, exc) from None
    except OSError as exc:
        raise MergeInputError(side, storage.WorkbookError(path, [storage.Problem(f"kan het bestand niet lezen ({reason(exc)})")])) from None


def merge_files(
    base_path: Path | str,
    ours_path: Path | str,
    theirs_path: Path | str,
    *,
    ours_label: str = "ons",
    theirs_label: str = "hun",
    now: dt.datetime | None = None,
) -> MergeResult:
    """Merge three files; the result is written to OURS (verified and atomic, like any save).

    Raises MergeInputError when a version is not a readable workbook: OURS is then untouched.
    With one side unchanged the result is the other side, byte for byte."""
    lock = storage.lock_path(Path(os.path.realpath(ours_path)))
    had_lock = lock.exists()
    try:
        return _merge_files(base_path, ours_path, theirs_path, ours_label, theirs_label, now)
    finally:
        if not had_lock:  # git's temp files live in the work tree: leave no lock file beside them
            lock.unlink(missing_ok=True)


def _merge_files(base_path, ours_path, theirs_path, ours_label: str, theirs_label: str, now: dt.datetime | None) -> MergeResult:
    base_text, base, _ = _read(Path(base_path), "basis")
    ours_text, ours_data, _ = _read(Path(ours_path), "ons")
    theirs_text, theirs, theirs_raw = _read(Path(theirs_path), "hun")
    if theirs_text == base_text:
        return MergeResult()
    if ours_text == base_text:
        wb = storage.load(ours_path)
        storage.verify(theirs_text, theirs, wb.path)
        storage.write_prepared(wb, storage.Prepared(theirs_text, theirs_raw, wb.generation))
        return MergeResult(incoming=changes(base, theirs), changed=True)
    wb = storage.load(ours_path)
    result = merge_into(wb, base, theirs, ours_label=ours_label, theirs_label=theirs_label, now=now)
    if not result.conflicts:
        # Both sides' comments: where a line merge (git's own) succeeds and reads as exactly
        # what the merge by meaning gives, its text is the result; it keeps every comment and
        # blank line either side added (the merge by meaning writes into OURS' text only)
        text = line_merge(base_text, ours_text, theirs_text)
        if text is not None and text != ours_text:
            try:
                same_data = _eq(storage.parse_plain(text, wb.path), wb.data)
            except storage.WorkbookError:
                same_data = False
            if same_data:
                fresh = storage.load(ours_path)
                payload = storage._payload(fresh, storage.verify(text, wb.data, fresh.path), text, fresh.path)
                storage.write_prepared(fresh, storage.Prepared(text, payload, fresh.generation))
                return MergeResult(conflicts=[], incoming=result.incoming, changed=True)
    if result.changed:
        _save_with_their_comments(wb, base_text, theirs_text)
    return result


def _save_with_their_comments(wb: storage.Workbook, base_text: str, theirs_text: str) -> None:
    """Save the merge by meaning, with the comment lines THEIRS added carried over beside the
    lines they describe (the merge writes into OURS' text, so they would be lost); only when the
    text with them reads back as exactly the same data, otherwise without them."""
    try:
        if wb.dirty:
            storage.assign_ids(wb)
        prepared = storage.prepare(wb)
        text = carry_comments(base_text, theirs_text, prepared.text)
        if text != prepared.text and _eq(storage.parse_plain(text, wb.path), wb.data):
            payload = storage._payload(wb, storage.verify(text, wb.data, wb.path), text, wb.path)
            prepared = storage.Prepared(text, payload, prepared.generation)
    except storage.WorkbookError:
        storage.save(wb)
        return
    except storage.SaveError:
        raise
    except Exception as exc:  # noqa: BLE001 - a save reports, it never crashes
        raise storage.SaveError(f"{wb.path}: opslaan mislukt ({type(exc).__name__}: {exc}); het werkboek is niet veranderd") from None
    storage.write_prepared(wb, prepared)


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def carry_comments(base: str, theirs: str, result: str) -> str:
    """``result`` with the comment lines THEIRS added to BASE, each group put before the line it
    stood before in THEIRS (found by the shortest run of following lines that occurs once in the
    result), after the line it was written under when a blank line follows it, or at the end
    when it ended the file. A group already in the result,
    or without a single place, is left out: never guessed."""
    import difflib

    base_lines, their_lines = base.splitlines(), theirs.splitlines()
    lines = result.splitlines()
    ending = "\n" if result.endswith("\n") else ""
    groups: list[tuple[int, list[str]]] = []  # (index in THEIRS of the group's first line, lines)
    matcher = difflib.SequenceMatcher(None, base_lines, their_lines, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag not in ("insert", "replace"):
            continue
        j = j1
        while j < j2:
            if _is_comment(their_lines[j]):
                start = j
                while j < j2 and _is_comment(their_lines[j]):
                    j += 1
                groups.append((start, their_lines[start:j]))
            else:
                j += 1
    if not groups:
        return result

    def once(run: list[str]) -> int | None:
        n = len(run)
        found = [i for i in range(len(lines) - n + 1) if lines[i : i + n] == run]
        return found[0] if len(found) == 1 else None

    inserts: list[tuple[int, list[str]]] = []
    for start, group in groups:
        if once(group) is not None or any(g in lines for g in group if g.strip() != "#"):
            continue  # already there (OURS added it too, or kept it)
        after = [x for x in their_lines[start + len(group) :] if x.strip() and not _is_comment(x)]
        place = None
        end = start + len(group)
        prev = their_lines[start - 1] if start else ""
        if prev.strip() and not _is_comment(prev) and (end >= len(their_lines) or not their_lines[end].strip()):
            # written right under a line, with a blank line after it: a note on that line
            before = [x for x in their_lines[:start] if x.strip() and not _is_comment(x)]
            for k in range(1, min(len(before), 8) + 1):
                at = once(before[-k:])
                if at is not None:
                    place = at + k
                    break
        for k in range(1, min(len(after), 8) + 1):
            if place is not None:
                break
            at = once(after[:k])
            if at is not None:
                place = at
        if place is None and not after:
            place = len(lines)  # it ended THEIRS: it ends the result
        if place is not None:
            inserts.append((place, group))
    for place, group in sorted(inserts, key=lambda x: x[0], reverse=True):
        lines[place:place] = group
    return "\n".join(lines) + ending


def line_merge(base: str, ours: str, theirs: str) -> str | None:
    """git's line-by-line three-way merge of three texts; None when it has conflicts or git is
    not there (the merge by meaning then stands on its own)."""
    import shutil
    import subprocess
    import tempfile

    git = shutil.which("git")
    if git is None:
        return None
    with tempfile.TemporaryDirectory(prefix="publieksdata-merge-") as folder:
        paths = []
        for name, text in (("ons", ours), ("basis", base), ("hun", theirs)):
            p = Path(folder) / f"{name}.toml"
            p.write_text(text, encoding="utf-8", newline="")
            paths.append(str(p))
        try:
            done = subprocess.run([git, "merge-file", "-p", "-q", *paths], capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
    if done.returncode != 0:
        return None
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None


# ------------------------------------------------------------------------------------ choosing


def apply_value(wb: storage.Workbook, path: tuple, value: Any) -> None:
    """Write ``value`` (MISSING: remove) at key path ``path`` of ``wb``, in place."""
    where = locate(wb.data, path)
    if where is not None:
        if value is MISSING:
            *parent, last = where
            wb.delete(where)
            if isinstance(last, int) and not wb.get(tuple(parent)):
                wb.delete(tuple(parent))
        else:
            wb.set(where, copy.deepcopy(value))
        return
    if value is MISSING:
        return
    if isinstance(path[-1], tuple):  # a whole record that is not there: add it to its list
        array = path[:-1]
        where = locate(wb.data, array)
        if where is None:
            outer = locate(wb.data, array[:-1])
            if outer is None:
                raise KeyError(format_key_path(path))
            where = outer + (array[-1],)
        _append(wb, where, value)
        return
    parent = locate(wb.data, path[:-1])
    if parent is None:
        if any(isinstance(seg, tuple) for seg in path):
            raise KeyError(format_key_path(path))
        parent = path[:-1]  # plain tables: set creates what is missing
    wb.set(parent + (path[-1],), copy.deepcopy(value))


def conflict_records(data: dict) -> list[dict]:
    records = data.get(CONFLICTS)
    return [c for c in records if isinstance(c, dict)] if isinstance(records, list) else []


def resolve(wb: storage.Workbook, index: int, choice: str) -> None:
    """Settle the ``index``-th ``[[conflicten]]`` record: "ons" keeps the value that is there,
    "hun" writes the other side's value; either way the record is removed."""
    if choice not in ("ons", "hun"):
        raise ValueError(choice)
    rec = wb.data[CONFLICTS][index]
    if choice == "hun":
        apply_value(wb, parse_key_path(rec["pad"]), rec.get("hun", MISSING))
    wb.delete((CONFLICTS, index))
    if not wb.data.get(CONFLICTS):
        wb.delete((CONFLICTS,))


def resolve_by_id(wb: storage.Workbook, conflict_id: str, choice: str) -> None:
    """``resolve`` for the ``[[conflicten]]`` record with this id (positions shift as records go)."""
    for i, rec in enumerate(conflict_records(wb.data)):
        if rec.get("id") == conflict_id:
            resolve(wb, i, choice)
            return
    raise KeyError(conflict_id)


def show_value(value: Any, limit: int = 200) -> str:
    """A value as a person reads it (for the resolve screen); MISSING reads as removed."""
    if value is MISSING:
        return "(verwijderd)"
    if isinstance(value, str):
        text = value if value else '(leeg: "")'
    elif isinstance(value, bool):
        text = "ja (true)" if value else "nee (false)"
    elif isinstance(value, dt.datetime):
        text = value.isoformat()
    elif isinstance(value, dt.date):
        text = value.strftime("%d-%m-%Y")
    elif isinstance(value, dict):
        text = "; ".join(f"{k} = {show_value(v, limit)}" for k, v in value.items() if not isinstance(v, (dict, list)) or v)
    elif isinstance(value, list):
        text = ", ".join(show_value(v, limit) for v in value) if value else "(lege lijst)"
    else:
        text = str(value).replace(".", ",") if isinstance(value, float) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_pair(ours: Any, theirs: Any, limit: int = 200) -> tuple[str, str]:
    """Two values as a person compares them: long texts that begin alike are shown from a little
    before where they differ (cut at the end, both looked the same)."""
    a, b = show_value(ours, 10**9), show_value(theirs, 10**9)
    if len(a) <= limit and len(b) <= limit:
        return a, b
    a, b = from_difference(a, b, 40)
    return (a if len(a) <= limit else a[: limit - 1] + "…"), (b if len(b) <= limit else b[: limit - 1] + "…")


# ------------------------------------------------------------------------------------ live, between sessions


@dataclass
class LiveMerge:
    """The file on disk changed while this session had unsaved edits: the merge of both.

    ``workbook`` is the file as it is now (its text, comments and fingerprint) with this session's
    edits applied in place; saving it overwrites nothing that was not merged. ``conflicts``: the
    same field changed here and on disk; this session's value (``ours``) is in ``workbook``, the
    disk's is ``theirs`` (``choose`` takes it). ``incoming``: what changed on disk."""

    workbook: storage.Workbook
    conflicts: list[Conflict]
    incoming: list[Change]

    def summary(self) -> str:
        """What came in, in the guide's words ('Databron ‘CRM’ nieuw'), for the person at the screen."""
        return summarize(self.incoming, data=self.workbook.data)


def live_merge(wb: storage.Workbook) -> LiveMerge | None:
    """Merge what another session saved into ``wb``'s file with ``wb``'s own unsaved edits.

    base = ``wb.text`` (the text last loaded or saved), ours = ``wb.data`` (the edits in memory),
    theirs = the file now. None when the file is as ``wb`` last read or wrote it, or is gone (a
    save then reports that). Raises storage.WorkbookError when the file is not readable now (a
    text editor half-way): try again later; ``wb`` is untouched either way. Plain file work: run
    it in a worker, then swap the workbook in on the UI thread if ``wb.generation`` did not move."""
    target = Path(os.path.realpath(wb.path))
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return None
    fp = storage.fingerprint(target, raw)
    if wb.fingerprint is not None and fp.sha256 == wb.fingerprint.sha256:
        return None
    text, bom = storage.decode(raw, wb.path)
    theirs = storage.parse_plain(text, wb.path)
    return live_merge_text(wb, text, theirs, bom, fp)


def live_merge_text(wb: storage.Workbook, text: str, theirs: dict, bom: bool = False, fp: storage.Fingerprint | None = None, base: dict | None = None) -> LiveMerge:
    """``live_merge`` with the file's current text given (``theirs``: that text parsed; ``base``:
    ``wb.text`` parsed, when the caller parsed it already, e.g. in a worker)."""
    if base is None:
        base = storage.parse_plain(wb.text, wb.path)
    ours = copy.deepcopy(wb.data)
    new = storage.Workbook(wb.path, text, copy.deepcopy(theirs), bom, fp)
    m = _Merge(new, keep_target=False, target_is_ours=False)
    m.table("", (), (), base, copy.deepcopy(theirs), ours, "")
    if not m.changed:  # nothing of ours to add: what is on disk is what we have
        new.saved_generation = new.generation
    return LiveMerge(new, m.conflicts, changes(base, theirs))


def choose(wb: storage.Workbook, conflict: Conflict, choice: str) -> None:
    """Settle a live conflict: "ons" keeps this session's value (already in ``wb``), "hun" writes
    the value from disk."""
    if choice not in ("ons", "hun"):
        raise ValueError(choice)
    if choice == "hun":
        apply_value(wb, conflict.path, conflict.theirs)
