"""The step tabs: a bar with the four steps and the overview, above the page of the step shown.

Textual's TabbedContent does this with a widget per tab, a scrolling tab list, an animated
underline and a content switcher; on a small server that cost about 30 ms before the first frame
(docs/performance.md). Here the bar is one widget that draws every label and the underline, and
the pages are shown and hidden directly. Pages are empty until the app builds a pane into one.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

PADDING = 1  # cells either side of a label, as Textual's tabs have


class StepPage(Vertical):
    """The page of one tab; its id is the tab's key."""


class StepBar(Widget, can_focus=True):
    """One row of labels with an underline row below it that marks the tab shown.
    With the focus on the bar (where the app starts), 1…5, ← and → show a tab and the focus
    stays on the bar (F3/F4 too), and the underline row says how to start typing: Enter or ↓ (or
    Tab) goes into the first field. A click shows a tab and the focus goes to its first field."""

    BINDINGS = [
        # priority, and the focus moves at once: text typed right after Enter goes into the field
        Binding("enter,down", "enter_form", "Typen", id="tabs.enter_form", tooltip="Met de focus op de tabbalk: naar het eerste veld van de stap, om te beginnen met typen", priority=True),
        Binding("1", "pick(0)", "Stap", key_display="1…5", id="tabs.pick1", tooltip="Met de focus op de tabbalk: naar 1 Vraagstuk"),
        Binding("2", "pick(1)", "Stap", show=False, id="tabs.pick2", tooltip="Met de focus op de tabbalk: naar 2 Data"),
        Binding("3", "pick(2)", "Stap", show=False, id="tabs.pick3", tooltip="Met de focus op de tabbalk: naar 3 Actie & evaluatie"),
        Binding("4", "pick(3)", "Stap", show=False, id="tabs.pick4", tooltip="Met de focus op de tabbalk: naar 4 Implementatie"),
        Binding("5", "pick(4)", "Stap", show=False, id="tabs.pick5", tooltip="Met de focus op de tabbalk: naar het overzicht"),
        Binding("left", "move(-1)", "Vorige stap", show=False, id="tabs.previous", tooltip="Met de focus op de tabbalk: naar de vorige tab"),
        Binding("right", "move(1)", "Volgende stap", show=False, id="tabs.next", tooltip="Met de focus op de tabbalk: naar de volgende tab"),
    ]
    COMPONENT_CLASSES = {"step-bar--tab", "step-bar--active", "step-bar--line", "step-bar--line-active", "step-bar--hint"}

    active: reactive[str] = reactive("", layout=False)
    browsing = False  # moving along the tabs with the arrows: the focus stays on the bar

    class Picked(Message):
        """The user asked for a tab (arrow key or click)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class EnterForm(Message):
        """The user wants to start typing in the step shown (Enter or ↓ on the bar)."""

    def __init__(self, tabs: list[tuple[str, str]], active: str, *, hints: tuple[str, ...] = (), id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = list(tabs)
        self.hints = hints  # said in the underline row while the bar has the focus, longest first
        self.set_reactive(StepBar.active, active)

    def spans(self) -> list[tuple[str, int, int]]:
        """(key, first cell, cell after the last) of every label, padding included."""
        out, x = [], 0
        for key, label in self.tabs:
            width = len(label) + 2 * PADDING
            out.append((key, x, x + width))
            x += width
        return out

    def render(self) -> Text:
        tab = self.get_component_rich_style("step-bar--tab")
        current = self.get_component_rich_style("step-bar--active")
        line = self.get_component_rich_style("step-bar--line")
        line_active = self.get_component_rich_style("step-bar--line-active")
        width = self.size.width
        labels, under = Text(no_wrap=True, overflow="crop"), Text(no_wrap=True, overflow="crop")
        pad = " " * PADDING
        for (key, label), (_, start, end) in zip(self.tabs, self.spans()):
            shown = key == self.active
            labels.append(pad + label + pad, current if shown else tab)
            under.append("━" * (end - start), Style(color=line_active.color) if shown else Style(color=line.color))
        rest = max(0, width - under.cell_len)
        under.append("━" * rest, Style(color=line.color))
        if self.has_focus:
            under = self._with_hint(under, width)
        return Text("\n").join([labels, under])

    def _with_hint(self, under: Text, width: int) -> Text:
        """The hint written into the underline row, beside the marked tab (after it where it
        fits, else before it); the longest hint that fits."""
        spans = {key: (start, end) for key, start, end in self.spans()}
        start, end = spans.get(self.active, (0, 0))
        style = self.get_component_rich_style("step-bar--hint")
        for hint in self.hints:
            text = f" {hint} "
            need = len(text) + 1
            if width - end >= need:
                at = end + 1
            elif start >= need:
                at = start - need
            else:
                continue
            return under[:at] + Text(text, style) + under[at + len(text):]
        return under

    def on_focus(self) -> None:
        self.refresh()

    def neighbour(self, delta: int) -> str:
        """The key ``delta`` tabs on from the one shown, round the circle."""
        keys = [k for k, _ in self.tabs]
        return keys[(keys.index(self.active) + delta) % len(keys)]

    def action_move(self, delta: int) -> None:
        self.browsing = True
        self.post_message(self.Picked(self.neighbour(delta)))

    def action_pick(self, index: int) -> None:
        self.browsing = True
        self.post_message(self.Picked(self.tabs[index][0]))

    typed_ahead: list[str] | None = None  # typed after Enter, before the form was there

    def action_enter_form(self) -> None:
        self.browsing = False
        for pane in self.screen.query(f"#pane-{self.active}"):
            pane.focus_first(now=True)
        if self.has_focus and self.typed_ahead is None and self._form_coming():
            self.typed_ahead = []  # what is typed until the form is there goes into its first field
        self.post_message(self.EnterForm())

    def _form_coming(self) -> bool:
        """The step shown has a pane whose form is still being built."""
        return any(not getattr(pane, "form_ready", True) for pane in self.screen.query(f"#pane-{self.active}"))

    def on_key(self, event: events.Key) -> None:
        if self.typed_ahead is not None and not self._form_coming():
            self.typed_ahead = None  # the form came and took no focus (nothing to type in): keys are keys again
        if self.typed_ahead is not None and event.is_printable and event.character:
            self.typed_ahead.append(event.character)  # not a step number now: text for the field
            event.stop()
            event.prevent_default()

    def on_blur(self) -> None:
        self.browsing = False
        typed, self.typed_ahead = self.typed_ahead, None
        if typed:
            self._hand_over("".join(typed))
        self.refresh()

    def _hand_over(self, text: str) -> None:
        """The text typed while waiting, added to the end of the field that took the focus (where
        the cursor goes when a filled field is entered)."""
        from textual.widgets import Input, TextArea

        field = self.app.focused
        if isinstance(field, Input):
            field.cursor_position = len(field.value)
            field.insert_text_at_cursor(text)
        elif isinstance(field, TextArea) and not field.read_only:
            field.move_cursor(field.document.end)
            field.insert(text)

    def on_click(self, event: events.Click) -> None:
        self.browsing = False
        for key, start, end in self.spans():
            if start <= event.x < end:
                self.post_message(self.Picked(key))
                return


class StepTabs(Vertical):
    """The bar and one page per tab; ``active`` is the key of the tab shown (kept by the bar)."""

    class TabActivated(Message):
        """A tab was shown (by the user or by setting ``active``)."""

        def __init__(self, tabs: "StepTabs", pane: StepPage) -> None:
            super().__init__()
            self.tabs = tabs
            self.pane = pane

        @property
        def control(self) -> "StepTabs":
            return self.tabs

    def __init__(self, tabs: list[tuple[str, str]], *, initial: str, hints: tuple[str, ...] = (), id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = list(tabs)
        self._bar = StepBar(self.tabs, initial, hints=hints, id="step-bar")

    @property
    def bar(self) -> StepBar:
        return self._bar

    def compose(self) -> ComposeResult:
        yield self._bar
        for key, _ in self.tabs:
            page = StepPage(id=key)
            page.display = key == self.active
            yield page

    @property
    def active(self) -> str:
        return self._bar.active

    @active.setter
    def active(self, key: str) -> None:
        if key not in (k for k, _ in self.tabs):
            raise ValueError(f"no tab {key!r}")
        if key == self.active:
            return
        self.get_child_by_id(self.active).display = False
        page = self.get_child_by_id(key, StepPage)
        page.display = True
        self._bar.active = key
        self.post_message(self.TabActivated(self, page))

    def step(self, delta: int) -> None:
        """Show the tab ``delta`` places on (F3/F4), round the circle."""
        self.active = self._bar.neighbour(delta)

    def on_step_bar_picked(self, event: StepBar.Picked) -> None:
        event.stop()
        self.active = event.key
