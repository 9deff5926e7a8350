"""Presentation mode: for a projector in a session with the institution's team.

High contrast, one slide at a time, the question in the largest letters that fit the screen
and the answer large below it (tui/model/bigtext.py); the step and the position ("Hulpvraag 3
van 7") always in view. PgDn/PgUp (what a presenter's clicker sends) move on and back, also
while the facilitator types the team's answer into the field below; the answer is written to the
workbook like any other edit (the app's ``apply``). What a slide shows comes from
tui/model/presentation.py.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Digits, Input, Static, TextArea

from tui.app.alive import alive, when_alive
from tui.app.bigtext import BigText
from tui.model import presentation as model
from tui.model import rules
from tui.model.bigtext import GROOT, KLEIN, MIDDEL, NORMAAL, fit, render
from tui.config import THEMES
from tui.model.guide import STEPS, guide
from tui.model.presentation import Slide, slides
from tui.model.schema import load_schema, spec_path_of

HIGH_CONTRAST = THEMES["hoog-contrast"]  # for a dialog over a slide (the slides carry their own colours)
SMALL_HEIGHT = 30  # below this the step number is not drawn in large digits


class StepBox(Vertical):
    """One step of the circle: its number and title as large as the box allows, and 'nu' when
    it is the current one."""

    def __init__(self, step: str, current: bool):
        super().__init__(classes="step-box" + (" -current" if current else ""))
        self.step = step
        self.current = current

    def compose(self) -> ComposeResult:
        s = guide()["stappen"][self.step]
        yield BigText(str(s["nummer"]), classes="step-big")
        yield Static(("▶ " if self.current else "") + s["titel"] + (" ◀ nu" if self.current else ""), classes="step-title", markup=False)

    def on_resize(self) -> None:
        number = self.query_one(BigText)
        number.show(fit([number.text], self.content_region.width, max(1, self.content_region.height - 1), gap=0)[0])


class PresentationScreen(Screen):
    # its styles (presentation.tcss, high contrast written out) come with the app's: F6 parses nothing
    IN_THE_ROOM = True  # what the app asks of its screen (Esc takes a warning off a slide first)
    BINDINGS = [
        Binding("pagedown", "move(1)", "Volgende", priority=True, id="presentation.next", tooltip="Naar de volgende dia (ook wat een presenter-klikker stuurt)"),
        Binding("pageup", "move(-1)", "Vorige", priority=True, id="presentation.previous", tooltip="Naar de vorige dia"),
        Binding("ctrl+home", "first", "Cirkel", priority=True, id="presentation.home", tooltip="Terug naar de cirkel van het stappenplan, ook in een tekstveld"),
        Binding("ctrl+end", "last", "Samenvatting", priority=True, id="presentation.end", tooltip="Naar de samenvatting van de ronde, ook in een tekstveld"),
        Binding("home", "first", "Eerste", show=False, id="presentation.first", tooltip="Naar de eerste dia (in een tekstveld: begin van de regel)"),
        Binding("end", "last", "Laatste", show=False, id="presentation.last", tooltip="Naar de laatste dia (in een tekstveld: eind van de regel)"),
        # priority: a drop-down does not take "b" first; a text field still does (Textual leaves
        # out the bindings of keys the focused widget types)
        Binding("b,full_stop", "blank", "Zwart", show=False, priority=True, id="presentation.blank", tooltip="Scherm zwart en terug, zoals een klikker doet (niet in een tekstveld: daar typt het)"),
        Binding("escape,f6", "leave", "Stoppen", id="presentation.leave", tooltip="Presentatiemodus uit; terug naar het werkboek, bij het veld van de laatste dia"),
    ]

    index: reactive[int] = reactive(0, init=False)

    def __init__(self, cycle: int):
        super().__init__()
        self.cycle = cycle
        self.slides: list[Slide] = []
        self._shown = -1
        self.ready = -1  # the index of the slide that is on screen, built and focused
        self._focus_before_blank = None
        self.theme_after: str | None = None  # the app's own theme, while a dialog over a slide is high contrast

    @property
    def wapp(self):
        return self.app

    @property
    def data(self) -> dict:
        return self.wapp.workbook.data

    @property
    def slide(self) -> Slide:
        return self.slides[self.index]

    def compose(self) -> ComposeResult:
        with Horizontal(id="pres-head"):
            yield Digits("", id="pres-number")
            with Vertical(id="pres-heading"):
                yield Static("", id="pres-title", markup=False)
                yield Static("", id="pres-position", markup=False)
        yield Vertical(id="pres-body")
        yield Static("", id="pres-foot", markup=False)

    def on_screen_suspend(self) -> None:
        """A dialog, the command palette or help over a slide: they are drawn in the app's theme,
        so for as long as one is up that is the high-contrast theme (the room would see a light
        box, and the slide behind it greyed, with the light theme). Only then: a theme change
        restyles every widget of the app."""
        if alive(self) and self.app.theme != HIGH_CONTRAST and self.theme_after is None:
            self.theme_after = self.app.theme
            self.app.theme = HIGH_CONTRAST

    def on_screen_resume(self) -> None:
        self._theme_back()

    def on_unmount(self) -> None:
        self._theme_back()

    def _theme_back(self) -> None:
        theme, self.theme_after = self.theme_after, None
        # unless another theme was picked meanwhile; not while the app quits (a restyle for nobody)
        if theme is not None and self.app.theme == HIGH_CONTRAST and alive(self.app):
            self.app.theme = theme

    def on_mount(self) -> None:
        self.slides = slides(self.data, self.cycle)
        self.call_after_refresh(self.show)

    def on_resize(self) -> None:
        self.set_class(self.size.height < SMALL_HEIGHT, "-small")
        self.call_after_refresh(self.fit_slide)

    def watch_index(self) -> None:
        self.call_after_refresh(self.show)

    # ------------------------------------------------------------------ keys
    def action_move(self, step: int) -> None:
        self.remove_class("-blank")
        self.index = max(0, min(len(self.slides) - 1, self.index + step))

    def action_first(self) -> None:
        self.remove_class("-blank")
        self.index = 0

    def action_last(self) -> None:
        self.remove_class("-blank")
        self.index = len(self.slides) - 1

    def action_blank(self) -> None:
        if not self.has_class("-blank"):
            self._focus_before_blank = self.app.focused  # hidden with the slide, it loses the focus
            self.add_class("-blank")
            return
        self.remove_class("-blank")
        widget, self._focus_before_blank = self._focus_before_blank, None
        if widget is not None and alive(widget):
            self.call_after_refresh(lambda: alive(widget) and widget.focus())  # once it shows again

    def action_leave(self) -> None:
        slide = self.slides[self.index] if self.slides else None
        self.app.pop_screen()
        target = self.return_target(slide) if slide else None
        if target and hasattr(self.wapp, "focus_field"):
            # after the workbook screen has taken its own focus back
            self.app.call_later(self.wapp.focus_field, *target)
        elif hasattr(self.wapp, "focus_tab_bar"):  # a slide of no field (the circle, the summary): the tabs, where one starts
            self.app.call_later(self.wapp.focus_tab_bar)

    @staticmethod
    def return_target(slide: Slide) -> tuple[str, str] | None:
        """The tab and the widget in the workbook that belong to a slide: where leaving lands."""
        if slide.kind == "bron":
            return ("data", "#bronnen DataTable")
        if slide.kind == "smart":
            return ("actie", "#acties DataTable")
        if slide.kind == "waarom":
            return ("vraagstuk", "#waarom Input")
        if slide.kind == "niveau":
            return ("data", "#veld-data-ervaring-strategie .input")
        if slide.path is None:
            return None
        tab = slide.step or "vraagstuk"
        return (tab, "#veld-" + "-".join(str(p) for p in slide.path[2:] if not isinstance(p, int)) + " .input")

    # ------------------------------------------------------------------ drawing
    def _current_step(self) -> str:
        cycles = self.data.get("cyclus", [])
        return (cycles[self.cycle].get("huidige_stap") if self.cycle < len(cycles) else None) or "vraagstuk"

    @when_alive
    async def show(self) -> None:
        # closed meanwhile (F6 or Esc in the same moment): the screen may still be attached
        # while its parts are already taken down
        if not self.is_attached or not self.slides or not all(self.query(p) for p in ("#pres-number", "#pres-title", "#pres-position", "#pres-body", "#pres-foot")):
            return
        self._shown = self.index
        slide = self.slide
        step = slide.step or self._current_step()
        s = guide()["stappen"][step]
        self.query_one("#pres-number", Digits).update(str(s["nummer"]) if slide.step else "")
        title = "Circulair stappenplan" if slide.kind == "cirkel" else (slide.text if slide.kind == "samenvatting" else f"Stap {s['nummer']} · {s['titel']}")
        self.query_one("#pres-title", Static).update(title)
        self.query_one("#pres-position", Static).update(slide.position or s["opdracht"])
        body = self.query_one("#pres-body", Vertical)
        body.set_class(slide.kind == "cirkel", "-circle")
        await body.remove_children()
        if not alive(self):
            return  # F6 or Esc closed the screen in the same moment
        await body.mount_all(list(self._compose_slide(slide)))
        if not alive(self) or not self.query("#pres-foot"):
            return
        extra = " · F5 exporteren" if slide.kind == "samenvatting" else ""
        self.query_one("#pres-foot", Static).update(
            f"Dia {self.index + 1} van {len(self.slides)} · PgDn volgende · PgUp vorige{extra} · Esc stoppen"
        )
        self.call_after_refresh(self.fit_slide)
        editors = body.query("FieldEditor")
        if editors and editors.first().query(".input"):  # none when the next slide is replacing this one
            self._focus_at_end(editors.first())
        else:
            self.set_focus(None)
        if self._shown == self.index:
            self.ready = self.index

    def _focus_at_end(self, editor) -> None:
        """Typing adds to what is there: the cursor goes to the end of the answer."""
        widget = editor.query_one(".input")
        if isinstance(widget, Input):
            widget.select_on_focus = False
        widget.focus()
        if isinstance(widget, TextArea):
            widget.move_cursor(widget.document.end)
        elif isinstance(widget, Input):
            widget.cursor_position = len(widget.value)
            widget.call_after_refresh(lambda: (widget.action_home(), widget.action_end()))  # with a width: the end in view

    def _answer(self, slide: Slide) -> str:
        if slide.kind == "niveau":
            level = rules.experience_level(self.wapp.workbook.get(slide.path, {}) or {})
            return f"{level.naam}\n{level.ja}× ja · {level.nee}× nee"
        if slide.kind == "bron":
            return "\n".join(f"{c.mark} {c.label}" for c in model.source_checks(self.data, self.cycle, slide.record[1]))
        return model.answer_text(self.data, slide)

    def _compose_slide(self, slide: Slide):
        if slide.kind == "cirkel":
            current = self._current_step()
            boxes = [StepBox(key, key == current) for key in STEPS]
            # the circle on a 3x3 grid: 1 at the top, 2 right, 3 below, 4 left, the arrow inside
            cells = [Static(classes="circle-gap"), boxes[0], Static(classes="circle-gap"), boxes[3], Static("↻", classes="circle-arrow"), boxes[1], Static(classes="circle-gap"), boxes[2], Static(classes="circle-gap")]
            yield Grid(*cells, id="pres-circle")
            return
        if slide.kind == "samenvatting":
            for n, (label, text) in enumerate(model.summary(self.data, self.cycle, self.wapp.today())):
                yield BigText(f"{label}: {text}", classes="pres-summary" + (" -first" if n == 0 else ""))
            yield Static(slide.note, classes="pres-note", markup=False)
            return
        yield BigText(slide.text, classes="pres-question")
        yield BigText(self._answer(slide), classes="pres-answer")
        if slide.kind == "niveau":
            level = rules.experience_level(self.wapp.workbook.get(slide.path, {}) or {})
            yield Static(level.advies, classes="pres-detail", markup=False)
            return
        if slide.kind == "bron":
            checks = model.source_checks(self.data, self.cycle, slide.record[1])
            yield Static(Text("\n".join(f"{c.mark} {c.label}: {c.text}" for c in checks)), classes="pres-detail")
            if slide.note:
                yield Static(slide.note, classes="pres-note", markup=False)
            return
        if slide.kind == "focus":
            yield Static("", id="pres-examples", markup=False)
            self.call_after_refresh(self._update_examples)
        if slide.kind == "smart":
            yield Horizontal(*[BigText("", classes="smart-letter") for _ in range(5)], id="pres-letters")
            # the verdicts at once (the letters need the row's width, after a refresh): the slide is
            # fitted with the box at its real height, whichever comes first
            yield Static(self._smart_text(self.wapp.workbook.get(slide.record, {}) or {}), id="pres-smart", markup=False)
            self.call_after_refresh(self._update_smart)
        if slide.note:  # on an action's slide: the guide's example, left out at 80x24
            yield Static(slide.note, classes="pres-note" + (" -example" if slide.kind == "smart" else ""), markup=False)
        yield self._editor(slide.path)

    def _editor(self, path: tuple):
        from tui.app.field_editor import FieldEditor

        spec = spec_path_of(path[:-1])
        f = load_schema().tables[spec].fields[path[-1]]
        editor = FieldEditor(f, path, self.wapp.workbook.get(path), label="", id="pres-editor", live=True, type_to_search=False)
        editor.spec_path = spec
        return editor

    def fit_slide(self) -> None:
        """Give the slide's texts the largest letters with which everything fits."""
        if not alive(self) or not self.slides or self._shown != self.index:
            return
        bodies = self.query("#pres-body")
        if not bodies:
            return  # F6 or Esc closed the screen before this refresh came
        body = bodies.first(Vertical)
        bigs = [w for w in body.children if isinstance(w, BigText)]
        if not bigs:
            return
        width = max(10, body.content_region.width - 2)
        fixed = sum(w.outer_size.height + w.styles.margin.top + w.styles.margin.bottom for w in body.children if not isinstance(w, BigText) and w.display)
        height = body.content_region.height - fixed - len(bigs)  # each has a blank line below it
        # the answer is also in the field below it (or, for a data source, in the lines below):
        # when it has no room in large letters it is left out and the question gets the space;
        # the 5x waarom chain stays, as numbered lines (its field holds it as one line)
        shown_below = (bool(body.query("FieldEditor")) and self.slide.kind != "waarom") or self.slide.kind == "bron"
        blocks: list = [(b.text, (GROOT, MIDDEL, KLEIN) if (shown_below and n == 1) else (GROOT, MIDDEL, KLEIN, NORMAAL)) for n, b in enumerate(bigs)]
        # the question is never smaller than its answer (which the field below shows anyway)
        ordered = self.slide.kind == "samenvatting" or shown_below
        out = fit(blocks, width, height, gap=0, ordered=ordered)
        if shown_below and len(out) > 1 and out[1].size == NORMAAL and out[1].height:
            out = fit(blocks[:1], width, height, gap=0) + [render("", NORMAAL, width)]
        for big, rendering in zip(bigs, out):
            big.show(rendering)

    def _update_examples(self, focus: str | None = None) -> None:
        slide = self.slide
        if slide.kind != "focus" or not self.query("#pres-examples"):
            return
        examples = model.focus_examples(focus if focus is not None else self.wapp.workbook.get(slide.path))
        label = guide()["presentatie"]["voorbeelden"]
        self.query_one("#pres-examples", Static).update(f"{label}: " + " · ".join(examples) if examples else "")

    def _update_smart(self, action: dict | None = None) -> None:
        slide = self.slide
        if slide.kind != "smart" or not self.query("#pres-letters"):
            return
        action = action if action is not None else (self.wapp.workbook.get(slide.record, {}) or {})
        letters = model.smart_letters(action, self.wapp.today())
        row = self.query_one("#pres-letters", Horizontal)
        cell = max(6, row.content_region.width // 5 or self.size.width // 5)
        size = GROOT if cell >= 24 and self.size.height >= 40 else MIDDEL
        for big, letter in zip(row.query(BigText), letters):
            big.text = f"{letter.label[0]}{letter.mark}"
            rendering = render(big.text, size, cell) or render(big.text, KLEIN, cell) or render(big.text, NORMAAL, cell)
            big.show(rendering)
            for state in ("ok", "ontbreekt", "vaag", "verstreken", "tegenstrijdig"):
                big.set_class(letter.state == state, f"-{state}")
        self.query_one("#pres-smart", Static).update(self._smart_text(action, letters))
        self.call_after_refresh(self.fit_slide)

    def _smart_text(self, action: dict, letters=None) -> Text:
        letters = letters if letters is not None else model.smart_letters(action, self.wapp.today())
        status = model.action_status(self.data, self.cycle, action, self.wapp.today())
        small = self.has_class("-small")  # 80x24: the verdicts only, so the goal's field stays on the slide
        lines = [f"{c.mark} {c.label}: {(c.short or c.text) if small else c.text}" for c in letters]
        lines.append(f"{guide()['presentatie']['stand']}: {status.text}" + ("" if small else f" ({status.uitleg})"))
        return Text("\n".join(lines))

    def on_field_editor_changed(self, event) -> None:
        # the app writes the value (the event bubbles on to it); the slide follows live
        slide = self.slide
        if slide.kind == "smart":
            action = dict(self.wapp.workbook.get(slide.record, {}) or {})
            action[slide.path[-1]] = event.value
            self._update_smart(action)
        if slide.kind in ("vraag", "focus", "waarom", "smart") and alive(self) and self.query("#pres-body"):
            bigs = [w for w in self.query_one("#pres-body", Vertical).children if isinstance(w, BigText)]
            if len(bigs) > 1:
                bigs[1].text = model.answer_text(self.data, slide, event.value)
                self._update_examples(event.value)
                self.fit_slide()
