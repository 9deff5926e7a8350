"""The guide's text for one part of the workbook, as Markdown: what F1 shows."""

from __future__ import annotations

from tui.model.guide import HULPVRAGEN, guide
from tui.model.schema import load_schema

STEP_OF_TABLE = {
    "cyclus[].vraagstuk": "vraagstuk",
    "cyclus[].data": "data",
    "cyclus[].data.ervaring": "data",
    "databronnen[]": "data",
    "cyclus[].acties[]": "actie",
    "cyclus[].acties[].ab": "actie",
    "cyclus[].acties[].evaluaties[]": "actie",
    "cyclus[].implementatie": "implementatie",
    "kennis": "implementatie",
    "systemen[]": "implementatie",
    "verwerkingsregister[]": "implementatie",
    "verwerkingsregister[].doelen[]": "implementatie",
    "verwerkingsregister[].verwerkers[]": "implementatie",
    "datalekregister[]": "implementatie",
}


def step_of(spec_path: str) -> str | None:
    if spec_path in STEP_OF_TABLE:
        return STEP_OF_TABLE[spec_path]
    if spec_path.startswith(("organisatiepunten.", "avg.")):
        return "implementatie"
    return None


def step_markdown(step: str) -> str:
    s = guide()["stappen"][step]
    parts = [f"## {s['nummer']} {s['titel']}", f"**{s['opdracht']}** {s['vragen']}", s["uitleg"]]
    for extra in ("klein_beginnen", "beschikbare_data", "data_selecteren", "bijstellen", "organisatorisch", "regelgeving", "kennis", "kennis_actie", "techniek"):
        if extra in s:
            parts.append(s[extra])
    if step == "actie":
        parts.append(f"**Voorbeeld.** Breed geformuleerd: {s['voorbeeld_breed']}  \nSmart geformuleerd: {s['voorbeeld_smart']}")
    for tip in s.get("tips", []):
        parts.append(f"> **Tip** {tip}")
    return "\n\n".join(parts)


def _guide_text(ref: str) -> str:
    """A text of the guide by its dotted place in tui/content/gids.toml ("stappen.vraagstuk.tips.1")."""
    node = guide()
    for part in ref.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


# The guide's own paragraph for a field: where in gids.toml it stands.
FIELD_PARAGRAPHS = {
    ("cyclus[].vraagstuk", "belangrijk"): ["stappen.vraagstuk.tips.0"],
    ("cyclus[].vraagstuk", "waarom"): ["stappen.vraagstuk.tips.1"],
    ("cyclus[].vraagstuk", "focus"): ["stappen.vraagstuk.tips.2", "stappen.vraagstuk.klein_beginnen"],
    ("cyclus[].vraagstuk", "onderwerp"): ["stappen.vraagstuk.klein_beginnen"],
    # the guide's "Kortom" is the question itself (the title): the whys lead to it
    ("cyclus[].vraagstuk", "kernvraag"): ["stappen.vraagstuk.tips.1"],
    ("cyclus[].data", "bronnen"): ["stappen.data.beschikbare_data", "stappen.data.data_selecteren"],
    ("databronnen[]", "relevant"): ["hygiene.relevant.vraag"],
    ("databronnen[]", "actualiteit"): ["hygiene.actualiteit.vraag"],
    ("databronnen[]", "bruikbaarheid"): ["hygiene.bruikbaarheid.vraag"],
    ("databronnen[]", "herkomst"): ["bruikbaarheid.vraag_herkomst"],
    ("databronnen[]", "anonimiteit"): ["bruikbaarheid.vraag_anonimiteit"],
    ("cyclus[].acties[]", "doel"): ["stappen.actie.uitleg"],
    ("cyclus[].acties[]", "bijstelling"): ["stappen.actie.bijstellen"],
    ("cyclus[].acties[].evaluaties[]", "bijstelling"): ["stappen.actie.bijstellen"],
}


