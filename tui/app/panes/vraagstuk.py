"""Step 1 — Vraagstuk: the seven hulpvragen, the focus area, 5x waarom and the core question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from tui.app.panes.base import StepPane
from tui.model.guide import HULPVRAGEN, guide
from tui.model.schema import load_schema



class VraagstukPane(StepPane):
    step = "vraagstuk"

    def compose_head(self) -> ComposeResult:
        s = guide()["stappen"]["vraagstuk"]
        kern = self.get(*self.cycle_path, "vraagstuk", "kernvraag", default="")
        summary = Static(self._summary(kern), id="kern-summary", classes="result")
        summary.display = bool(kern)
        yield summary
        yield self.intro()
        yield Static(s["uitleg"], classes="guide-text")
        yield Static("Tip: " + s["tips"][0], classes="tip")

    def compose_form(self) -> ComposeResult:
        from tui.app.waarom_chain import WaaromChain

        base = self.cycle_path + ("vraagstuk",)
        s = guide()["stappen"]["vraagstuk"]
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

    def update_view(self) -> None:
        from tui.app.waarom_chain import WaaromChain

        base = self.cycle_path + ("vraagstuk",)
        for chain in self.query(WaaromChain):
            chain.show_answers(self.get(*base, "waarom", default=[]) or [])
        kern = self.get(*base, "kernvraag", default="")
        summary = self.query_one("#kern-summary", Static)
        summary.update(self._summary(kern))
        summary.display = bool(kern)
        focus = self.get(*base, "focus", default="")
        examples = self.query_one("#focus-examples", Static)
        if focus:
            label = load_schema().choice_label("focus", focus)
            examples.update(f"Voorbeelden bij {label}: " + "; ".join(guide()["focus"][focus]["voorbeelden"]) + ".\nTip: kies uit één van deze plekken om te starten, het is oké om de andere onderdelen later op te pakken.")
        else:
            examples.update("Kies een plek in de organisatie waar het vraagstuk vandaan komt; F1 toont de voorbeelden.")

    @staticmethod
    def _summary(kern: str) -> Content:
        """The core question as the team wrote it (never read as markup)."""
        return Content.assemble(("Ons vraagstuk:", "bold"), " ", kern) if kern else Content("")

    def depends_on(self, path: tuple) -> bool:
        return path[:3] == self.cycle_path + ("vraagstuk",)

    def on_waarom_chain_changed(self, event) -> None:
        event.stop()
        self.wapp.apply(self.cycle_path + ("vraagstuk", "waarom"), event.answers)
