"""Presentation mode as data: the slides a facilitator walks a team through, one at a time.

The circle first (the home slide); then step 1: the seven hulpvragen, the focus area and its
example topics, the topic, 5x waarom and the core question; step 2: the experience-level
questions and their outcome, and each data source of the round with its hygiene and usefulness;
step 3: a SMART check per action; and a closing slide with the round's summary. Each slide that
asks something names the workbook field the team's answer goes into. What a slide shows is
computed here from the workbook data, so the screen only draws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui.model import rules
from tui.model.guide import HULPVRAGEN, guide
from tui.model.schema import load_schema, spec_path_of
from tui.model.smart import smart_check
from tui.model.values import format_value


@dataclass(frozen=True)
class Slide:
    kind: str  # cirkel | vraag | focus | waarom | niveau | bron | smart | samenvatting
    step: str  # vraagstuk | data | actie | "" for the circle and the summary
    text: str  # what is shown large: the question, the source's or the action's name
    path: tuple | None = None  # the field the answer is typed into
    note: str = ""  # a line from the guide under the question
    position: str = ""  # where in the walk: "Hulpvraag 3 van 7"
    record: tuple | None = None  # the source or action the slide is about


def _labels() -> dict:
    return guide()["presentatie"]


def _count(label: str, n: int, total: int) -> str:
    return f"{label} {n} {_labels()['van']} {total}"


def chosen_sources(data: dict, cycle: int) -> tuple[list[int], bool]:
    """Indexes into ``databronnen`` of the sources this round uses, and whether the round chose
    them (when it chose none, every source is shown)."""
    sources = data.get("databronnen", [])
    cycles = data.get("cyclus", [])
    ids = (cycles[cycle].get("data", {}).get("bronnen") or []) if cycle < len(cycles) else []
    chosen = [i for i, s in enumerate(sources) if s.get("id") in ids]
    return (chosen, True) if chosen else (list(range(len(sources))), False)


def slides(data: dict, cycle: int) -> list[Slide]:
    schema = load_schema()
    g = guide()
    p = _labels()
    base = ("cyclus", cycle)
    step1 = g["stappen"]["vraagstuk"]
    out = [Slide("cirkel", "", step1["vragen"])]

    vraagstuk = schema.tables["cyclus[].vraagstuk"].fields
    tip = step1["tips"][0]
    for n, key in enumerate(HULPVRAGEN, 1):
        out.append(Slide("vraag", "vraagstuk", vraagstuk[key].nl, base + ("vraagstuk", key), f"Tip: {tip}", _count(p["hulpvraag"], n, len(HULPVRAGEN))))
    out.append(Slide("focus", "vraagstuk", p["focus_vraag"], base + ("vraagstuk", "focus"), step1["tips"][2], p["focus"]))
    out.append(Slide("vraag", "vraagstuk", vraagstuk["onderwerp"].nl, base + ("vraagstuk", "onderwerp"), step1["klein_beginnen"], p["onderwerp"]))
    out.append(Slide("waarom", "vraagstuk", vraagstuk["waarom"].nl, base + ("vraagstuk", "waarom"), step1["tips"][1], p["waarom"]))
    out.append(Slide("vraag", "vraagstuk", step1["kortom"], base + ("vraagstuk", "kernvraag"), step1["tips"][1], p["kernvraag"]))

    ervaring = schema.tables["cyclus[].data.ervaring"].fields
    keys = list(g["ervaring"]["vragen"])
    for n, key in enumerate(keys, 1):
        out.append(Slide("vraag", "data", ervaring[key].nl, base + ("data", "ervaring", key), f"{g['ervaring']['vraag']} Ja of nee.", _count(p["ervaringsvraag"], n, len(keys))))
    out.append(Slide("niveau", "data", g["ervaring"]["vraag"], base + ("data", "ervaring"), position=p["niveau"]))

    sources = data.get("databronnen", [])
    shown, chosen = chosen_sources(data, cycle)
    for n, i in enumerate(shown, 1):
        out.append(Slide("bron", "data", sources[i].get("naam") or sources[i].get("id") or "", None, "" if chosen else p["geen_bronnen"], _count(p["databron"], n, len(shown)), ("databronnen", i)))

    cycles = data.get("cyclus", [])
    actions = cycles[cycle].get("acties", []) if cycle < len(cycles) else []
    for a, action in enumerate(actions):
        title = action.get("titel") or action.get("id") or f"{p['actie']} {a + 1}"
        out.append(Slide("smart", "actie", title, base + ("acties", a, "doel"), f"{p['voorbeeld']}: {g['stappen']['actie']['voorbeeld_smart']}", _count(p["actie"], a + 1, len(actions)), base + ("acties", a)))

    number = cycles[cycle].get("nummer", cycle + 1) if cycle < len(cycles) else cycle + 1
    out.append(Slide("samenvatting", "", f"{p['samenvatting_titel']} {number}", None, p["exporteren"], p["samenvatting"]))
    return out


def _get(data: dict, path: tuple | None):
    node = data
    for part in path or ():
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


_STORED = object()


def answer_text(data: dict, slide: Slide, value=_STORED) -> str:
    """The answer on a question slide as a person reads it (a choice by its label): the one in
    ``data``, or ``value`` as it is being typed."""
    if slide.path is None:
        return ""
    if value is _STORED:
        value = _get(data, slide.path)
    f = load_schema().tables[spec_path_of(slide.path[:-1])].fields[slide.path[-1]]
    if f.type == "keuze" and value:
        return load_schema().choice_label(f.choices, value)
    if f.type == "lijst" and slide.kind == "waarom":
        return waarom_text(value or [])
    return format_value(f.type, value)


def waarom_text(answers: list[str]) -> str:
    """The 5x waarom chain: one numbered line per answer."""
    return "\n".join(f"{n}. {a}" for n, a in enumerate(answers, 1) if a)


def focus_examples(focus: str | None) -> list[str]:
    """The guide's example topics for a focus area (none before a focus is chosen)."""
    return list(guide()["focus"].get(focus or "", {}).get("voorbeelden", []))


