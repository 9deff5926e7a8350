"""Check a workbook's content against the schema and collect every problem at once."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from tui.model.locate import line_index, place
from tui.model.problems import FOUT, HINT, Problem
from tui.model.rules import goal_contradiction
from tui.model.schema import JA_NEE, Schema, format_path, load_schema
from tui.model.values import from_difference

_TYPE_WORDS = {
    "tekst": "tekst tussen aanhalingstekens",
    "lange_tekst": "tekst tussen aanhalingstekens",
    "verwijzing": "een kenmerk (id) tussen aanhalingstekens",
    "datum": "een datum zonder aanhalingstekens, zoals 2024-12-01",
    "tijdstip": "een tijdstip met tijdzone, zoals 2024-12-01T14:30:00+01:00",
    "geheel": "een geheel getal",
    "getal": "een getal",
    "keuze": "een van de toegestane waarden",
    "jn": '"ja", "nee" of ""',
    "waarheid": "true of false",
    "lijst": 'een lijst van teksten, zoals ["a", "b"]',
    "verwijzingen": 'een lijst van kenmerken, zoals ["ticketing"]',
    "waarde": "een waarde",
}


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"de waarheidswaarde {str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"de tekst {shown!r}"
    if isinstance(value, dt.datetime):
        return f"het tijdstip {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"de datum {value.isoformat()}"
    if isinstance(value, dt.time):
        return f"de tijd {value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"het getal {value}"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een tabel"
    return repr(value)


def _check_value(schema: Schema, f, value: Any) -> str | None:
    """Return a message when ``value`` does not fit field ``f``; None when it does."""
    t = f.type
    if t == "waarde":
        return None
    expected = _TYPE_WORDS[t]
    if t in ("tekst", "lange_tekst", "verwijzing"):
        return None if isinstance(value, str) else f"verwacht {expected}, gevonden {describe(value)}"
    if t == "datum":
        if value == "":
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return None
        hint = ""
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
                hint = " (haal de aanhalingstekens weg)"
            except ValueError:
                pass
        return f"verwacht {expected}, gevonden {describe(value)}{hint}"
    if t == "tijdstip":
        if value == "":
            return None
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                return f"tijdzone ontbreekt in {value.isoformat()}: schrijf bv. {value.isoformat()}+01:00"
            return None
        return f"verwacht {expected}, gevonden {describe(value)}"
    if t == "geheel":
        if isinstance(value, int) and not isinstance(value, bool):
            if f.min is not None and value < f.min:
                return f"moet minstens {f.min} zijn, gevonden {value}"
            return None
        return f"verwacht {expected}, gevonden {describe(value)}"
    if t == "getal":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                return f"verwacht een eindig getal, gevonden {value}"
            return None
        return f"verwacht {expected}, gevonden {describe(value)}"
    if t == "keuze":
        if value == "":
            return None
        allowed = schema.choice_values(f.choices)
        if isinstance(value, str) and value in allowed:
            return None
        return f"{describe(value)} is geen toegestane waarde; kies uit: " + ", ".join(f'"{a}"' for a in allowed)
    if t == "jn":
        if value == "" or value in JA_NEE:
            return None
        return f'verwacht "ja", "nee" of "" (nog niet beantwoord), gevonden {describe(value)}'
    if t == "waarheid":
        return None if isinstance(value, bool) else f"verwacht {expected}, gevonden {describe(value)}"
    if t in ("lijst", "verwijzingen"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"verwacht {expected}, gevonden {describe(value)}"
        if f.max is not None and len(value) > f.max:
            return f"hoogstens {f.max} items, gevonden {len(value)}"
        if f.choices:
            allowed = schema.choice_values(f.choices)
            bad = [v for v in value if v not in allowed]
            if bad:
                return f"{', '.join(repr(b) for b in bad)} niet toegestaan; kies uit: " + ", ".join(f'"{a}"' for a in allowed)
        return None
    raise AssertionError(t)


def _conflicts(data: dict) -> list[tuple[tuple, str, str]]:
    """Every unresolved merge conflict is an error until someone chooses."""
    out = []
    records = data.get("conflicten")
    if not isinstance(records, list):
        return out
    for i, c in enumerate(records):
        if not isinstance(c, dict):
            continue
        pad = c.get("pad") if isinstance(c.get("pad"), str) else "?"
        a, b = c.get("ons"), c.get("hun")
        if isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > 40:  # two texts: shown from where they differ
            a, b = from_difference(a, b, 10)
        ours = describe(a) if "ons" in c else "verwijderd"
        theirs = describe(b) if "hun" in c else "verwijderd"
        ours_from = f" (van {c['ons_van']})" if isinstance(c.get("ons_van"), str) and c["ons_van"] else ""
        theirs_from = f" (van {c['hun_van']})" if isinstance(c.get("hun_van"), str) and c["hun_van"] else ""
        out.append((
            ("conflicten", i),
            f"samenvoegconflict bij {pad}: er staat nu{ours_from} {ours}, de andere waarde{theirs_from} is {theirs}. "
            "Kies in de app (Werkboek: conflicten oplossen), of pas de waarde aan en haal dit [[conflicten]]-blok weg",
            FOUT,
        ))
    return out


def _is_empty(value: Any) -> bool:
    return value == "" or value == [] or value is None


def validate(data: dict, text: str | None = None, schema: Schema | None = None) -> list[Problem]:
    """Every content problem of ``data``; ``text`` (the file) adds line numbers when given."""
    schema = schema or load_schema()
    found: list[tuple[tuple, str, str]] = []  # (path, message, severity)
    ids: dict[str, dict[str, tuple]] = {}  # spec path -> id -> first path
    refs: list[tuple[tuple, str, str]] = []  # (path, target spec, id)

    version = data.get("schema")
    if isinstance(version, int) and not isinstance(version, bool) and version > schema.version:
        found.append(
            (("schema",), f"dit werkboek heeft formaatversie {data['schema']}; deze app kent tot en met {schema.version}: werk de app bij", FOUT)
        )

    def visit(spec_path: str, obj: Any, path: tuple) -> None:
        if not isinstance(obj, dict):
            found.append((path, f"verwacht een tabel, gevonden {describe(obj)}", FOUT))
            return
        table = schema.tables.get(spec_path)
        children = schema.children.get(spec_path, {})
        fields = table.fields if table else {}
        for key, f in fields.items():
            value = obj.get(key)
            if value is None or _is_empty(value):
                if f.required:
                    hint = " (zet bovenaan: schema = 1)" if path + (key,) == ("schema",) else ""
                    found.append((path + (key,), f"ontbreekt: {f.nl} (verplicht in een {table.nl.lower()}){hint}", FOUT))
                continue
            msg = _check_value(schema, f, value)
            if msg:
                found.append((path + (key,), msg, FOUT))
                continue
            if f.unique:
                seen = ids.setdefault(spec_path, {})
                if value in seen:
                    found.append((path + (key,), f"kenmerk {value!r} komt al voor bij {format_path(seen[value])}", FOUT))
                else:
                    seen[value] = path
            if f.type == "verwijzing" and value:
                refs.append((path + (key,), f.ref, value))
            elif f.type == "verwijzingen":
                for v in value:
                    refs.append((path + (key,), f.ref, v))
        for key, child in children.items():
            if key not in obj:
                continue
            value = obj[key]
            if child.endswith("[]"):
                if not isinstance(value, list):
                    found.append((path + (key,), f"verwacht een lijst van tabellen ([[...]]), gevonden {describe(value)}", FOUT))
                    continue
                for i, item in enumerate(value):
                    visit(child, item, path + (key, i))
            else:
                visit(child, value, path + (key,))
        for key in obj:
            if key not in fields and key not in children:
                found.append((path + (key,), "onbekende sleutel: wordt bewaard, maar de app gebruikt hem niet", HINT))

    visit("", data, ())
    found.extend(_conflicts(data))

    for c, cycle in enumerate(data.get("cyclus", []) if isinstance(data.get("cyclus"), list) else []):
        actions = cycle.get("acties", []) if isinstance(cycle, dict) else []
        for a, action in enumerate(actions if isinstance(actions, list) else []):
            if not isinstance(action, dict):
                continue
            why = goal_contradiction(action)
            if why:
                found.append((("cyclus", c, "acties", a, "streefwaarde"), f"tegenstrijdig doel: {why}", FOUT))

    for path, target, value in refs:
        if value not in ids.get(target, {}):
            name = schema.tables[target].nl.lower()
            found.append((path, f"verwijst naar {name} {value!r}, die niet bestaat", FOUT))

    index = line_index(text) if text is not None else {}
    problems = [
        Problem(message=msg, path=format_path(path), line=line, col=col, severity=sev)
        for path, msg, sev in found
        for line, col in [place(text, index, path) if text is not None else (None, None)]
    ]
    problems.sort(key=lambda p: (p.severity != FOUT, p.line or 0))
    return problems
