"""Step 3 — Actie & evaluatie: the cycle's actions with their SMART goals."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.app.panes.base import StepPane
from tui.app.record_table import RecordTable
from tui.model import rules
from tui.model.guide import guide
from tui.model.schema import load_schema


class ActiePane(StepPane):
    step = "actie"

    BINDINGS = [
        Binding("v", "follow_up", "Vervolgactie", id="actie.follow_up", tooltip="Plannen bijstellen: een nieuwe actie die verdergaat vanaf de laatste meting van deze actie"),
    ]

    def compose_head(self) -> ComposeResult:
        yield self.intro()
        yield Static(guide()["stappen"]["actie"]["uitleg"], classes="guide-text")

    def compose_form(self) -> ComposeResult:
        s = guide()["stappen"]["actie"]
        yield Static(f"[b]Voorbeeld[/b]  Breed geformuleerd: {s['voorbeeld_breed']}\nSmart geformuleerd: {s['voorbeeld_smart']}", classes="tip", markup=True)
        yield RecordTable(
            "Acties",
            [
                ("Actie", lambda r: r.get("titel", "")),
                ("Deadline", lambda r: f"{r['deadline']:%d-%m-%Y}" if isinstance(r.get("deadline"), dt.date) else "·"),
                ("Stand", self._state),  # what matters most comes first: at 80 columns the last is cut
                ("Voortgang", self._progress),
                ("Metingen", lambda r: str(len(r.get("evaluaties", [])))),
                ("Status", lambda r: load_schema().choice_label("status_actie", r.get("status", "")) if r.get("status") else "·"),
            ],
            "Nog geen acties. Druk op a om een actie met een SMART doel toe te voegen.",
            detail=self._detail,
            id="acties",
        )
        yield Static(s["bijstellen"], classes="guide-text")

    def _progress(self, r: dict) -> str:
        last = rules.latest_evaluation(r)
        if not last:
            return "·"
        p = rules.progress(r.get("nulmeting"), r.get("streefwaarde"), r.get("richting", ""), last["waarde"])
        return "·" if p is None else f"{p:.0%}"

    def _state(self, r: dict) -> str:
        start = self.get(*self.cycle_path, "start")
        return rules.action_status(r, self.wapp.today(), start if isinstance(start, dt.date) else None).text

    def _detail(self, r: dict) -> str:
        start = self.get(*self.cycle_path, "start")
        status = rules.action_status(r, self.wapp.today(), start if isinstance(start, dt.date) else None)
        parts = [f"{r.get('titel', '') or '(zonder titel)'} · {status.inline}: {status.uitleg}"]
        ab = rules.ab_comparison(r)
        if ab:
            parts.append("A/B: " + ab.text)
        return "\n".join(parts)

    def action_follow_up(self) -> None:
        index = self.query_one("#acties", RecordTable).selected_index()
        if index is None:
            self.notify("Kies eerst de actie waarop je wilt voortbouwen.")
            return
        self.wapp.follow_up(self.wapp.cycle_index, index)

    def depends_on(self, path: tuple) -> bool:
        return path[:3] == self.cycle_path + ("acties",) or path[:3] == self.cycle_path + ("start",)

    def update_view(self) -> None:
        self.query_one("#acties", RecordTable).show(self.get(*self.cycle_path, "acties", default=[]) or [])
