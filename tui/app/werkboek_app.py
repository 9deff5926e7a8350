"""The application shell: header, the four step tabs and the overview, saving, help and commands."""

from __future__ import annotations

import copy
import datetime as dt
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.dom import NoScreen
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Footer, Header, Static

import tui
from tui import storage
from tui.app.alive import when_alive
from tui.app.step_tabs import StepPage, StepTabs
from tui.config import Config, load_config
from tui.model import rules

# Screens, dialogs and forms are imported where they are first needed: the first frame only
# needs the shell and step 1 (see docs/performance.md).

AUTOSAVE_SECONDS = 3.0
TABS = [
    ("vraagstuk", "1 Vraagstuk"),
    ("data", "2 Data"),
    ("actie", "3 Actie & evaluatie"),
    ("implementatie", "4 Implementatie"),
    ("overzicht", "Overzicht"),
]

# For a projector and for anyone who needs it: white on black, yellow focus, no subtle greys.
HIGH_CONTRAST_THEME = Theme(
    name="publieksdata-hoog-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFD700",
    error="#FF6060",
    success="#60FF60",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#303030",
    dark=True,
    variables={"text-muted": "#FFFFFF", "footer-key-foreground": "#FFFF00", "block-cursor-background": "#FFFF00", "block-cursor-foreground": "#000000"},
)

# Record lists the app can add to and edit: table id -> (path below the cycle or the root, spec, title)
RECORDS = {
    "bronnen": (("databronnen",), "databronnen[]", "Databron", False),
    "acties": (("acties",), "cyclus[].acties[]", "Actie", True),
    "systemen": (("systemen",), "systemen[]", "Systeem", False),
    "verwerkingsregister": (("verwerkingsregister",), "verwerkingsregister[]", "Verwerking", False),
    "datalekregister": (("datalekregister",), "datalekregister[]", "Datalek", False),
}
REFS = {"databronnen[]": ("databronnen", "naam"), "verwerkingsregister[]": ("verwerkingsregister", "naam"), "cyclus[].acties[]": (None, "titel")}


