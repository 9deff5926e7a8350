"""Step 4 — Implementatie: policy, the eight organisational points, AVG, knowledge, systems, registers."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.widgets import Static

from tui.app.panes.base import StepPane
from tui.app.record_table import RecordTable
from tui.model import rules
from tui.model.values import local_time
from tui.model.guide import guide
from tui.model.schema import load_schema

POINTS = ("eigenaarschap", "mandaat", "afspraken", "support_top", "extern", "delen", "actueel", "vervolg")
AVG = ("privacyreglement", "cookieverklaring", "verwerkingsregister", "verwerkersovereenkomsten", "datalekprotocol")


class ImplementatiePane(StepPane):
    step = "implementatie"

    def compose_head(self) -> ComposeResult:
        yield self.intro()
        yield Static(guide()["stappen"]["implementatie"]["uitleg"], classes="guide-text")

    def compose_form(self) -> ComposeResult:
        schema = load_schema()
        s = guide()["stappen"]["implementatie"]
        base = self.cycle_path + ("implementatie",)
        for key in ("beleid", "beleid_eigenaar", "beleid_datum"):
            yield self.editor(base + (key,))
        yield Static("[b]Onze organisatie[/b]\nDe naam staat in de kop van de app en in de exports; verwerkingsverantwoordelijke en FG gelden voor elke verwerking in het register die geen eigen noemt.", markup=True, classes="guide-text")
        for key in ("naam", "soort", "plaats", "website", "contactpersoon", "email", "verantwoordelijke", "fg"):
            yield self.editor(("organisatie", key))
        yield Static("[b]Organisatorische aspecten[/b]\n" + s["organisatorisch"], markup=True, classes="guide-text")
        for n, key in enumerate(POINTS, start=1):
            t = schema.tables[f"organisatiepunten.{key}"]
            yield self.editor(("organisatiepunten", key, "status"), label=f"{n}. {t.uitleg}")
            yield self.editor(("organisatiepunten", key, "eigenaar"), classes="sub")
            yield self.editor(("organisatiepunten", key, "notitie"), classes="sub")
        yield Static("[b]Regelgeving: actiepunten AVG[/b]\n" + s["regelgeving"], markup=True, classes="guide-text")
        yield Static("", id="avg-gaps", classes="tip")
        for key in AVG:
            t = schema.tables[f"avg.{key}"]
            yield self.editor(("avg", key, "status"), label=f"{t.nl}: {t.uitleg}")
            yield self.editor(("avg", key, "bewijs_datum"), classes="sub")
        yield Static("[b]Ethiek[/b]\n" + s["ethiek"], markup=True, classes="guide-text")
        yield self.editor(base + ("ethiek",))
        yield Static("[b]Kennis en vaardigheden[/b]\n" + s["kennis"], markup=True, classes="guide-text")
        for key in ("expertise", "reden", "continuiteit"):
            yield self.editor(("kennis", key))
        yield Static("[b]Techniek[/b]\n" + s["techniek"], markup=True, classes="guide-text")
        yield RecordTable("Systemen", [("Systeem", lambda r: r.get("naam", "")), ("Leverancier", lambda r: r.get("leverancier", ""))], "Nog geen systemen. Druk op a om er een toe te voegen.", id="systemen")
        yield RecordTable(
            "Verwerkingsregister (AVG art. 30)",
            [("Verwerking", lambda r: r.get("naam", "")), ("Doelen", lambda r: str(len(r.get("doelen", [])))), ("Review", self._review)],
            "Nog geen verwerkingen. Druk op a om er een toe te voegen.",
            id="verwerkingsregister",
        )
        yield RecordTable(
            "Datalekregister (AVG art. 33 lid 5)",
            [("Kenmerk", lambda r: r.get("id", "")), ("Ontdekt", lambda r: local_time(r["ontdekt"]) if isinstance(r.get("ontdekt"), dt.datetime) and r["ontdekt"].tzinfo else "·"), ("Stand", self._clock)],
            "Geen datalekken geregistreerd.",
            id="datalekregister",
        )

    def _review(self, r: dict) -> str:
        warn = self.get("instellingen", "review_waarschuwing_dagen", default=30) or 30
        state = rules.review_state(r, self.wapp.today(), warn)
        return {"verlopen": "✗ verlopen", "binnenkort": "! binnenkort", "ok": "✓ op tijd"}.get(state or "", "·")

    def _clock(self, r: dict) -> str:
        clock = rules.breach_clock(r, self.wapp.now())
        return clock.label if clock else "·"

    def update_view(self) -> None:
        gaps = [load_schema().tables[f"avg.{k}"].nl for k in AVG if self.get("avg", k, "status", default="") not in ("geregeld", "nvt")]
        self.query_one("#avg-gaps", Static).update(("⚠ Nog niet geregeld: " + "; ".join(gaps)) if gaps else "✓ Alle AVG-actiepunten zijn geregeld.")
        for table_id in ("systemen", "verwerkingsregister", "datalekregister"):
            self.query_one(f"#{table_id}", RecordTable).show(self.get(table_id, default=[]) or [])

    def depends_on(self, path: tuple) -> bool:
        return path[:1] in (("avg",), ("systemen",), ("verwerkingsregister",), ("datalekregister",), ("instellingen",))
