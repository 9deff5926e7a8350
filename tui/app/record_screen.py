"""Edit one record (a data source, an action, a register entry) in a form built from the schema."""

from __future__ import annotations

import copy
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.app.alive import DismissOnce
from tui.app.field_editor import FieldEditor
from tui.app.record_table import RecordOp, RecordTable
from tui.app.steady_footer import SteadyFooter
from tui.model.schema import TableSpec, load_schema


def _summary_columns(spec: TableSpec) -> list:
    """The first two fields of a nested table (not its kenmerk), labelled and written as
    everywhere else (a date as 01-07-2024, a purpose's legal basis by its name)."""
    from tui.model.values import format_value

    schema = load_schema()
    cols = []
    for key, f in [(k, f) for k, f in spec.fields.items() if k != "id"][:2]:
        if f.choices:
            cols.append((f.nl, lambda r, k=key, c=f.choices: schema.choice_label(c, r.get(k, "")) if r.get(k) else "·"))
        else:
            cols.append((f.nl, lambda r, k=key, t=f.type: format_value(t, r.get(k)) if r.get(k) not in (None, "") else "·"))
    return cols


class RecordScreen(DismissOnce, ModalScreen[dict | None]):
    """Returns the edited values (only the fields of this table), or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="record.cancel", tooltip="Sluiten zonder op te slaan (vraagt eerst als je iets hebt ingevuld)"),
        Binding("ctrl+s,f2", "accept", "Bewaren", id="record.accept", tooltip="Bewaar dit record in het werkboek"),
    ]

    def __init__(self, spec: TableSpec, record: dict, title: str, ref_options: dict[str, list[tuple[str, str]]], skip: tuple[str, ...] = (), advice=None, tips=None):
        super().__init__()
        self.advice = advice  # record -> text shown live under the title (e.g. the SMART check), a line each
        self.tips = tips  # record -> what to write, a line each; the first is shown under the advice
        self.spec = spec
        self.record = copy.deepcopy(record)  # nothing reaches the workbook until accepted
        self.original = copy.deepcopy(record)  # to ask before Esc throws edits away
        self.title_text = title
        self.ref_options = ref_options
        self.skip = skip

    def compose(self) -> ComposeResult:
        with Vertical(id="record-box"):
            yield Static(Content.assemble((self.title_text, "bold"), "  ", self.spec.uitleg), id="record-title")
            if self.advice:
                yield Static(self.advice(self.record), id="record-advice", markup=False)
            if self.tips:
                yield Static(self._first_tip(), id="record-tip", markup=False)
            with VerticalScroll(id="record-fields"):
                for key, f in self.spec.fields.items():
                    if key in self.skip:
                        continue
                    editor = FieldEditor(f, (key,), self.record.get(key), ref_options=self.ref_options.get(key), id=f"veld-{key}")
                    editor.spec_path = self.spec.path
                    yield editor
                for key, sub in self.subtables().items():
                    yield Static(Content.assemble((sub.nl, "bold"), "  ", sub.uitleg), classes="guide-text")
                    for fk, f in sub.fields.items():
                        editor = FieldEditor(f, (key, fk), (self.record.get(key) or {}).get(fk), id=f"veld-{key}-{fk}")
                        editor.spec_path = sub.path
                        yield editor
                for key, child in self.nested().items():
                    yield RecordTable(child.nl + (" (meer dan één mogelijk)" if child.many else ""), _summary_columns(child), f"Nog geen {child.nl.lower()}. Druk op a om er een toe te voegen.", id=f"sub-{key}")
            yield Static("", id="record-message", markup=False)
            with Horizontal(id="record-buttons"):
                yield Button("Bewaren (F2)", id="bewaren", variant="primary")
                yield Button("Annuleren (Esc)", id="annuleren")
        yield SteadyFooter()  # this form's own keys (the screen below showed its table's: a, d, v)

    SHORT = 30  # rows: below this the buttons lose their borders, so a field and its label fit

    def on_resize(self) -> None:
        short = self.size.height < self.SHORT
        self.set_class(short, "-short")
        for button in self.query("#record-buttons Button").results(Button):
            button.compact = short

    def on_descendant_focus(self, event) -> None:
        """A field's question stays in view with its answer (at 80x24 only the box showed)."""
        editor = next((a for a in event.widget.ancestors if isinstance(a, FieldEditor)), None)
        if editor is not None:
            self.shown_focus = False
            self.call_after_refresh(self._show_field, editor)

    shown_focus = False  # True once the focused field is scrolled into view, False again at each focus move (tests wait for it)

    def _show_field(self, editor: FieldEditor) -> None:
        fields = self.query("#record-fields")
        if fields and editor.is_attached:
            # at the top: the same place however Textual's own scroll to the focused box ran
            fields.first(VerticalScroll).scroll_to_widget(editor, animate=False, top=True)
        self.shown_focus = True

    def subtables(self) -> dict[str, TableSpec]:
        """Single tables inside this record (an action's A/B comparison)."""
        schema = load_schema()
        return {key: schema.tables[path] for key, path in schema.children.get(self.spec.path, {}).items() if not path.endswith("[]") and path in schema.tables}

    def nested(self) -> dict[str, TableSpec]:
        """Lists of tables inside this record (purposes, processors)."""
        schema = load_schema()
        return {key: schema.tables[path] for key, path in schema.children.get(self.spec.path, {}).items() if path.endswith("[]")}

    def on_mount(self) -> None:
        # the first field to fill in: a record that has its kenmerk starts after it
        for editor in self.query(FieldEditor):  # none when the app quits while this opens
            if editor.field.key == "id" and self.record.get("id"):
                continue
            editor.focus_input()
            break
        else:
            self.shown_focus = True  # no field to show
        for key in self.nested():
            self.query_one(f"#sub-{key}", RecordTable).show(self.record.get(key, []))

    def on_record_table_action(self, event: RecordTable.Action) -> None:
        event.stop()
        key = (event.table.id or "").removeprefix("sub-")
        child = self.nested()[key]
        items = self.record.setdefault(key, [])
        if event.action == RecordOp.REMOVE:
            del items[event.index]
            event.table.show(items)
            return
        index = event.index

        def accepted(values: dict | None) -> None:
            if values is None:
                return
            if index is None:
                items.append({k: v for k, v in values.items() if v not in ("", None, [])})
            else:
                items[index].update(values)
            event.table.show(items)

        current = items[index] if index is not None else {}
        self.app.push_screen(RecordScreen(child, current, f"{child.nl} {'toevoegen' if index is None else 'bewerken'}", {}), accepted)

    def on_field_editor_changed(self, event: FieldEditor.Changed) -> None:
        event.stop()
        if len(event.path) == 2:  # a field of a single sub-table
            self.record.setdefault(event.path[0], {})[event.path[1]] = event.value
        else:
            self.record[event.path[0]] = event.value
        if self.advice:
            self.query_one("#record-advice", Static).update(self.advice(self.record))
        if self.tips:
            self.query_one("#record-tip", Static).update(self._first_tip())

    def _first_tip(self) -> str:
        first = (self.tips(self.record).splitlines() or [""])[0] if self.tips else ""
        return f"Tip {first}" if first else ""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "bewaren":
            self.action_accept()
        else:
            self.action_cancel()

    def action_accept(self) -> None:
        invalid = [ed.field.nl for ed in self.query(FieldEditor) if not ed.is_valid]
        # a field with text that is not valid yet is named once, as not valid (not also as empty)
        missing = [f.nl for k, f in self.spec.fields.items() if f.required and k not in self.skip and not self.record.get(k) and f.nl not in invalid]
        if missing or invalid:
            parts = []
            if missing:
                parts.append("nog in te vullen: " + ", ".join(missing))
            if invalid:
                parts.append("nog niet geldig: " + ", ".join(invalid))
            self.query_one("#record-message", Static).update("; ".join(parts))
            return
        result: dict[str, Any] = {}
        for key in [*self.spec.fields, *self.subtables(), *self.nested()]:
            if key in self.record and key not in self.skip:
                result[key] = self.record[key]
        self.dismiss(result)

    def has_changes(self) -> bool:
        """Whether closing now would lose something typed (an emptied field that was empty is not)."""
        return _filled(self.record) != _filled(self.original)

    def action_cancel(self) -> None:
        if not self.has_changes():
            self.dismiss(None)
            return
        from tui.app.confirm_screen import confirm_discard

        confirm_discard(self)


def _filled(value: Any) -> Any:
    """``value`` without empty fields, at every depth: what a person would miss."""
    if isinstance(value, dict):
        kept = {k: _filled(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if not (v is None or v is False or v == "" or v == [] or v == {})}
    if isinstance(value, list):
        return [_filled(v) for v in value]
    return value
