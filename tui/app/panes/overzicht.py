"""The overview: the four-step circle, the cycle timeline and the cycles so far."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from tui.app.panes.base import StepPane
from tui.app.timeline import Timeline
from tui.model import rules
from tui.model import timeline as tl
from tui.model.guide import STEPS, guide
from tui.model.schema import load_schema



def circle(current: str) -> str:
    """The circular plan as text, the current step marked (by a word and brackets, not colour alone)."""
    g = guide()["stappen"]
    cells = []
    for key in STEPS:
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
        yield Static("", id="timeline-title")
        yield Timeline(id="timeline")
        yield Static("[b]Circulair stappenplan: aan de slag met publieksdata[/b]", markup=True, id="circle-title")
        yield Static("", id="circle")
        yield Static("", id="cycles")

    def depends_on(self, path: tuple) -> bool:
        return path[:1] in (("cyclus",), ("datalekregister",))

    def update_view(self) -> None:
        data = self.wapp.workbook.data
        cycle = self.get(*self.cycle_path, default={}) or {}
        self.query_one("#circle", Static).update(circle(cycle.get("huidige_stap") or "vraagstuk"))
        now = self.wapp.now()
        self.query_one("#timeline-title", Static).update(f"[b]Tijdlijn[/b] · vandaag {now:%d-%m-%Y} · ←/→ ↑/↓ PgUp/PgDn v Enter")
        self.query_one(Timeline).show(tl.items(data, now), now.date())
        schema = load_schema()
        lines: list = [("Rondes", "bold")]
        for i, c in enumerate(data.get("cyclus", []) or []):
            start = f"{c['start']:%d-%m-%Y}" if isinstance(c.get("start"), dt.date) else "geen startdatum"
            level = rules.experience_level(c.get("data", {}).get("ervaring")).naam
            step = schema.choice_label("stap", c.get("huidige_stap", "")) if c.get("huidige_stap") else "—"
            kern = c.get("vraagstuk", {}).get("kernvraag", "") or "(nog geen vraagstuk)"
            mark = "▶ " if i == self.wapp.cycle_index else "  "
            editing = ("je werkt in deze ronde", "bold") if i == self.wapp.cycle_index else ""
            lines += ["\n", f"{mark}Ronde {c.get('nummer')} · {start} · {step} · {level}", " · " if editing else "", editing, f"\n     {kern}"]
        # the core questions are the team's words: never read as markup
        self.query_one("#cycles", Static).update(Content.assemble(*lines))

    def on_timeline_opened(self, event: Timeline.Opened) -> None:
        event.stop()
        # run on the app: opening an item of another round rebuilds this pane, and a dialog's
        # answer goes back to whoever asked (a removed pane would never hear it)
        self.app.call_later(self.wapp.open_path, event.item.path)
