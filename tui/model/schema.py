"""The workbook format, read from ``tui/content/schema.toml`` (the single source of truth)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

TYPES = (
    "tekst",
    "lange_tekst",
    "datum",
    "tijdstip",
    "geheel",
    "getal",
    "keuze",
    "jn",
    "waarheid",
    "lijst",
    "verwijzing",
    "verwijzingen",
    "waarde",  # any TOML value (the two sides of a merge conflict)
)
TEXT_TYPES = ("tekst", "lange_tekst", "verwijzing")
JA_NEE = ("ja", "nee")


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    nl: str
    en: str = ""
    required: bool = False
    unique: bool = False
    choices: str = ""  # name of a [keuzes.*] set
    ref: str = ""  # table path a reference points to
    min: int | None = None
    max: int | None = None
    ordered: bool = False  # a list whose order counts; other lists merge as sets


@dataclass(frozen=True)
class TableSpec:
    path: str  # e.g. "cyclus[].acties[]"
    nl: str
    en: str
    uitleg: str
    fields: dict[str, Field]
    many: bool  # an array of tables

    @property
    def key(self) -> str:
        return split_spec(self.path)[-1][0] if self.path else ""


def split_spec(path: str) -> list[tuple[str, bool]]:
    """'cyclus[].acties[]' -> [('cyclus', True), ('acties', True)]."""
    if not path:
        return []
    out = []
    for part in path.split("."):
        many = part.endswith("[]")
        out.append((part[:-2] if many else part, many))
    return out


@dataclass
class Schema:
    version: int
    choices: dict[str, dict[str, dict]]
    tables: dict[str, TableSpec]
    # parent spec path -> {child key: child spec path}; includes implicit container tables
    children: dict[str, dict[str, str]] = field(default_factory=dict)

    def choice_values(self, name: str) -> tuple[str, ...]:
        return tuple(self.choices[name])

    def choice_label(self, name: str, value: str, lang: str = "nl") -> str:
        entry = self.choices.get(name, {}).get(value)
        return entry.get(lang, value) if entry else value

    def is_many(self, spec_path: str) -> bool:
        return spec_path.endswith("[]")


def _build(raw: dict) -> Schema:
    shapes = raw.get("vormen", {})
    tables: dict[str, TableSpec] = {}
    for path, t in raw["tabellen"].items():
        fields_raw = dict(shapes[t["vorm"]]) if "vorm" in t else {}
        fields_raw.update(t.get("velden", {}))
        fields = {}
        for key, f in fields_raw.items():
            if f["type"] not in TYPES:
                raise ValueError(f"schema.toml: {path}.{key}: unknown type {f['type']!r}")
            fields[key] = Field(
                key=key,
                type=f["type"],
                nl=f["nl"],
                en=f.get("en", ""),
                required=f.get("verplicht", False),
                unique=f.get("uniek", False),
                choices=f.get("keuzes", ""),
                ref=f.get("naar", ""),
                min=f.get("min"),
                max=f.get("max"),
                ordered=f.get("geordend", False),
            )
            if fields[key].choices and fields[key].choices not in raw["keuzes"]:
                raise ValueError(f"schema.toml: {path}.{key}: unknown keuzes {fields[key].choices!r}")
        tables[path] = TableSpec(
            path=path,
            nl=t["nl"],
            en=t.get("en", ""),
            uitleg=t.get("uitleg", ""),
            fields=fields,
            many=path.endswith("[]"),
        )
    schema = Schema(version=raw["schema_versie"], choices=raw["keuzes"], tables=tables)
    # Children, with implicit containers (e.g. "organisatiepunten" holds eight point tables).
    for path in tables:
        parts = path.split(".") if path else []
        for i in range(len(parts)):
            parent = ".".join(parts[:i])
            child = ".".join(parts[: i + 1])
            key = parts[i][:-2] if parts[i].endswith("[]") else parts[i]
            schema.children.setdefault(parent, {})[key] = child
    return schema


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    with open(CONTENT_DIR / "schema.toml", "rb") as fh:
        return _build(tomllib.load(fh))


def field_spec(schema: Schema, spec_path: str, key: str) -> Field | None:
    table = schema.tables.get(spec_path)
    return table.fields.get(key) if table else None


def spec_path_of(path: tuple) -> str:
    """('cyclus', 0, 'acties', 2) -> 'cyclus[].acties[]'."""
    parts: list[str] = []
    for p in path:
        if isinstance(p, int):
            parts[-1] += "[]"
        else:
            parts.append(p)
    return ".".join(parts)


def format_path(path: tuple) -> str:
    """('cyclus', 1, 'acties', 0, 'deadline') -> 'cyclus[2].acties[1].deadline' (counting from 1)."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p + 1}]"
        else:
            out += ("." if out else "") + p
    return out
