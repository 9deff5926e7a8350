"""Presentation mode as data: the slides a facilitator walks a team through, one at a time.

The circle first (the home slide), then the seven hulpvragen and the core question of step 1,
the experience-level questions of step 2 and their outcome, and a SMART check per action of
step 3. Each slide that asks something names the workbook field the team's answer goes into.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.model.guide import HULPVRAGEN, guide
from tui.model.schema import load_schema


@dataclass(frozen=True)
class Slide:
    kind: str  # cirkel | vraag | niveau | smart
    step: str  # vraagstuk | data | actie | "" for the circle
    text: str  # what is shown large: the question
    path: tuple | None = None  # the field the answer is typed into
    note: str = ""  # a line from the guide under the question


def slides(data: dict, cycle: int) -> list[Slide]:
    schema = load_schema()
    g = guide()
    base = ("cyclus", cycle)
    out = [Slide("cirkel", "", g["stappen"]["vraagstuk"]["vragen"])]
    vraagstuk = schema.tables["cyclus[].vraagstuk"].fields
    tip = g["stappen"]["vraagstuk"]["tips"][0]
    for n, key in enumerate(HULPVRAGEN, 1):
        out.append(Slide("vraag", "vraagstuk", vraagstuk[key].nl, base + ("vraagstuk", key), f"Hulpvraag {n} van {len(HULPVRAGEN)} · Tip: {tip}"))
    out.append(Slide("vraag", "vraagstuk", g["stappen"]["vraagstuk"]["kortom"], base + ("vraagstuk", "kernvraag"), g["stappen"]["vraagstuk"]["tips"][1]))
    ervaring = schema.tables["cyclus[].data.ervaring"].fields
    keys = list(g["ervaring"]["vragen"])
    for n, key in enumerate(keys, 1):
        out.append(Slide("vraag", "data", ervaring[key].nl, base + ("data", "ervaring", key), f"{g['ervaring']['vraag']} Vraag {n} van {len(keys)}: ja of nee."))
    out.append(Slide("niveau", "data", g["ervaring"]["vraag"], base + ("data", "ervaring")))
    cycles = data.get("cyclus", [])
    actions = cycles[cycle].get("acties", []) if cycle < len(cycles) else []
    for a, action in enumerate(actions):
        out.append(Slide("smart", "actie", action.get("titel") or action.get("id") or f"Actie {a + 1}", base + ("acties", a, "doel"), g["stappen"]["actie"]["voorbeeld_smart"]))
    return out
