"""One workbook field: its question, the right input for its type, and a message line.

Built from the schema (tui/content/schema.toml), so every form in the app edits the file the same
way: what a person types is checked as they type, and only a valid value is sent on as
``FieldEditor.Changed``; the app then writes it into the workbook.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.validation import ValidationResult, Validator
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from tui.app.dutch import dutch_select_menu
from tui.app.marked_selection_list import MarkedSelectionList
from tui.app.ordered_keys import OrderedInput
from tui.app.safe_select import SafeSelect
from tui.app.safe_text_area import SafeTextArea
from tui.model import values
from tui.model.schema import Field, load_schema

dutch_select_menu()

PARSERS = {
    "datum": values.parse_date,
    "tijdstip": values.parse_datetime,
    "getal": lambda t: values.parse_number(t, whole=False),
    "geheel": lambda t: values.parse_number(t, whole=True),
}
PLACEHOLDERS = {"datum": "dd-mm-jjjj", "tijdstip": "dd-mm-jjjj uu:mm", "getal": "getal", "geheel": "geheel getal", "lijst": "a; b; c"}


class ParseValidator(Validator):
    def __init__(self, field: Field):
        super().__init__()
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        parse = PARSERS.get(self.field.type)
        if self.field.required and not value.strip():
            return self.failure("verplicht")
        if parse is None:
            return self.success()
        try:
            parsed = parse(value)
        except ValueError as exc:
            return self.failure(str(exc))
        if self.field.min is not None and parsed is not None and parsed < self.field.min:
            return self.failure(f"minstens {self.field.min}")
        return self.success()


class FieldEditor(Vertical):
    """Label + input + message for one field at ``path`` in the workbook."""

    DEFAULT_CSS = """
    FieldEditor { height: auto; margin: 0 0 1 0; }
    FieldEditor > .question { width: 1fr; }
    FieldEditor > .message { color: $error; height: auto; }
    FieldEditor > .message.-empty { display: none; }
    FieldEditor TextArea { height: 4; }
    FieldEditor SelectionList { height: auto; max-height: 8; }
    FieldEditor SelectionList:focus { border: tall $accent; }
    FieldEditor Select:focus > SelectCurrent { border: tall $accent; }
    """

    class Changed(Message):
        def __init__(self, editor: "FieldEditor", path: tuple, value: Any):
            super().__init__()
            self.editor = editor
            self.path = path
            self.value = value

        @property
        def control(self) -> "FieldEditor":
            return self.editor

    EMPTY = {"keuze": "", "jn": "", "verwijzing": "", "tekst": "", "lange_tekst": "", "waarheid": False, "lijst": [], "verwijzingen": []}

    def __init__(self, field: Field, path: tuple, value: Any, *, label: str | None = None, ref_options: list[tuple[str, str]] | None = None, suggestions: list[str] | None = None, id: str | None = None, classes: str | None = None, live: bool = False, type_to_search: bool = True):
        super().__init__(id=id, classes=classes)
        self.field = field
        self.path = path
        # live: a view of the workbook at ``path`` (a step's form, presentation mode): it shows
        # every change made elsewhere. Not live: a draft in a record form, applied when accepted.
        self.live = live
        # a drop-down's open list jumps to the option a typed letter begins; not on a slide, where
        # a clicker's b and . blank the screen
        self.type_to_search = type_to_search
        # what an empty widget reports, so that building the form never counts as an edit
        self.value = self.EMPTY.get(field.type) if value is None else value
        self.label = label or field.nl
        self.ref_options = ref_options or []
        self.suggestions = suggestions or []

    # -- building
    def compose(self) -> ComposeResult:
        f = self.field
        yield Label(self.label + (" *" if f.required else ""), classes="question")
        if f.type == "lange_tekst":
            # a steady cursor: blinking repaints twice a second, which costs traffic over SSH
            area = SafeTextArea(self.value or "", soft_wrap=True, tab_behavior="focus", classes="input")
            area.cursor_blink = False
            yield area
        elif f.type in ("keuze", "jn"):
            yield SafeSelect(self._options(), prompt="— kies —", allow_blank=True, value=self.value if self.value else Select.NULL, compact=True, type_to_search=self.type_to_search, classes="input")
        elif f.type == "verwijzing":
            # record names are the user's words: Text, never markup
            yield SafeSelect([(Text(label), v) for label, v in self.ref_options], prompt="— geen —", allow_blank=True, value=self.value if self.value in {v for _, v in self.ref_options} else Select.NULL, compact=True, type_to_search=self.type_to_search, classes="input")
        elif f.type == "waarheid":
            yield Checkbox("ja", value=bool(self.value), classes="input")
        elif f.type == "verwijzingen":
            chosen = set(self.value or [])
            yield MarkedSelectionList(*[Selection(Text(label), v, v in chosen) for label, v in self.ref_options], classes="input")
        else:
            inp = OrderedInput(
                values.format_value(f.type, self.value),
                placeholder=PLACEHOLDERS.get(f.type, ""),
                validators=[ParseValidator(f)],
                validate_on=["changed", "blur"],
                suggester=SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None,
                classes="input",
                select_on_focus=False,  # one key must not replace an answer: the cursor goes to the end
            )
            inp.cursor_blink = False
            yield inp
        yield Static("", classes="message -empty", markup=False)  # it may quote what was typed

    def _options(self) -> list[tuple[str, str]]:
        if self.field.type == "jn":
            return [("ja", "ja"), ("nee", "nee")]
        schema = load_schema()
        return [(schema.choice_label(self.field.choices, v), v) for v in schema.choice_values(self.field.choices)]

    # -- a view of the workbook
    def on_mount(self) -> None:
        if self.live and hasattr(self.app, "register_editor"):
            self.app.register_editor(self)

    def on_unmount(self) -> None:
        if self.live and hasattr(self.app, "unregister_editor"):
            self.app.unregister_editor(self)

    def show_value(self, value: Any) -> None:
        """Show ``value`` (changed elsewhere: another screen, a reload, an import) without
        sending it back as an edit; the cursor goes to the end of the text."""
        value = self.EMPTY.get(self.field.type) if value is None else value
        if value == self.value or not self.is_attached:
            return
        self.value = value
        f = self.field
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed, Checkbox.Changed, SelectionList.SelectedChanged):
            for widget in self.query(".input"):
                if isinstance(widget, TextArea):
                    widget.text = value or ""
                    widget.move_cursor(widget.document.end)
                elif isinstance(widget, Input):
                    widget.value = values.format_value(f.type, value)
                    widget.cursor_position = len(widget.value)
                elif isinstance(widget, Select):
                    options = {v for _, v in (self.ref_options if f.type == "verwijzing" else self._options())}
                    widget.value = value if value in options else Select.NULL
                elif isinstance(widget, Checkbox):
                    widget.value = bool(value)
                elif isinstance(widget, SelectionList):
                    chosen = set(value or [])
                    for option_value in [widget.get_option_at_index(i).value for i in range(widget.option_count)]:
                        (widget.select if option_value in chosen else widget.deselect)(option_value)
        self._message("")

    # -- reacting
    def _message(self, text: str) -> None:
        msg = self.query_one(".message", Static)
        msg.update(text)
        msg.set_class(not text, "-empty")

    def _emit(self, value: Any) -> None:
        if value == self.value:
            return
        self.value = value
        self.post_message(self.Changed(self, self.path, value))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        result = event.validation_result
        if result is not None and not result.is_valid:
            self._message("; ".join(result.failure_descriptions))
            return
        self._message("")
        text = event.value
        if self.field.type in PARSERS:
            value = PARSERS[self.field.type](text)
        elif self.field.type == "lijst":
            value = values.parse_list(text)
        else:
            value = text
        self._emit(value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._emit(event.text_area.text)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._emit("" if event.value is Select.NULL else event.value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._emit(event.value)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self._emit(list(event.selection_list.selected))

    @property
    def is_valid(self) -> bool:
        for inp in self.query(Input):
            result = inp.validate(inp.value)
            if result is not None and not result.is_valid:
                self._message("; ".join(result.failure_descriptions))
                return False
        return True

    def on_descendant_focus(self, event) -> None:
        """Tabbing into a filled field: the cursor at the end, so a key adds to the answer (it
        neither replaces it nor lands in front of it)."""
        widget = event.widget
        if isinstance(widget, Input):
            widget.cursor_position = len(widget.value)
        elif isinstance(widget, TextArea) and widget.cursor_location == (0, 0):
            widget.move_cursor(widget.document.end)

    def on_key(self, event) -> None:
        """A choice field takes the first letter of an answer: j for ja, n for nee. The key came
        up from this editor's own drop-down (the focus may have moved on since: keys typed
        together are handed out before the first is handled)."""
        selects = self.query(Select)
        if not selects or selects.first().expanded:
            return
        select = selects.first()
        char = (event.character or "").lower()
        if len(char) != 1 or not char.isalpha():
            return
        options = self.ref_options if self.field.type == "verwijzing" else self._options()
        matches = [v for label, v in options if str(label).lower().startswith(char)]
        if not matches:
            return
        event.stop()
        event.prevent_default()
        current = select.value
        select.value = matches[(matches.index(current) + 1) % len(matches)] if current in matches else matches[0]

    def focus_input(self) -> None:
        self.query_one(".input").focus()
