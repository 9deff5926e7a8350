"""Write docs/werkboek-formaat.md from the schema: `python -m tui.formatdoc > docs/werkboek-formaat.md`."""

from __future__ import annotations

import sys

from tui.model.schema import load_schema

TYPE_TEXT = {
    "tekst": "tekst",
    "lange_tekst": "tekst, meerdere regels",
    "datum": "datum (`2024-12-01`)",
    "tijdstip": "tijdstip met tijdzone (`2024-12-01T14:30:00+01:00`)",
    "geheel": "geheel getal",
    "getal": "getal",
    "keuze": "keuze",
    "jn": '`"ja"`, `"nee"` of `""`',
    "waarheid": "`true` of `false`",
    "lijst": "lijst van teksten",
    "verwijzing": "kenmerk (id)",
    "verwijzingen": "lijst van kenmerken (id's)",
    "waarde": "elke waarde",
}

INTRO = """# Het werkboekformaat

*Generated from `tui/content/schema.toml` by `python -m tui.formatdoc`; a test keeps it in sync.*

One UTF-8 TOML file per institution. Keys are Dutch, as in the guide. `publieksdata check PATH`
checks a file against this description and reports every problem at once, as
`PATH:LINE:COL: key.path: message`; numbers in key paths count from 1 (`cyclus[2]` is the second
cycle). It exits 0 when the file is valid, 1 for content problems and 2 when the file cannot be read
as TOML at all (invalid UTF-8, a syntax error, an empty file). Hints and deadline warnings never
make it fail.

General rules:

- An empty text (`""`), an empty list and a missing key all mean *not filled in yet*. Only keys
  marked **verplicht** must be filled in, in a record that exists (a data source needs a name).
- A date is written without quotes: `2024-12-01`. A date with time needs its time zone:
  `2024-05-02T09:30:00+02:00` (the 72-hour clock of a data breach starts there).
- Keys and tables this description does not know are kept and written back untouched; `check`
  mentions them as a hint, which catches typos such as `deadlien`.
- `[x]` is a table, `[[x]]` a list of tables (add one block per record).
- Every record in a list of tables has a stable key: a round (`[[cyclus]]`) its `nummer`, every
  other record its `id`. `publieksdata merge` (the git merge driver) matches records by that key.
  A record without an `id` (from an older file) gets one with the next save, made from its name
  (a measurement: the action's id and its date, e.g. `r1-a1-2024-03-01`); only that line is added.
- Lists of plain values merge as sets, except where the order counts (marked *order counts*).
  A value changed differently on both sides is kept as ours and recorded in `[[conflicten]]`;
  `check` reports every conflict as an error until it is resolved.
- A UTF-8 byte order mark is accepted and kept; any other encoding is refused, never guessed.
- The app writes a file atomically and never over a version that changed on disk since it read
  it. While saving it holds a lock file `.NAAM.toml.lock` beside the workbook (safe to ignore in
  git).

"""


def render() -> str:
    schema = load_schema()
    out = [INTRO]
    out.append(f"Current format version: `schema = {schema.version}`.\n\n## Tables\n")
    for t in schema.tables.values():
        header = t.path.replace("[]", "")
        shown = "(top level)" if not t.path else (f"`[[{header}]]`" if t.many else f"`[{header}]`")
        out.append(f"\n### {shown} — {t.nl}\n\n{t.uitleg}\n\n")
        if not t.fields:
            continue
        out.append("| key | type | allowed values | meaning |\n|---|---|---|---|\n")
        for f in t.fields.values():
            allowed = ""
            if f.choices:
                allowed = ", ".join(f"`{v}`" for v in schema.choice_values(f.choices))
            elif f.ref:
                allowed = f"an `id` from `{f.ref.replace('[]', '')}`"
            limits = []
            if f.min is not None:
                limits.append(f"at least {f.min}")
            if f.max is not None:
                limits.append(f"at most {f.max} items")
            if limits:
                allowed = "; ".join(filter(None, [allowed, *limits]))
            flags = []
            if f.required:
                flags.append("**verplicht**")
            if f.unique:
                flags.append("unique")
            if f.ordered:
                flags.append("order counts")
            meaning = f.nl + (f" ({', '.join(flags)})" if flags else "")
            out.append(f"| `{f.key}` | {TYPE_TEXT[f.type]} | {allowed} | {meaning} |\n")
    out.append("\n## Allowed values\n")
    for name, values in schema.choices.items():
        out.append(f"\n**{name}**: " + "; ".join(f"`{k}` ({v['nl']})" for k, v in values.items()) + "\n")
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(render())
