"""What every step pane shares: the workbook, the cycle being edited, editors built from the schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.app.alive import alive, when_alive
from tui.model.guide import guide
from tui.model.schema import load_schema, spec_path_of

if TYPE_CHECKING:
    from tui.app.werkboek_app import WerkboekApp


class StepPane(VerticalScroll):
    """A scrollable form for one step of the current cycle.

    The step's introduction is part of the first frame; the form (many widgets) is mounted
    right after it, so a workbook opens at once and fills in (see docs/performance.md).
    """

    BINDINGS = [
        Binding("escape", "to_tabs", "Tabbalk", show=False, id="step.to_tabs", tooltip="In een veld van een stap: terug naar de tabbalk (daar kiest 1…5 een stap)"),
    ]

    step: str = ""
    can_focus = False  # the fields are the focus stops; the pane scrolls to them
    form_ready = False
    stale = False  # something this pane shows changed while it was hidden
    pending_focus: str | None = None  # a selector to focus once the form is mounted

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._own_edits: dict[tuple, int] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_head()
        yield Vertical(id="form")

    def compose_head(self) -> ComposeResult:
        if self.step:
            yield self.intro()

    def compose_form(self) -> ComposeResult:
        return iter(())

    @when_alive
    async def _mount_form(self) -> None:
        await self.query_one("#form").mount_all(list(self.compose_form()))
        if not alive(self):
            return  # the app quit or the pane was thrown away while the form was mounting
        self.form_ready = True
        self.refresh_from_model()
        if self.pending_focus:
            self.focus_target(self.pending_focus)
        else:
            self.focus_first()

    def focus_target(self, selector: str) -> None:
        """Focus a widget of the form (now, or as soon as the form is mounted: a pane just
        mounted does not run yet, so only the focusing itself waits for it to be alive)."""
        if not self.form_ready:
            self.pending_focus = selector
            return
        self.pending_focus = None
        if not alive(self):
            return
        for widget in self.query(selector):
            widget.focus(scroll_visible=False)
            # scroll once the freshly mounted form has a layout; the table's title stays in view
            self.call_after_refresh(self._scroll_form_to, widget)
            return

    @when_alive
    def _scroll_form_to(self, widget) -> None:
        if alive(widget):
            (widget.parent or widget).scroll_visible(top=True, animate=False)

    @property
    def wapp(self) -> "WerkboekApp":
        return self.app  # type: ignore[return-value]

    @property
    def cycle_path(self) -> tuple:
        return ("cyclus", self.wapp.cycle_index)

    def get(self, *path: Any, default: Any = None) -> Any:
        return self.wapp.workbook.get(tuple(path), default)

    def editor(self, path: tuple, *, label: str | None = None, ref_options=None, suggestions=None, classes: str | None = None):
        from tui.app.field_editor import FieldEditor  # the form's widgets load after the first frame

        spec = spec_path_of(path[:-1])
        f = load_schema().tables[spec].fields[path[-1]]
        ed = FieldEditor(f, path, self.wapp.workbook.get(path), label=label, ref_options=ref_options, suggestions=suggestions, live=True, id="veld-" + "-".join(str(p) for p in (path[2:] if path[0] == "cyclus" else path) if not isinstance(p, int)), classes=classes)
        ed.spec_path = spec
        return ed

    def intro(self) -> Static:
        s = guide()["stappen"][self.step]
        return Static(f"[b]{s['nummer']} {s['titel']} · [/b]{s['opdracht']}\n[i]{s['vragen']}[/i]", classes="step-intro", markup=True)

    def refresh_from_model(self) -> None:
        """Called after the workbook changed outside this pane (a record added, a new cycle).
        Panes override ``update_view``; nothing happens before the form is mounted, nor once
        the pane is gone (the app quitting, the pane thrown away by a rebuild)."""
        if self.form_ready and alive(self):
            self.stale = False
            self.update_view()

    def refresh_if_changed(self) -> None:
        """On showing the tab again: rebuild derived views only when something they show changed."""
        if self.stale:
            self.refresh_from_model()

    def update_view(self) -> None:
        """Bring what this pane derives from the workbook up to date."""

    def workbook_changed(self, path: tuple) -> None:
        """Called by the app after it wrote ``path``; panes update what depends on it."""
        if self._own_edits.get(path):
            self._own_edits[path] -= 1  # typed here: this form shows it already (and may be ahead)
        elif self.form_ready and self.screen is not self.app.screen:
            self._show_written_value(path)  # written on another screen (presentation mode)
        if self.depends_on(path):
            if self.form_ready and self._is_shown_tab():
                self.update_changed(path)
            else:
                self.stale = True

    def update_changed(self, path: tuple) -> None:
        """Bring up to date what a change at ``path`` affects (panes with costly parts narrow it)."""
        self.refresh_from_model()

    def depends_on(self, path: tuple) -> bool:
        return False

    def on_field_editor_changed(self, event) -> None:
        """An edit of this form on its way to the app (not stopped): counted, so that writing it
        does not set the field back to a value the person has typed past."""
        self._own_edits[event.path] = self._own_edits.get(event.path, 0) + 1

    def _show_written_value(self, path: tuple) -> None:
        """A field of this form written elsewhere (presentation mode edits the same answers):
        its input shows the workbook's value, so a later edit here does not undo that one."""
        from textual.widgets import Checkbox, Input, Select, TextArea

        from tui.app.field_editor import FieldEditor
        from tui.model.values import format_value

        for editor in self.query(FieldEditor):
            if editor.path != path:
                continue
            value = self.wapp.workbook.get(path)
            shown = "" if value is None and editor.field.type not in ("waarheid", "lijst", "verwijzingen") else value
            if shown == editor.value or editor.field.type in ("lijst", "verwijzingen"):
                continue
            editor.value = shown  # set first: showing it is then no edit to send back
            for area in editor.query(TextArea):
                area.load_text(shown or "")
            for inp in editor.query(Input):
                inp.value = format_value(editor.field.type, shown)
            for select in editor.query(Select):
                select.value = shown if shown else Select.NULL
            for box in editor.query(Checkbox):
                box.value = bool(shown)

    def _on_mount(self, event) -> None:
        super()._on_mount(event)
        self.call_after_refresh(self._mount_form)

    def _is_shown_tab(self) -> bool:
        from tui.app.step_tabs import StepTabs

        for tabs in self.app.query(StepTabs):
            return tabs.active == (self.parent.id if self.parent else None)
        return False

    def action_to_tabs(self) -> None:
        """Esc in a field: back to the tab bar, where 1…5 choose a step."""
        from tui.app.step_tabs import StepTabs

        for tabs in self.app.query(StepTabs):
            tabs.bar.focus()
            tabs.bar.browsing = True

    @when_alive
    def focus_first(self, now: bool = False) -> None:
        """Keyboard users land on the first field of the step they switched to. ``now``: the
        focus moves before the next key is handed out (Widget.focus waits for the next turn)."""
        from tui.app.step_tabs import StepBar

        focused = self.app.focused
        if focused is not None and (self in focused.ancestors or (isinstance(focused, StepBar) and focused.browsing)):
            return  # already in this step, or browsing the tabs with the arrow keys
        if self.app.screen is not self.screen or not self._is_shown_tab():
            return
        for widget in self.query("*"):
            if widget.focusable:
                if now:
                    self.screen.set_focus(widget, scroll_visible=False)
                else:
                    widget.focus(scroll_visible=False)  # keep the step's introduction in view ...
                self.call_after_refresh(self._show_focus, widget)
                return

    @when_alive
    def _show_focus(self, widget) -> None:
        """... unless that hides the field with the focus (a small terminal, a long introduction):
        then scroll just far enough to show it."""
        if not alive(widget):
            return
        if widget.region.y >= self.region.bottom - 1 or not widget.region:
            widget.scroll_visible(animate=False)
