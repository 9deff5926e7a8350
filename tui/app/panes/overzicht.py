"""The overview: the four-step circle and the cycles so far."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.widgets import Static

from tui.app.panes.base import StepPane
from tui.model import rules
from tui.model.guide import guide
from tui.model.schema import load_schema

ORDER = ("vraagstuk", "data", "actie", "implementatie")


def circle(current: str) -> str:
    """The circular plan as text, the current step marked (by a word and brackets, not colour alone)."""
    g = guide()["stappen"]
    cells = []
    for key in ORDER:
        label = f"{g[key]['nummer']} {g[key]['titel']}"
        cells.append(f"[reverse b]▶ {label} ◀[/]" if key == current else f"  {label}  ")
    return (
        f"        {cells[0]}\n"
        f"     ↗              ↘\n"
        f"{cells[3]}      {cells[1]}\n"
        f"     ↖              ↙\n"
        f"        {cells[2]}"
    )


class OverzichtPane(StepPane):
    step = ""

    def compose_form(self) -> ComposeResult:
        yield Static("[b]Circulair stappenplan: aan de slag met publieksdata[/b]", markup=True)
        yield Static("", id="circle")
        yield Static("", id="cycles")

    def depends_on(self, path: tuple) -> bool:
        return path[:1] == ("cyclus",)

    def update_view(self) -> None:
        cycle = self.get(*self.cycle_path, default={}) or {}
        self.query_one("#circle", Static).update(circle(cycle.get("huidige_stap") or "vraagstuk"))
        schema = load_schema()
        lines = ["[b]Rondes[/b]"]
        for c in self.get("cyclus", default=[]) or []:
            start = f"{c['start']:%d-%m-%Y}" if isinstance(c.get("start"), dt.date) else "geen startdatum"
            level = rules.experience_level(c.get("data", {}).get("ervaring")).naam
            step = schema.choice_label("stap", c.get("huidige_stap", "")) if c.get("huidige_stap") else "—"
            kern = c.get("vraagstuk", {}).get("kernvraag", "") or "(nog geen vraagstuk)"
            lines.append(f"Ronde {c.get('nummer')} · {start} · {step} · {level}\n   {kern}")
        self.query_one("#cycles", Static).update("\n".join(lines))
