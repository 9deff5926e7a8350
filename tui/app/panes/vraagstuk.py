"""Step 1 — Vraagstuk: the seven hulpvragen, the focus area, 5x waarom and the core question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.app.panes.base import StepPane
from tui.app.waarom_chain import WaaromChain
from tui.model.guide import guide
from tui.model.schema import load_schema

HULPVRAGEN = ("belangrijk", "meten", "afdelingen", "personen", "bereiken", "uitdagingen", "niet_willen")


class VraagstukPane(StepPane):
    step = "vraagstuk"

    def compose(self) -> ComposeResult:
        base = self.cycle_path + ("vraagstuk",)
        s = guide()["stappen"]["vraagstuk"]
        yield Static("", id="kern-summary", classes="result")
        yield self.intro()
        yield Static(s["uitleg"], classes="guide-text")
        yield Static("Tip: gebruik als bron de missie en visie, beleidsplannen en marketingplannen.", classes="tip")
        for key in HULPVRAGEN:
            yield self.editor(base + (key,))
        yield Static(s["klein_beginnen"], classes="guide-text")
        yield self.editor(base + ("focus",))
        yield Static("", id="focus-examples", classes="tip")
        examples = [e for area in guide()["focus"].values() for e in area["voorbeelden"]]
        yield self.editor(base + ("onderwerp",), suggestions=examples)
        schema = load_schema()
        yield WaaromChain(self.get(*base, "waarom", default=[]) or [], schema.tables["cyclus[].vraagstuk"].fields["waarom"].nl, id="waarom")
        yield self.editor(base + ("kernvraag",), label=s["kortom"], classes="kernvraag")

    def on_mount(self) -> None:
        self._update_derived()

    def _update_derived(self) -> None:
        base = self.cycle_path + ("vraagstuk",)
        kern = self.get(*base, "kernvraag", default="")
        summary = self.query_one("#kern-summary", Static)
        summary.update(f"[b]Ons vraagstuk:[/b] {kern}" if kern else "")
        summary.display = bool(kern)
        focus = self.get(*base, "focus", default="")
        examples = self.query_one("#focus-examples", Static)
        if focus:
            label = load_schema().choice_label("focus", focus)
            examples.update(f"Voorbeelden bij {label}: " + "; ".join(guide()["focus"][focus]["voorbeelden"]) + ".\nTip: kies uit één van deze plekken om te starten, het is oké om de andere onderdelen later op te pakken.")
        else:
            examples.update("Kies een plek in de organisatie waar het vraagstuk vandaan komt; F1 toont de voorbeelden.")

    def workbook_changed(self, path: tuple) -> None:
        if path[:3] == self.cycle_path + ("vraagstuk",):
            self._update_derived()

    def on_waarom_chain_changed(self, event: WaaromChain.Changed) -> None:
        event.stop()
        self.wapp.apply(self.cycle_path + ("vraagstuk", "waarom"), event.answers)
