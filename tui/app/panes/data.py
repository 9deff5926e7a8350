"""Step 2 — Data: experience level, the data-source inventory with hygiene and usefulness."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.app.level_panel import LevelPanel
from tui.app.panes.base import StepPane
from tui.app.record_table import RecordTable
from tui.model import rules
from tui.model.guide import guide
from tui.model.schema import load_schema

YES_NO = {"ja": "✓ ja", "nee": "✗ nee", "": "·"}
SHORT_ACCESS = {"intern": "volledig", "extern": "beperkt", "partner": "afspraken"}


class DataPane(StepPane):
    step = "data"
    BINDINGS = [Binding("space", "toggle_source", "In deze ronde", id="data.toggle", tooltip="Gebruik de gekozen bron in deze ronde, of niet meer")]

    def compose_head(self) -> ComposeResult:
        yield self.intro()
        yield Static(guide()["stappen"]["data"]["uitleg"], classes="guide-text")

    def compose_form(self) -> ComposeResult:
        g = guide()
        s = g["stappen"]["data"]
        yield Static(f"[b]{g['ervaring']['vraag']}[/b]", markup=True)
        base = self.cycle_path + ("data", "ervaring")
        for i, key in enumerate(g["ervaring"]["vragen"], start=1):
            f = load_schema().tables["cyclus[].data.ervaring"].fields[key]
            yield self.editor(base + (key,), label=f"{i}. {f.nl}")
        yield self.editor(base + ("vanzelfsprekend",), label="Je bent lerend. " + load_schema().tables["cyclus[].data.ervaring"].fields["vanzelfsprekend"].nl)
        yield LevelPanel(id="level")
        yield Static(s["beschikbare_data"], classes="guide-text")
        yield Static(s["data_selecteren"], classes="guide-text")
        yield RecordTable(
            "Databronnen",
            [
                ("Ronde", lambda r: "✓ ja" if r.get("id") in self._selected() else "·"),
                ("Naam", lambda r: r.get("naam", "")),
                ("Toegang", lambda r: SHORT_ACCESS.get(r.get("herkomst", ""), "·")),
                ("Data", lambda r: {"anoniem": "anoniem", "gepersonaliseerd": "persoonlijk"}.get(r.get("anonimiteit", ""), "·")),
                ("Bijgewerkt", self._updated),
                ("R A B", lambda r: " ".join((YES_NO.get(r.get(k, ""), "·").split()[0] if k != "actualiteit" else self._actualiteit(r).symbol) for k in ("relevant", "actualiteit", "bruikbaarheid"))),
                ("Bruikbaar", self._useful),
                ("Register", self._register),
            ],
            "Nog geen databronnen. Druk op a om er een toe te voegen (website, ticketing, klantenbestand, ...).",
            detail=self._detail,
            id="bronnen",
        )
        yield Static("Spatie: bron wel/niet gebruiken in deze ronde. R/A/B: relevant, actueel, bruikbaar.", classes="hint")
        yield Static(f"[b]Toets de bruikbaarheid[/b]  {g['bruikbaarheid']['vraag_herkomst']} {g['bruikbaarheid']['vraag_anonimiteit']}", markup=True, classes="guide-text")
        yield Static("", id="bruikbaarheid", markup=False, classes="usefulness")
        yield self.editor(self.cycle_path + ("data", "data_mist"))
        yield self.editor(self.cycle_path + ("data", "notities"))

    # -- derived views
    def _selected(self) -> set[str]:
        return set(self.get(*self.cycle_path, "data", "bronnen", default=[]) or [])

    def _focus(self) -> str:
        return self.get(*self.cycle_path, "vraagstuk", "focus", default="") or ""

    def _actualiteit(self, r: dict) -> rules.Actualiteit:
        return rules.actualiteit(r, self.wapp.today(), self.get("instellingen", "actualiteit_maanden", default=12) or 12)

    def _updated(self, r: dict) -> str:
        d = r.get("bijgewerkt")
        if not isinstance(d, dt.date):
            return "·"
        months = self.get("instellingen", "actualiteit_maanden", default=12) or 12
        stale = rules.is_current(r, self.wapp.today(), months) is False
        return f"{d:%d-%m-%Y}" + (" ⚠ oud" if stale else "")

    def _useful(self, r: dict) -> str:
        focus = self._focus()
        if focus == "bedrijfsvoering":
            return "n.v.t. (F1)"
        verdict = rules.usefulness(focus, r.get("anonimiteit", ""))
        return {"zeer": "✓ zeer", "weinig": "✗ weinig"}.get(verdict or "", "·")

    def _register(self, r: dict) -> str:
        if rules.needs_register_entry(r, self._register_ids):
            return "⚠ ontbreekt" if r.get("id") in self._selected() else "⚠ nodig"
        return "✓" if r.get("verwerking") else "·"

    def _detail(self, r: dict) -> str:
        schema = load_schema()
        parts = [r.get("naam", "") or "(zonder naam)"]
        if r.get("soort"):
            parts.append(schema.choice_label("soort_bron", r["soort"]))
        if r.get("herkomst"):
            parts.append(f"{schema.choice_label('herkomst', r['herkomst'])}: {rules.access_for(r['herkomst']).lower()}")
        if r.get("anonimiteit"):
            parts.append(schema.choice_label("anonimiteit", r["anonimiteit"]).lower())
        checks = ", ".join(f"{k} {r.get(k) or 'nog niet beantwoord'}" if k != "actualiteit" else f"actualiteit {self._actualiteit(r).text}" for k in ("relevant", "actualiteit", "bruikbaarheid"))
        parts.append(checks)
        if self._focus():
            parts.append("voor deze focus: " + rules.usefulness_text(self._focus(), r.get("anonimiteit", "")).lower())
        register = self._register(r)
        if register.startswith("⚠"):
            parts.append("⚠ gepersonaliseerd: leg deze verwerking vast in het verwerkingsregister (stap 4)")
        return " · ".join(parts)

    _register_ids: set = set()

    def update_view(self, parts: set[str] = frozenset({"level", "table"})) -> None:
        if "level" in parts:
            level = rules.experience_level(self.get(*self.cycle_path, "data", "ervaring", default={}))
            self.query_one(LevelPanel).show(level)
            follow_up = self.query_one("#veld-data-ervaring-vanzelfsprekend")
            follow_up.display = level.key in ("lerend", "uitvoerend")
        if "table" in parts:
            self._register_ids = {rec.get("id") for rec in self.get("verwerkingsregister", default=[]) or []}
            self.query_one("#bronnen", RecordTable).show(self.get("databronnen", default=[]) or [])
            self.query_one("#bruikbaarheid", Static).update(self._usefulness_table())

    def parts_for(self, path: tuple) -> set[str]:
        """What a change at ``path`` asks to redraw: typing in the notes redraws nothing."""
        data = self.cycle_path + ("data",)
        if path[:4] == data + ("ervaring",) or path == data:
            return {"level"} if path != data else {"level", "table"}
        if path[:4] == data + ("bronnen",) or path[:4] == self.cycle_path + ("vraagstuk", "focus") or path[:3] == self.cycle_path + ("vraagstuk",) and len(path) == 3:
            return {"table"}
        if path[:1] in (("databronnen",), ("verwerkingsregister",), ("instellingen",)) or path in ((), ("cyclus",), self.cycle_path):
            return {"table"}
        return set()

    def _usefulness_table(self):
        """The guide's appendix for this round's sources: origin and access, anonymous or
        personalised, and per department 'zeer' or 'weinig' bruikbaar (the round's focus marked)."""
        from rich.table import Table
        from rich.text import Text

        rows = rules.usefulness_table(self.wapp.workbook.data, self.wapp.cycle_index)
        if not rows:
            return Text("Nog geen databronnen: voeg ze hierboven toe.")
        focus = self._focus()
        short = {"strategie": "Strat.", "programmeren": "Progr.", "marketing": "Mark.", "beleving": "Bel."}
        table = Table(box=None, pad_edge=False, expand=False, show_edge=False, padding=(0, 1), header_style="bold underline")
        table.add_column("Bron", overflow="fold", min_width=14, max_width=24)
        table.add_column("Herkomst")
        table.add_column("Data")
        for key in rules.usefulness_departments():
            table.add_column(("▸ " if key == focus else "") + short.get(key, key))
        for row in rows:
            table.add_row(
                Text(row.naam),
                Text(row.herkomst or "·"),
                Text({"anoniem": "anoniem", "gepersonaliseerd": "gepers."}.get(row.anonimiteit, "·")),
                *[Text({"zeer": "✓ zeer", "weinig": "✗ weinig"}.get(v, "·")) for v in row.per_afdeling.values()],
            )
        names = "; ".join(f"{short[k]} = {v}" for k, v in rules.usefulness_departments().items() if short.get(k) != v)
        access = "; ".join(f"{k}: {v['toegang'].lower()}" for k, v in guide()["bruikbaarheid"]["herkomst"].items())
        from rich.console import Group

        legend = Text("✓ zeer bruikbaar, ✗ weinig of niet bruikbaar" + (" · ▸ de focus van deze ronde" if focus in short else "") + f". gepers. = gepersonaliseerd. {names}. Toegang: {access}.\n")
        return Group(table, legend)

    def depends_on(self, path: tuple) -> bool:
        return bool(self.parts_for(path))

    def update_changed(self, path: tuple) -> None:
        self.update_view(self.parts_for(path))

    def action_toggle_source(self) -> None:
        table = self.query_one("#bronnen", RecordTable)
        index = table.selected_index()
        if index is None:
            return
        source_id = table.records[index].get("id")
        if source_id:
            self.wapp.session.toggle_source(source_id)
