"""Presentation mode: for a projector in a session with the institution's team.

High contrast, no chrome beyond the step and its title, the question large and centred, one
slide at a time. PgDn/PgUp (what a presenter's clicker sends) move on and back, also while the
facilitator types the team's answer into the field below the question; the answer is written to
the workbook like any other edit.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Digits, Static

from tui.app.alive import alive, when_alive
from tui.model import rules
from tui.model.guide import STEPS, guide
from tui.model.presentation import Slide, slides
from tui.model.schema import load_schema, spec_path_of
from tui.model.smart import smart_summary

HIGH_CONTRAST = "publieksdata-hoog-contrast"


class StepBox(Vertical):
    """One step of the circle: its number large, its title, and 'nu' when it is the current one."""

    def __init__(self, step: str, current: bool):
        super().__init__(classes="step-box" + (" -current" if current else ""))
        self.step = step
        self.current = current

    def compose(self) -> ComposeResult:
        s = guide()["stappen"][self.step]
        yield Digits(str(s["nummer"]))
        yield Static(("▶ " if self.current else "") + s["titel"] + (" ◀ nu" if self.current else ""), classes="step-title")


class PresentationScreen(Screen):
    CSS_PATH = "presentation.tcss"
    BINDINGS = [
        Binding("pagedown", "move(1)", "Volgende", priority=True, id="presentation.next", tooltip="Naar de volgende dia (ook wat een presenter-klikker stuurt)"),
        Binding("pageup", "move(-1)", "Vorige", priority=True, id="presentation.previous", tooltip="Naar de vorige dia"),
        Binding("ctrl+home", "home", "Cirkel", id="presentation.home", tooltip="Terug naar de cirkel van het stappenplan"),
        Binding("escape,f6", "leave", "Stoppen", id="presentation.leave", tooltip="Presentatiemodus uit; terug naar het werkboek"),
    ]

    index: reactive[int] = reactive(0, init=False)

    def __init__(self, cycle: int):
        super().__init__()
        self.cycle = cycle
        self.slides: list[Slide] = []

    @property
    def wapp(self):
        return self.app

    def compose(self) -> ComposeResult:
        with Horizontal(id="pres-head"):
            yield Digits("", id="pres-number")
            yield Static("", id="pres-title")
        yield Vertical(id="pres-body")
        yield Static("", id="pres-foot")

    def on_mount(self) -> None:
        self.previous_theme = self.app.theme
        self.app.theme = HIGH_CONTRAST
        self.slides = slides(self.wapp.workbook.data, self.cycle)
        self.call_after_refresh(self.show)

    def on_unmount(self) -> None:
        if self.app.theme == HIGH_CONTRAST and self.previous_theme != HIGH_CONTRAST:
            self.app.theme = self.previous_theme

    def watch_index(self) -> None:
        self.call_after_refresh(self.show)

    def action_move(self, step: int) -> None:
        self.index = max(0, min(len(self.slides) - 1, self.index + step))

    def action_home(self) -> None:
        self.index = 0

    def action_leave(self) -> None:
        self.app.pop_screen()

    def _current_step(self) -> str:
        cycles = self.wapp.workbook.data.get("cyclus", [])
        return (cycles[self.cycle].get("huidige_stap") if self.cycle < len(cycles) else None) or "vraagstuk"

    @when_alive
    async def show(self) -> None:
        slide = self.slides[self.index]
        step = slide.step or self._current_step()
        s = guide()["stappen"][step]
        self.query_one("#pres-number", Digits).update(str(s["nummer"]))
        label = "Circulair stappenplan" if slide.kind == "cirkel" else s["titel"]
        self.query_one("#pres-title", Static).update(f"{label}\n{s['opdracht']}" if slide.kind == "cirkel" else f"{label}\n{s['vragen']}")
        body = self.query_one("#pres-body", Vertical)
        await body.remove_children()
        if not alive(self):
            return  # F6 or Esc closed the screen in the same moment
        await body.mount_all(list(self._compose_slide(slide)))
        if not alive(self):
            return
        self.query_one("#pres-foot", Static).update(
            f"Dia {self.index + 1} van {len(self.slides)} · PgDn volgende · PgUp vorige · Ctrl+Home cirkel · Esc stoppen"
        )
        for editor in body.query("FieldEditor"):
            for field_input in editor.query(".input"):  # none when the next slide is replacing this one
                field_input.focus()
            break

    def _compose_slide(self, slide: Slide):
        if slide.kind == "cirkel":
            current = self._current_step()
            with_boxes = [StepBox(key, key == current) for key in STEPS]
            yield Center(with_boxes[0], classes="circle-row")
            yield Horizontal(with_boxes[3], Static("↻", classes="circle-arrow"), with_boxes[1], classes="circle-row")
            yield Center(with_boxes[2], classes="circle-row")
            return
        yield Static(slide.text, classes="pres-question", markup=False)
        if slide.note:
            yield Static(slide.note, classes="pres-note", markup=False)
        if slide.kind == "niveau":
            answers = self.wapp.workbook.get(slide.path, {}) or {}
            level = rules.experience_level(answers)
            yield Static(f"{level.naam}  ({level.ja}× ja, {level.nee}× nee)\n\n{level.advies}", classes="pres-answer", markup=False)
            return
        yield self._editor(slide.path)
        if slide.kind == "smart":
            action = self.wapp.workbook.get(slide.path[:-1], {}) or {}
            yield Static(smart_summary(action), id="pres-smart", markup=False)

    def _editor(self, path: tuple):
        from tui.app.field_editor import FieldEditor

        spec = spec_path_of(path[:-1])
        f = load_schema().tables[spec].fields[path[-1]]
        editor = FieldEditor(f, path, self.wapp.workbook.get(path), label="", id="pres-editor")
        editor.spec_path = spec
        return editor

    def on_field_editor_changed(self, event) -> None:
        # the app writes the value (the event bubbles on to it); the SMART check follows live
        slide = self.slides[self.index]
        if slide.kind == "smart":
            action = dict(self.wapp.workbook.get(slide.path[:-1], {}) or {})
            action[slide.path[-1]] = event.value
            self.query_one("#pres-smart", Static).update(smart_summary(action))