class WerkboekApp(App):
    TITLE = "Publieksdata werkboek"
    CSS_PATH = Path(__file__).parent / "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        # priority: F1 works in record forms and dialogs too (a modal screen holds back the app's other keys)
        Binding("f1", "help", "Uitleg", id="app.help", tooltip="De tekst uit de gids bij het veld waar je staat", priority=True),
        Binding("ctrl+s,f2", "save", "Opslaan", id="app.save", tooltip="Sla het werkboek nu op (F2 werkt ook waar Ctrl+S niet doorkomt)"),
        Binding("f3,ctrl+pageup", "previous_tab", "Vorige stap", id="app.previous_tab", tooltip="Naar de vorige tab; werkt ook in een tekstveld"),
        Binding("f4,ctrl+pagedown", "next_tab", "Volgende stap", id="app.next_tab", tooltip="Naar de volgende tab; werkt ook in een tekstveld"),
        Binding("f5", "export", "Exporteer", id="app.export", tooltip="Exporteer naar Excel voor het management"),
        Binding("f6", "presentation", "Presentatie", id="app.presentation", tooltip="Presentatiemodus voor een beamer: hoog contrast, één vraag tegelijk, groot", priority=True),
        Binding("f7", "copy", "Kopieer", show=False, id="app.copy", tooltip="Kopieer de vraag en het antwoord waar je staat naar het klembord (OSC 52, werkt ook over SSH)", priority=True),
        Binding("ctrl+q,f10", "request_quit", "Afsluiten", id="app.quit", tooltip="Sluit de app (vraagt eerst bij niet-opgeslagen wijzigingen)", priority=True),
        Binding("1", "show_tab('vraagstuk')", "Stap 1", show=False, id="app.tab1", tooltip="Naar 1 Vraagstuk (buiten een tekstveld)"),
        Binding("2", "show_tab('data')", "Stap 2", show=False, id="app.tab2", tooltip="Naar 2 Data (buiten een tekstveld)"),
        Binding("3", "show_tab('actie')", "Stap 3", show=False, id="app.tab3", tooltip="Naar 3 Actie & evaluatie (buiten een tekstveld)"),
        Binding("4", "show_tab('implementatie')", "Stap 4", show=False, id="app.tab4", tooltip="Naar 4 Implementatie (buiten een tekstveld)"),
        Binding("5", "show_tab('overzicht')", "Overzicht", show=False, id="app.tab5", tooltip="Naar het overzicht (buiten een tekstveld)"),
    ]

    def __init__(self, path: Path | str, *, clock: Callable[[], dt.datetime] | None = None, autosave: float = AUTOSAVE_SECONDS, config: Config | None = None):
        super().__init__()
        self.config = config if config is not None else load_config()
        self.register_theme(HIGH_CONTRAST_THEME)
        # No sliding underlines or smooth scrolls: every frame counts over SSH, and a projector
        # audience should see the new step at once.
        self.animation_level = "none"
        self.path = Path(path)
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc).astimezone())
        self.autosave_seconds = autosave
        self.workbook: storage.Workbook | None = None
        self.load_problems: list[str] = []
        self.cycle_index = 0
        self._autosave_timer = None
        self._built: set[str] = set()
        self._saving = False
        self.last_saved: dt.datetime | None = None
        self.startup_seconds: float | None = None
        try:
            self.workbook = storage.load(self.path)
            self.cycle_index = max(0, len(self.workbook.data.get("cyclus", [])) - 1)
        except storage.WorkbookError as exc:
            self.load_problems = [p.format(str(self.path)) for p in exc.problems]

    # ------------------------------------------------------------------ time (injectable for tests)
    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.clock().date()

    # ------------------------------------------------------------------ building
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("", id="alerts", markup=False)
        if self.workbook is not None:
            yield StepTabs(TABS, initial="vraagstuk", id="tabs")
        yield Footer()

    def on_mount(self) -> None:
        if self.theme != self.config.textual_theme:  # setting it restyles everything: only when it differs
            self.theme = self.config.textual_theme
        if self.config.toetsen:
            self.set_keymap(self.config.toetsen)
        if self.workbook is None:
            from tui.app.error_screen import ParseErrorScreen

            self.push_screen(ParseErrorScreen(str(self.path), self.load_problems))
            return
        if not self.workbook.data.get("cyclus"):
            self.workbook.append(("cyclus",), {"nummer": 1, "start": self.today()})
        self._build_tab("vraagstuk")
        self._load_document()
        self.update_header()
        self._announce_presence()

    async def on_event(self, event: events.Event) -> None:
        # keys and pastes that arrive after a quit (typed ahead, in the same burst) do nothing:
        # the screens they would open or change are closing
        if self._exit and isinstance(event, (events.Key, events.Paste)):
            return
        await super().on_event(event)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None, markup: bool = False) -> None:
        """Notifications name files, paths and the user's own words: shown literally unless a
        caller asks for markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    @work(thread=True, group="presence")
    def _announce_presence(self) -> None:
        """Two sessions on one workbook (two SSH logins, two browser tabs) see each other.
        File work off the UI thread: it is not needed for the first frame."""
        from tui import presence

        found = presence.claim(self.path)
        if found:
            who = "; ".join(p.label for p in found)
            self.call_from_thread(self._show_presence, who)

    @when_alive
    def _show_presence(self, who: str) -> None:
        self.notify(f"Dit werkboek is ook open bij {who}. Jullie kunnen elkaars werk niet ongemerkt overschrijven: bij opslaan waarschuwt de app als het bestand intussen is veranderd.", title="Ook in gebruik", severity="warning", timeout=20)

    def on_unmount(self) -> None:
        if self.workbook is not None:
            from tui import presence

            presence.release(self.path)


    def on_ready(self) -> None:
        self.startup_seconds = time.perf_counter() - tui.STARTED
        self.log(f"first frame after {self.startup_seconds * 1000:.0f} ms")
        if self.config.path is not None and self.config.path.exists():
            self._check_config()

    @work(thread=True, group="config")
    def _check_config(self) -> None:
        """Report every mistake in the user's config at once, after the first frame (knowing
        the binding ids means importing every screen)."""
        from tui.app.keys import binding_ids

        checked = load_config(self.config.path, binding_ids())
        if checked.problems:
            text = "\n".join(p.format(str(self.config.path)) for p in checked.problems)
            self.call_from_thread(self.notify, text + "\nDe standaardwaarde geldt waar iets niet klopt.", title="Instellingen", severity="warning", timeout=15)

    @work(thread=True, exclusive=True, group="document")
    def _load_document(self) -> None:
        # tomlkit is needed only to save: parse it off the UI thread (edits wait for it if early)
        self.workbook.document()

    def _pane_for(self, key: str):
        """Only the pane being built is imported (the overview's timeline, for one, is not light)."""
        import importlib

        names = {"vraagstuk": "VraagstukPane", "data": "DataPane", "actie": "ActiePane", "implementatie": "ImplementatiePane", "overzicht": "OverzichtPane"}
        module = importlib.import_module(f"tui.app.panes.{key}")
        return getattr(module, names[key])(id=f"pane-{key}")

    def _build_tab(self, key: str) -> None:
        """Hidden tabs are built when first shown (not while the app quits: nothing mounts then)."""
        if key in self._built or self._exit:
            return
        self._built.add(key)
        self.query_one(f"StepPage#{key}", StepPage).mount(self._pane_for(key))

    def pane_ready(self, key: str) -> bool:
        """Whether the tab's pane is built and its form mounted (the form comes after the first frame)."""
        panes = self.query(f"#pane-{key}")
        return bool(panes) and panes.first().form_ready

    def on_step_tabs_tab_activated(self, event: StepTabs.TabActivated) -> None:
        key = event.pane.id or ""
        if key in self._built:
            pane = self.query(f"#pane-{key}")
            if pane:
                pane.first().refresh_if_changed()
        self._build_tab(key)
        for pane in self.query(f"#pane-{key}"):
            self.call_after_refresh(pane.focus_first)

    def rebuild(self) -> None:
        """After a reload or a new cycle: throw the panes away and build the visible one again."""
        self.call_later(self._rebuild)

    @when_alive
    async def _rebuild(self) -> None:
        old = [pane for key in list(self._built) for pane in self.query(f"#pane-{key}")]
        self._built.clear()
        for pane in old:
            await pane.remove()
        self._build_tab(self.query_one(StepTabs).active)
        self.update_header()

    # ------------------------------------------------------------------ header and alerts
    def update_header(self) -> None:
        wb = self.workbook
        if wb is None:
            return
        self.title = wb.get(("organisatie", "naam")) or "Publieksdata werkboek"
        cycles = wb.data.get("cyclus", [])
        cycle = cycles[self.cycle_index] if cycles else {}
        state = "● niet opgeslagen" if wb.dirty else (f"✓ opgeslagen {self.last_saved:%H:%M}" if self.last_saved else "✓ opgeslagen")
        self.sub_title = f"ronde {cycle.get('nummer', 1)}/{len(cycles)} · {state}"
        pending = []  # (remaining, id, label): the breach whose deadline comes first leads
        for b in wb.data.get("datalekregister", []):
            clock = rules.breach_clock(b, self.now())
            if clock and clock.state in ("open", "verlopen"):
                pending.append((clock.state != "open", clock.remaining, b.get("id", ""), clock.label))
        pending.sort()
        alerts = [f"⚠ Datalek {ident}: {label}" for _, _, ident, label in pending]
        if len(alerts) > 2:  # one line however many: the step below stays in view at 80x24
            alerts = [f"{alerts[0]} · en nog {len(alerts) - 1} datalekken niet gemeld of afgesloten (Overzicht of stap 4)"]
        bar = self.query_one("#alerts", Static)
        bar.update("  ".join(alerts))
        bar.display = bool(alerts)

    # ------------------------------------------------------------------ editing
    def apply(self, path: tuple, value: Any) -> None:
        """Write one value into the workbook (the only way widgets change the file's content)."""
        try:
            self.workbook.set(path, value)
        except ValueError as exc:
            self.notify(str(exc), severity="error", title="Niet opgeslagen")
            return
        self.changed()
        for key in self._built:
            for pane in self.query(f"#pane-{key}"):
                pane.workbook_changed(path)

    def changed(self) -> None:
        self.update_header()
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        if self.autosave_seconds:
            self._autosave_timer = self.set_timer(self.autosave_seconds, self.autosave)

    def on_field_editor_changed(self, event) -> None:
        from tui.app.record_screen import RecordScreen

        try:
            in_form = isinstance(event.editor.screen, RecordScreen)
        except NoScreen:  # removed before its message arrived (a slide moved on): still the user's words
            in_form = False
        if in_form:
            return  # a record form bundles its fields; it is applied when accepted
        self.apply(event.path, event.value)

    # ------------------------------------------------------------------ records
    def _record_base(self, table_id: str) -> tuple:
        rel, _, _, per_cycle = RECORDS[table_id]
        return (("cyclus", self.cycle_index) + rel) if per_cycle else rel

    def _ref_options(self, spec_path: str) -> dict[str, list[tuple[str, str]]]:
        from tui.model.schema import load_schema

        out = {}
        for key, f in load_schema().tables[spec_path].fields.items():
            if f.ref in REFS:
                root, name_key = REFS[f.ref]
                records = self.workbook.data.get(root, []) if root else self.workbook.get(("cyclus", self.cycle_index, "acties"), [])
                out[key] = [(f"{r.get(name_key, '')} ({r.get('id', '')})", r.get("id", "")) for r in records if r.get("id")]
        return out

    def on_record_table_action(self, event) -> None:
        self.record_action(event.table.id or "", event.action, event.index)

    def record_action(self, table_id: str, action: str, index: int | None, example: dict | None = None, *, offer_examples: bool = True) -> None:
        """Add ('add', index None, optionally prefilled from ``example``), edit or remove a record
        of one of the RECORDS lists: from its table, from the timeline, or as a follow-up."""
        from tui.app.confirm_screen import ChoiceScreen
        from tui.app.record_screen import RecordScreen
        from tui.model.schema import load_schema
        from tui.model.values import slug

        if table_id not in RECORDS:
            return
        base = self._record_base(table_id)
        _, spec_path, title, _ = RECORDS[table_id]
        spec = load_schema().tables[spec_path]
        records = self.workbook.get(base, []) or []
        if action == "remove":
            rec = records[index]
            name = rec.get("naam") or rec.get("titel") or rec.get("id") or ""

            def done(answer: str | None) -> None:
                if answer == "verwijderen":
                    self.workbook.delete(base + (index,))
                    self.changed()
                    self.refresh_panes()

            self.push_screen(ChoiceScreen(f"{title} '{name}' verwijderen?", [("verwijderen", "Verwijderen"), ("annuleren", "Annuleren")]), done)
            return
        record = records[index] if index is not None else (example or {})
        skip = ("id",) if index is None else ()
        if index is None and example is None and offer_examples and table_id == "verwerkingsregister":
            self._offer_register_examples()
            return

        def accepted(values: dict | None) -> None:
            if values is None:
                return
            if index is None:
                if "id" in spec.fields:
                    taken = self._all_ids()
                    proposed = record.get("id") or values.get("naam") or values.get("titel") or title
                    values = {"id": slug(proposed, taken), **values}
                self.workbook.append(base, {k: v for k, v in values.items() if v not in ("", None, [])})
            else:
                for key, value in values.items():
                    if record.get(key) != value:
                        self.workbook.set(base + (index, key), value if value is not None else None)
            self.changed()
            self.refresh_panes()

        advice = None
        if spec_path == "cyclus[].acties[]":
            from tui.model.smart import smart_summary

            advice = smart_summary
        self.push_screen(RecordScreen(spec, record, f"{title} {'toevoegen' if index is None else 'bewerken'}", self._ref_options(spec_path), skip=skip, advice=advice), accepted)

    def _offer_register_examples(self) -> None:
        """A new processing activity can start from one of the guide's usual sources."""
        from tui.app.confirm_screen import ChoiceScreen
        from tui.model.guide import register_example, register_examples

        answers = [("leeg", "Leeg record")] + [(ex["kenmerk"], ex["titel"]) for ex in register_examples()]

        def chosen(answer: str | None) -> None:
            if answer in (None, "annuleren"):
                return
            self.record_action("verwerkingsregister", "add", None, None if answer == "leeg" else register_example(answer), offer_examples=False)

        self.push_screen(ChoiceScreen("Waarmee begin je? Een voorbeeld is een begin: pas het aan aan je eigen situatie.", answers), chosen)

    def _all_ids(self) -> set[str]:
        data = self.workbook.data
        ids = {r.get("id", "") for k in ("databronnen", "verwerkingsregister", "datalekregister") for r in data.get(k, [])}
        ids |= {a.get("id", "") for c in data.get("cyclus", []) for a in c.get("acties", [])}
        return ids

    def refresh_panes(self) -> None:
        for key in self._built:
            for pane in self.query(f"#pane-{key}"):
                pane.refresh_from_model()
        self.update_header()

    # ------------------------------------------------------------------ saving
    @when_alive
    def autosave(self) -> None:
        self._autosave_timer = None
        if self.workbook is not None and self.workbook.dirty and not self._saving:
            self.action_save(quiet=True)

    def action_save(self, quiet: bool = False, force: bool = False) -> None:
        if self.workbook is None:
            return
        if not self.workbook.dirty and not force:
            if not quiet:
                self.notify("Er is niets nieuws om op te slaan.")
            return
        try:
            prepared = storage.prepare(self.workbook)
        except storage.SaveError as exc:
            self.notify(str(exc), severity="error", title="Niet opgeslagen")
            return
        self._saving = True
        self._write(prepared, force, quiet)

    @work(thread=True, exclusive=True, group="save")
    def _write(self, prepared: storage.Prepared, force: bool, quiet: bool) -> None:
        try:
            storage.write_prepared(self.workbook, prepared, force=force)
        except storage.SaveConflict as exc:
            self.call_from_thread(self._on_conflict, exc)
        except storage.SaveError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", title="Niet opgeslagen")
        else:
            self.call_from_thread(self._on_saved, quiet)
        finally:
            self._saving = False

    @when_alive
    def _on_saved(self, quiet: bool) -> None:
        self.last_saved = self.now()
        self.update_header()
        if not quiet:
            self.notify(f"Opgeslagen in {self.path}")

    @when_alive
    def _on_conflict(self, exc: storage.SaveConflict) -> None:
        from tui.app.conflict_screen import ConflictScreen

        copy_path = str(self.path.with_name(f"{self.path.stem}-mijn-versie{self.path.suffix}"))

        def chosen(result: tuple[str, str] | None) -> None:
            choice, target = result or ("annuleren", "")
            if choice == "herladen":
                self.reload()
            elif choice == "overschrijven":
                self.action_save(force=True)
            elif choice == "kopie":
                try:
                    storage.save_copy(self.workbook, target)
                except (FileExistsError, storage.SaveError) as err:
                    self.notify(f"{target}: {err}", severity="error", title="Kopie niet opgeslagen")
                    return
                self.path = Path(target)
                self.last_saved = self.now()
                self.update_header()
                self.notify(f"Je versie staat nu in {target}; de app werkt verder in dat bestand.")

        self.push_screen(ConflictScreen(str(self.path), self.workbook.render(), exc.current_text, copy_path), chosen)

    def reload(self) -> None:
        try:
            self.workbook = storage.load(self.path)
        except storage.WorkbookError as exc:
            from tui.app.error_screen import ParseErrorScreen

            self.push_screen(ParseErrorScreen(str(self.path), [p.format(str(self.path)) for p in exc.problems]))
            return
        self.cycle_index = min(self.cycle_index, max(0, len(self.workbook.data.get("cyclus", [])) - 1))
        self._load_document()
        self.rebuild()
        self.notify("Het werkboek is opnieuw ingelezen van schijf.")

    # ------------------------------------------------------------------ quitting
    def action_request_quit(self) -> None:
        from tui.app.confirm_screen import ChoiceScreen

        if self.workbook is None or not self.workbook.dirty:
            self.exit()
            return

        def answered(answer: str | None) -> None:
            if answer == "weggooien":
                self.exit()
            elif answer == "opslaan":
                try:
                    storage.save(self.workbook)
                except storage.SaveConflict as exc:
                    self._on_conflict(exc)
                    return
                except storage.SaveError as exc:
                    self.notify(str(exc), severity="error", title="Niet opgeslagen")
                    return
                self.exit()

        self.push_screen(
            ChoiceScreen(
                "Er zijn wijzigingen die nog niet zijn opgeslagen.",
                [("opslaan", "Opslaan en afsluiten"), ("weggooien", "Afsluiten zonder opslaan"), ("annuleren", "Annuleren")],
            ),
            answered,
        )

    # ------------------------------------------------------------------ navigation
    def action_show_tab(self, key: str) -> None:
        if self.workbook is not None:
            self.query_one(StepTabs).active = key

    def _step_tab(self, delta: int) -> None:
        if self.workbook is None:
            return
        self.query_one(StepTabs).step(delta)

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def action_help(self) -> None:
        from tui.app.field_editor import FieldEditor
        from tui.app.help_screen import HelpScreen
        from tui.app.record_screen import RecordScreen
        from tui.model.help import field_help, step_markdown

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)  # F1 again closes the guide's text
            return
        # the field with the focus; under a dialog, the field the dialog was opened from
        node = None
        for screen in reversed(self.screen_stack):
            node = screen.focused
            while node is not None and not isinstance(node, FieldEditor):
                node = node.parent
            if node is not None:
                break
        if isinstance(node, FieldEditor):
            spec = getattr(node, "spec_path", "")
            if not spec and isinstance(node.screen, RecordScreen):
                spec = node.screen.spec.path
            title, text = field_help(spec, node.field.key)
        else:
            active = self.query_one(StepTabs).active if self.workbook is not None else "vraagstuk"
            step = active if active in ("vraagstuk", "data", "actie", "implementatie") else "vraagstuk"
            title, text = "Uitleg bij deze stap", step_markdown(step)
        self.push_screen(HelpScreen(title, text))

    def action_command_palette(self) -> None:
        """One palette at a time, also when a screen opened from it (help, presentation) lies over it."""
        from textual.command import CommandPalette as TextualCommandPalette

        from tui.app.command_palette import CommandPalette

        if self.use_command_palette and not any(isinstance(screen, TextualCommandPalette) for screen in self.screen_stack):
            self.push_screen(CommandPalette(id="--command-palette"))

    # ------------------------------------------------------------------ export and check
    def action_export(self) -> None:
        if self.workbook is None:
            return
        snapshot = copy.deepcopy(self.workbook.data)
        self._export(snapshot)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, data: dict) -> None:
        from tui.cli import default_export_path
        from tui.export import ExportError, export_workbook

        out = default_export_path(self.path)
        try:
            result = export_workbook(data, out, source=self.path.name)
        except ExportError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", title="Export mislukt")
            return
        note = f" ({len(result.notices)} meldingen)" if result.notices else ""
        self.call_from_thread(self._exported, out, note)

    @when_alive
    def _exported(self, out: Path, note: str) -> None:
        if self.is_web:
            self.deliver_binary(out.read_bytes(), save_filename=out.name, mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.notify(f"Geëxporteerd naar {out}{note}", title="Export")

    def action_check(self) -> None:
        from tui.app.help_screen import HelpScreen
        from tui.model.validate import validate

        problems = validate(self.workbook.data) + rules.workbook_notices(self.workbook.data, self.now())
        text = "\n".join(f"- {p.format('')}".replace("- : ", "- ") for p in problems) or "Geen problemen gevonden."
        self.push_screen(HelpScreen("Controle van het werkboek", text, literal=True))

    # ------------------------------------------------------------------ new cycle
    def action_new_cycle(self) -> None:
        from tui.app.confirm_screen import ChoiceScreen

        def answered(reason: str | None) -> None:
            if reason in (None, "annuleren"):
                return
            new = rules.next_cycle(self.workbook.data, self.cycle_index, self.today(), reason if reason != "nieuw" else "")
            self.workbook.append(("cyclus",), new)
            self.cycle_index = len(self.workbook.data["cyclus"]) - 1
            self.changed()
            self.rebuild()
            self.notify(f"Ronde {new['nummer']} is begonnen: het vraagstuk, de gekozen bronnen en de open acties zijn meegenomen.")

        self.push_screen(ChoiceScreen("Een nieuwe ronde beginnen vanuit deze ronde?", [("nieuw", "Nieuwe ronde"), ("annuleren", "Annuleren")]), answered)

    def action_step_back(self) -> None:
        """'Misschien kom je erachter dat je data mist en moet je opnieuw gaan inventariseren.'"""
        base = ("cyclus", self.cycle_index)
        done = [s for s in (self.workbook.get(base + ("stappen_klaar",)) or []) if s != "data"]
        self.apply(base + ("huidige_stap",), "data")
        self.apply(base + ("stappen_klaar",), done)
        self.action_show_tab("data")
        self._build_tab("data")
        self.query_one("#pane-data").focus_target("#veld-data-data_mist TextArea")
        self.notify("Terug naar stap 2: schrijf op welke data je mist en vul de inventarisatie aan.")

    # ------------------------------------------------------------------ command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Werkboek: opslaan", "Sla het werkboek nu op", self.action_save)
        yield SystemCommand("Werkboek: controleren", "Controleer het werkboek op problemen en termijnen", self.action_check)
        yield SystemCommand("Werkboek: exporteren naar Excel", "Verwerkingsregister, evaluatielog, databronnen, datalekken en overzicht", self.action_export)
        yield SystemCommand("Ronde: nieuwe ronde", "Begin de volgende ronde vanuit deze", self.action_new_cycle)
        yield SystemCommand("Ronde: kies een ronde", "Werk in een eerdere of latere ronde", self.action_choose_cycle)
        yield SystemCommand("Ronde: terug naar 2 Data (we missen data)", "Een stap terug: opnieuw inventariseren welke data nodig is", self.action_step_back)
        for key, label in TABS:
            yield SystemCommand(f"Ga naar: {label}", f"Open de tab {label}", lambda k=key: self.action_show_tab(k))
        for table_id, label in (("verwerkingsregister", "verwerkingsregister"), ("datalekregister", "datalekregister"), ("systemen", "systemen")):
            yield SystemCommand(f"Ga naar: {label}", f"Open het {label} in stap 4", lambda t=table_id: self.goto_register(t))
        yield SystemCommand("Uitleg: deze stap", "De tekst uit de gids bij deze stap", self.action_help)
        yield SystemCommand("Presentatie: aan of uit", "Hoog contrast, één vraag tegelijk, groot: voor een sessie met een beamer", self.action_presentation)
        for name, label in (("standaard", "standaard (donker)"), ("licht", "licht"), ("hoog-contrast", "hoog contrast")):
            yield SystemCommand(f"Thema: {label}", "Kleurenthema van de app", lambda n=name: self.set_theme_name(n))
        yield SystemCommand("App: kopieer naar het klembord", "De vraag en het antwoord waar je staat (OSC 52)", self.action_copy)
        yield SystemCommand("App: alle thema's", "Kies een van de ingebouwde kleurenthema's", self.action_change_theme)
        yield SystemCommand("App: afsluiten", "Sluit de app", self.action_request_quit)

    # ------------------------------------------------------------------ in the room
    def action_presentation(self) -> None:
        from tui.app.presentation import PresentationScreen

        if isinstance(self.screen, PresentationScreen):
            self.pop_screen()
        elif self.workbook is not None:
            self.push_screen(PresentationScreen(self.cycle_index))

    def set_theme_name(self, name: str) -> None:
        from tui.config import THEMES

        self.theme = THEMES[name]

    def copy_text(self) -> str:
        """What F7 copies: the question and answer of the field with the focus, or what the
        timeline or the presentation shows."""
        node = self.focused
        while node is not None:
            if node.__class__.__name__ == "FieldEditor":
                from tui.model.values import format_value

                slides = getattr(self.screen, "slides", None)
                label = slides[self.screen.index].text if slides else node.field.nl
                return f"{label}\n{format_value(node.field.type, node.value)}".strip()
            if node.__class__.__name__ == "Timeline":
                item = node.items[node.selected] if node.selected is not None else None
                return f"{item.title}\n{item.state}\n{item.detail}" if item else ""
            node = node.parent
        cycles = self.workbook.data.get("cyclus", []) if self.workbook is not None else []
        return (cycles[self.cycle_index].get("vraagstuk", {}).get("kernvraag") or "") if cycles else ""

    def action_copy(self) -> None:
        text = self.copy_text()
        if not text:
            self.notify("Hier is niets om te kopiëren.")
            return
        self.copy_to_clipboard(text)
        self.notify(f"Gekopieerd naar het klembord: {text.splitlines()[0][:60]}", title="Kopiëren")

    # ------------------------------------------------------------------ rounds, and opening items from the timeline
    def select_cycle(self, index: int) -> None:
        """Work in another (earlier) round: the step tabs show that round from now on."""
        cycles = self.workbook.data.get("cyclus", [])
        if not 0 <= index < len(cycles) or index == self.cycle_index:
            return
        self.cycle_index = index
        self.rebuild()
        self.notify(f"Je werkt nu in ronde {cycles[index].get('nummer', index + 1)}.")

    def action_choose_cycle(self) -> None:
        from tui.app.confirm_screen import ChoiceScreen

        cycles = self.workbook.data.get("cyclus", [])
        answers = [(str(i), f"Ronde {c.get('nummer', i + 1)}" + (" (nu)" if i == self.cycle_index else "")) for i, c in enumerate(cycles)]

        def chosen(answer: str | None) -> None:
            if answer not in (None, "annuleren"):
                self.select_cycle(int(answer))

        self.push_screen(ChoiceScreen("In welke ronde wil je werken? Eerdere rondes blijven te lezen en te bewerken.", answers + [("annuleren", "Annuleren")]), chosen)

    def open_path(self, path: tuple) -> None:
        """Enter on a timeline item: the round, the action, the measurement or the breach."""
        if path[0] == "datalekregister":
            self.goto_register("datalekregister")
            self.record_action("datalekregister", "edit", path[1])
            return
        self.select_cycle(path[1])
        if len(path) == 2:
            self.action_show_tab("vraagstuk")
            return
        self.action_show_tab("actie")
        if len(path) == 4:
            self.record_action("acties", "edit", path[3])
            return
        from tui.app.confirm_screen import ChoiceScreen

        action = self.workbook.data["cyclus"][path[1]]["acties"][path[3]]
        ev = action["evaluaties"][path[5]]

        def chosen(answer: str | None) -> None:
            if answer == "openen":
                self.record_action("acties", "edit", path[3])
            elif answer == "vervolg":
                self.follow_up(path[1], path[3], path[5])

        self.push_screen(
            ChoiceScreen(
                f"Meting van {ev['datum']:%d-%m-%Y} bij '{action.get('titel', '')}'.",
                [("openen", "Actie en metingen openen"), ("vervolg", "Vervolgactie maken (plannen bijstellen)"), ("annuleren", "Annuleren")],
            ),
            chosen,
        )

    def follow_up(self, cycle: int, action: int, evaluation: int | None = None) -> None:
        """'Plannen bijstellen': a new action that continues this one, from a measurement."""
        self.select_cycle(cycle)
        self.record_action("acties", "add", None, rules.follow_up_action(self.workbook.data, cycle, action, evaluation))

    def goto_register(self, table_id: str) -> None:
        self.action_show_tab("implementatie")
        self._build_tab("implementatie")
        self.query_one("#pane-implementatie").focus_target(f"#{table_id} DataTable")