@dataclass(frozen=True)
class Check:
    mark: str  # ✓ ✗ ? : never colour alone
    state: str  # ok | nee | open
    label: str
    text: str
    short: str = ""  # the verdict without the advice, for a small screen


def source_checks(data: dict, cycle: int, index: int) -> list[Check]:
    """A data source's hygiene (relevant, actualiteit, bruikbaarheid) and its usefulness for the
    round's focus, one line each."""
    source = data.get("databronnen", [])[index]
    g = guide()
    out = []
    for key, info in g["hygiene"].items():
        answer = source.get(key, "")
        note = source.get(f"{key}_notitie", "")
        state = {"ja": "ok", "nee": "nee"}.get(answer, "open")
        text = (answer or _labels()["geen"]) + (f": {note}" if note else "")
        out.append(Check({"ok": "✓", "nee": "✗", "open": "?"}[state], state, info["naam"], text))
    cycles = data.get("cyclus", [])
    focus = (cycles[cycle].get("vraagstuk", {}).get("focus") or "") if cycle < len(cycles) else ""
    verdict = rules.usefulness(focus, source.get("anonimiteit", ""))
    state = {"zeer": "ok", "weinig": "nee"}.get(verdict or "", "open")
    label = g["bruikbaarheid"][verdict] if verdict else _labels()["bruikbaarheid"]
    text = rules.usefulness_text(focus, source.get("anonimiteit", ""))
    if verdict:
        schema = load_schema()
        text = f"{schema.choice_label('focus', focus)}, {schema.choice_label('anonimiteit', source.get('anonimiteit', ''))}"
    out.append(Check({"ok": "✓", "nee": "✗", "open": "?"}[state], state, label, text))
    return out


def smart_letters(action: dict, today=None) -> list[Check]:
    """All five letters of the SMART check (on ``today``: a passed deadline), each with a symbol
    and what the check saw."""
    out = []
    for letter in smart_check(action, today):
        mark = {"ok": "✓", "ontbreekt": "✗", "vaag": "~", "verstreken": "!", "tegenstrijdig": "✗"}.get(letter.state, "?")
        text = letter.why + (f". {letter.suggestion}" if letter.suggestion else "")
        out.append(Check(mark, letter.state, f"{letter.letter} {letter.name}", text, letter.why))
    return out


def action_status(data: dict, cycle: int, action: dict, today: dt.date) -> rules.ActionStatus:
    """The action's one status (as step 3, the timeline and the export show it)."""
    cycles = data.get("cyclus", [])
    start = cycles[cycle].get("start") if cycle < len(cycles) else None
    return rules.action_status(action, today, start if isinstance(start, dt.date) else None)


def summary(data: dict, cycle: int, today: dt.date) -> list[tuple[str, str]]:
    """The closing slide: core question, experience level, chosen sources, actions with their
    deadlines and where they stand."""
    p = _labels()
    cycles = data.get("cyclus", [])
    c = cycles[cycle] if cycle < len(cycles) else {}
    level = rules.experience_level(c.get("data", {}).get("ervaring"))
    sources = data.get("databronnen", [])
    ids = c.get("data", {}).get("bronnen") or []
    names = [s.get("naam") or s.get("id", "") for s in sources if s.get("id") in ids]
    actions = []
    for a in c.get("acties", []):
        deadline = a.get("deadline")
        status = action_status(data, cycle, a, today).inline
        when = f" ({p['deadline']} {deadline:%d-%m-%Y} · {status})" if isinstance(deadline, dt.date) else f" ({status})"
        actions.append(f"{a.get('titel') or a.get('id', '')}{when}")
    return [
        (p["kernvraag"], c.get("vraagstuk", {}).get("kernvraag") or p["geen"]),
        (p["niveau"], level.naam),
        (p["bronnen"], "; ".join(names) or p["geen"]),
        (p["acties"], "\n".join(actions) or p["geen"]),
    ]