def hulpvragen_paragraph(key: str) -> str:
    """Step 1's seven hulpvragen stand in the guide as one list: the field's question marked in it."""
    fields = load_schema().tables["cyclus[].vraagstuk"].fields
    lines = [f"**Hulpvraag {HULPVRAGEN.index(key) + 1} van {len(HULPVRAGEN)}.** {guide()['stappen']['vraagstuk']['hulpvragen']}:"]
    lines += [f"- **{fields[k].nl}** ◀" if k == key else f"- {fields[k].nl}" for k in HULPVRAGEN]
    return "\n".join(lines)


def field_paragraphs(spec_path: str, key: str | None) -> list[str]:
    """The guide's own text for a field, most specific first."""
    out = []
    for ref in FIELD_PARAGRAPHS.get((spec_path, key or ""), []):
        try:
            out.append(_guide_text(ref))
        except (KeyError, IndexError):
            continue
    if spec_path == "cyclus[].vraagstuk" and key in HULPVRAGEN:
        out.append(hulpvragen_paragraph(key))
    if spec_path == "cyclus[].data.ervaring":
        out.append(guide()["ervaring"]["vraag"])
    return out


def _plain(text: str) -> str:
    """Text without Markdown emphasis and with single spaces, lower case: to see a repeat."""
    return " ".join(text.replace("**", "").split()).lower().rstrip("?.")


def field_help(spec_path: str, key: str | None) -> tuple[str, str]:
    """(title, markdown) for a field; with key None, for the table or step itself."""
    schema = load_schema()
    g = guide()
    table = schema.tables.get(spec_path)
    parts: list[str] = []
    title = table.nl if table else "Publieksdata werkboek"
    if table and key and key in table.fields:
        f = table.fields[key]
        title = f.nl  # the question itself, wrapped in the title (a heading would be cut at 80 columns)
        parts.extend(p for p in field_paragraphs(spec_path, key) if _plain(p) != _plain(title))
        if f.choices:
            parts.append("Kies uit: " + ", ".join(schema.choice_label(f.choices, v) for v in schema.choice_values(f.choices)) + ".")
    step = step_of(spec_path)
    if table and table.uitleg and not (step and _plain(table.uitleg) in _plain(step_markdown(step))):
        parts.append(table.uitleg)  # not when the step's text below says it already
    if spec_path == "cyclus[].vraagstuk" and key in ("focus", "onderwerp"):
        for fk in schema.choice_values("focus"):
            examples = g["focus"][fk]["voorbeelden"]
            parts.append(f"- **{schema.choice_label('focus', fk)}**: {', '.join(examples)}")
    if spec_path == "cyclus[].data.ervaring":
        for level in ("startend", "lerend"):
            lv = g["ervaring"]["niveaus"][level]
            parts.append(f"**{lv['naam']}** ({lv['kenmerk']}) {lv['advies']}")
    if spec_path == "databronnen[]":
        for hk, h in g["hygiene"].items():
            parts.append(f"**{h['naam']}**: {h['vraag']}")
        b = g["bruikbaarheid"]
        parts.append(f"**{b['vraag_herkomst']}** " + "; ".join(f"{k}: {v['toegang']} ({v['voorbeelden']})" for k, v in b["herkomst"].items()))
        parts.append(f"**{b['vraag_anonimiteit']}** " + "; ".join(
            f"{schema.choice_label('focus', fk)}: anoniem — {b[row['anoniem']]}, gepersonaliseerd — {b[row['gepersonaliseerd']]}"
            for fk, row in b["matrix"].items()
        ) + ". " + b["niet_in_matrix"])
    if step:
        parts.append(step_markdown(step))
        for bp in g["best_practices"]:
            if bp["stap"] == step:
                parts.append(f"**Best practice: {bp['naam']}**\n\n{bp['tekst']}")
    return title, "\n\n".join(parts)
