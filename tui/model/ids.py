"""Stable identities of records, so two versions of a workbook can be compared record by record.

Every list of tables ([[...]]) has a key field: ``nummer`` for a round (``cyclus``), ``id`` for
everything else. A record without an id (a file from before ids, or one typed by hand) gets a
natural one, derived from what it says: its name (``naam``, ``titel``, ``doel``), or for a
measurement the id of its action and its date. The same record in two copies of an old file so
gets the same id, whichever copy assigns it first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from tui.model.schema import load_schema
from tui.model.values import ID_LENGTH, slug

KEY_FIELDS = {"cyclus[]": "nummer"}
NAME_FIELDS = ("naam", "titel", "doel", "datum", "ontdekt")


def key_field(spec_path: str) -> str:
    return KEY_FIELDS.get(spec_path, "id")


def _name_of(record: dict) -> str:
    for key in NAME_FIELDS:
        value = record.get(key)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        if isinstance(value, str) and value.strip():
            return value
    return ""


def natural_id(record: dict, parent_id: str, taken: set[str]) -> str:
    """An id from the record's own words, prefixed with its parent's id for nested records. A
    long parent id is shortened, never the record's own words: a child's id differs from its
    parent's ('verkoop-van-ticketleverancier' below 'verkoop-van-toegangskaarten')."""
    own = slug(_name_of(record) or "item")
    if parent_id:
        own = f"{slug(parent_id, limit=max(ID_LENGTH - len(own) - 1, 12))}-{own}"
    return slug(own, taken, limit=None)


def record_keys(spec_path: str, records: list, parent_id: str = "") -> list | None:
    """The key of every record in one list, natural ids filled in; None when they are not unique
    (or a record has no usable key): such a list can only be compared as a whole."""
    field = key_field(spec_path)
    if not all(isinstance(r, dict) for r in records):
        return None
    explicit = {r[field] for r in records if _has_key(r.get(field))}
    taken = {str(k) for k in explicit}
    keys: list = []
    for r in records:
        value = r.get(field)
        if _has_key(value):
            keys.append(value)
        elif field == "id":
            new = natural_id(r, parent_id, taken)
            taken.add(new)
            keys.append(new)
        else:
            return None
    if len(set(keys)) != len(keys):
        return None
    return keys


def _has_key(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return (isinstance(value, str) and value != "") or isinstance(value, int)


def id_tables() -> list[str]:
    """Spec paths of the lists of records that carry an ``id`` field in the schema."""
    schema = load_schema()
    return [p for p, t in schema.tables.items() if t.many and "id" in t.fields]


def missing_ids(data: dict) -> Iterator[tuple[tuple, str]]:
    """(path of the id, new id) for every record that has none yet, in file order.
    Ids are unique per kind of record in the whole workbook."""
    wanted = set(id_tables())
    schema = load_schema()
    taken: dict[str, set[str]] = {}

    def records(spec: str, node: Any, path: tuple, parent_id: str) -> Iterator[tuple[str, tuple, dict, str]]:
        if not isinstance(node, dict):
            return
        for key, child in schema.children.get(spec, {}).items():
            value = node.get(key)
            if child.endswith("[]"):
                if not isinstance(value, list):
                    continue
                for i, rec in enumerate(value):
                    if isinstance(rec, dict):
                        yield child, path + (key, i), rec, parent_id
                        own = rec.get("id") if isinstance(rec.get("id"), str) and rec.get("id") else ""
                        yield from records(child, rec, path + (key, i), own or parent_id)
            elif isinstance(value, dict):
                yield from records(child, value, path + (key,), parent_id)

    found = list(records("", data, (), ""))
    for spec, _, rec, _ in found:
        if spec in wanted and isinstance(rec.get("id"), str) and rec["id"]:
            taken.setdefault(spec, set()).add(rec["id"])
    assigned: dict[tuple, str] = {}
    for spec, path, rec, parent_id in found:
        if spec not in wanted or rec.get("id", "") != "":
            continue
        # A nested record's parent may itself just have been given an id.
        parent_path = path[:-2]
        parent_id = assigned.get(parent_path, parent_id)
        new = natural_id(rec, parent_id, taken.setdefault(spec, set()))
        taken[spec].add(new)
        assigned[path] = new
        yield path + ("id",), new
