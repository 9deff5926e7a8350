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
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Header, Static

import tui
from tui import storage
from tui.app.alive import alive, when_alive
from tui.app.steady_footer import SteadyFooter
from tui.app.step_tabs import StepBar, StepPage, StepTabs
from tui.config import Config, load_config
from tui.oserror import reason
from tui.session import RECORD_KINDS, Change, ChangeKind, RecordOp, Session

# Screens, dialogs and forms are imported where they are first needed: the first frame only
# needs the shell and step 1 (see docs/performance.md).

DISK_CHECK_SECONDS = 2.0  # how soon a save by another session is seen and merged
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

def _in_git(path: Path) -> bool:
    """Whether ``path`` lies in a git work tree (a .git folder or file above it)."""
    return any((folder / ".git").exists() for folder in Path(path).resolve().parents)


class WerkboekApp(App):
    TITLE = "Publieksdata werkboek"
    CSS_PATH = [Path(__file__).parent / "app.tcss", Path(__file__).parent / "presentation.tcss"]  # F6 parses nothing
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        # priority: F1 works in record forms and dialogs too (a modal screen holds back the app's other keys)
        Binding("f1", "help", "Uitleg", id="app.help", tooltip="De tekst uit de gids bij het veld waar je staat", priority=True),
        Binding("ctrl+s,f2", "save_key", "Opslaan", id="app.save", tooltip="Sla het werkboek nu op (F2 werkt ook waar Ctrl+S niet doorkomt)"),
        Binding("f3,ctrl+pageup", "previous_tab", "Vorige stap", id="app.previous_tab", tooltip="Naar de vorige tab; werkt ook in een tekstveld"),
        Binding("f4,ctrl+pagedown", "next_tab", "Volgende stap", id="app.next_tab", tooltip="Naar de volgende tab; werkt ook in een tekstveld"),
        Binding("f5", "export", "Exporteer", id="app.export", tooltip="Exporteer naar Excel voor het management"),
        Binding("f6", "presentation", "Presentatie", id="app.presentation", tooltip="Presentatiemodus voor een beamer: hoog contrast, één vraag tegelijk, groot", priority=True),
        Binding("f7", "copy", "Kopieer", show=False, id="app.copy", tooltip="Kopieer de vraag en het antwoord waar je staat naar het klembord (OSC 52, werkt ook over SSH)", priority=True),
        Binding("ctrl+q,f10", "quit_key", "Afsluiten", id="app.quit", tooltip="Sluit de app (vraagt eerst bij niet-opgeslagen wijzigingen)", priority=True),
        Binding("escape", "dismiss_presence", "Sluiten", show=False, id="app.dismiss_presence", tooltip="Sluit de melding dat het werkboek ook elders open is (en in de presentatie een waarschuwing)", priority=True),
        Binding("1", "show_tab('vraagstuk')", "Stap 1", show=False, id="app.tab1", tooltip="Naar 1 Vraagstuk (buiten een tekstveld)"),
        Binding("2", "show_tab('data')", "Stap 2", show=False, id="app.tab2", tooltip="Naar 2 Data (buiten een tekstveld)"),
        Binding("3", "show_tab('actie')", "Stap 3", show=False, id="app.tab3", tooltip="Naar 3 Actie & evaluatie (buiten een tekstveld)"),
        Binding("4", "show_tab('implementatie')", "Stap 4", show=False, id="app.tab4", tooltip="Naar 4 Implementatie (buiten een tekstveld)"),
        Binding("5", "show_tab('overzicht')", "Overzicht", show=False, id="app.tab5", tooltip="Naar het overzicht (buiten een tekstveld)"),
        Binding("alt+1", "show_tab('vraagstuk')", "Stap 1", show=False, priority=True, id="app.alt_tab1", tooltip="Naar 1 Vraagstuk, ook vanuit een tekstveld"),
        Binding("alt+2", "show_tab('data')", "Stap 2", show=False, priority=True, id="app.alt_tab2", tooltip="Naar 2 Data, ook vanuit een tekstveld"),
        Binding("alt+3", "show_tab('actie')", "Stap 3", show=False, priority=True, id="app.alt_tab3", tooltip="Naar 3 Actie & evaluatie, ook vanuit een tekstveld"),
        Binding("alt+4", "show_tab('implementatie')", "Stap 4", show=False, priority=True, id="app.alt_tab4", tooltip="Naar 4 Implementatie, ook vanuit een tekstveld"),
        Binding("alt+5", "show_tab('overzicht')", "Overzicht", show=False, priority=True, id="app.alt_tab5", tooltip="Naar het overzicht, ook vanuit een tekstveld"),
        Binding("ctrl+p", "command_palette", "Opdrachten", show=False, priority=True, id="app.palette", tooltip="Zoek een opdracht: werkboek, ronde, ga naar, thema"),
        # priority: the focus moves before the next key is handed out, so text typed (or sent over
        # a slow link) right after Tab lands in the next field, not in the one Tab left
        Binding("tab", "app.focus_next", "Volgend veld", show=False, priority=True, id="app.focus_next", tooltip="Naar het volgende veld"),
        Binding("shift+tab", "app.focus_previous", "Vorig veld", show=False, priority=True, id="app.focus_previous", tooltip="Naar het vorige veld"),
    ]

    def __init__(self, path: Path | str, *, clock: Callable[[], dt.datetime] | None = None, autosave: float | None = None, config: Config | None = None):
        super().__init__()
        from tui.app.alt_digits import read_alt_digits_as_alt

        read_alt_digits_as_alt()  # Alt+1…5 (Esc+digit) switch steps in tmux too
        self.config = config if config is not None else load_config()
        self.register_theme(HIGH_CONTRAST_THEME)
        # No sliding underlines or smooth scrolls: every frame counts over SSH, and a projector
        # audience should see the new step at once.
        self.animation_level = "none"
        self.path = Path(path)
        self.autosave_seconds = self.config.automatisch_opslaan if autosave is None else autosave
        self.session: Session | None = None
        self.load_problems: list[str] = []
        self._autosave_timer = None
        self._built: set[str] = set()
        self._editors: set = set()  # the live field editors, on any screen (see FieldEditor)
        self._conflicts_open = False  # a same-field question from a live merge is being asked
        self._focus_request: tuple[str, str] | None = None  # (tab, selector) to land on when it is shown
        self._last_key_at = 0.0  # when the person last pressed a key (a question waits for a pause)
        self.startup_seconds: float | None = None
        self._discarded = False  # the person chose "Afsluiten zonder opslaan"
        try:
            self.session = Session.open(self.path, clock)
        except storage.WorkbookError as exc:
            self.load_problems = [p.format(str(self.path)) for p in exc.problems]
        else:
            self.session.subscribe(self._on_change)

    # ------------------------------------------------------------------ the session, seen from the screen
    @property
    def workbook(self) -> storage.Workbook | None:
        return self.session.workbook if self.session is not None else None

    @property
    def cycle_index(self) -> int:
        return self.session.cycle_index if self.session is not None else 0

    @property
    def last_saved(self) -> dt.datetime | None:
        return self.session.last_saved if self.session is not None else None

    def get_driver_class(self):
        """In a terminal on Linux or macOS: Textual's driver, reading bytes that are not UTF-8
        without crashing. Elsewhere (Windows, a browser via TEXTUAL_DRIVER) Textual's choice."""
        import sys

        from textual import constants

        if constants.DRIVER is None and sys.platform != "win32":
            from tui.app.tolerant_driver import TolerantLinuxDriver

            return TolerantLinuxDriver
        return super().get_driver_class()

    def now(self) -> dt.datetime:
        return self.session.now()

    def today(self) -> dt.date:
        return self.session.today()

    def alive(self) -> bool:
        """Whether work that was scheduled earlier (a timer, a worker's result) may still touch
        the screen: the app runs and is not on its way out."""
        return alive(self)

    tick_seconds = 30.0  # how often the 72-hour countdowns are redrawn

    def _tick(self) -> None:
        """Redraw what depends on the clock: the header's breach countdown and the breach table."""
        if self.session is None or not self.alive() or not self.query("#alerts"):
            return  # quitting, or not built
        self.update_header()
        if "implementatie" in self._built:
            for pane in self.query("#pane-implementatie"):
                pane.refresh_from_model()

    # ------------------------------------------------------------------ building
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("", id="alerts", markup=False)
        if self.session is not None:
            from tui.model.guide import key_texts

            keys = key_texts()
            yield StepTabs(TABS, initial="vraagstuk", hints=(keys["tabbalk"], keys["tabbalk_kort"]), id="tabs")
        yield SteadyFooter()

    def on_mount(self) -> None:
        if self.theme != self.config.textual_theme:  # setting it restyles everything: only when it differs
            self.theme = self.config.textual_theme
        if self.config.toetsen:
            self.set_keymap(self.config.toetsen)
        if self.session is None:
            from tui.app.error_screen import ParseErrorScreen

            self.push_screen(ParseErrorScreen(str(self.path), self.load_problems))
            return
        self.session.ensure_cycle()
        # the app starts on the tab bar: 1…5 choose a step at once, Enter or ↓ go into the first field
        bar = self.query_one(StepTabs).bar
        bar.focus()
        bar.browsing = True
        self._build_tab("vraagstuk")
        self.update_header()
        self._announce_presence()
        self.set_interval(DISK_CHECK_SECONDS, self._check_disk)
        conflicts = self.session.open_conflicts()
        if conflicts:
            self.notify(f"Dit werkboek heeft {conflicts} {'samenvoegconflict' if conflicts == 1 else 'samenvoegconflicten'} uit git: Ctrl+P → Werkboek: conflicten oplossen.", title="Conflicten", severity="warning", timeout=15)
        self.set_interval(self.tick_seconds, self._tick)

    MIN_SIZE = (80, 24)  # what every screen is made for

    def on_resize(self, event: events.Resize) -> None:
        self.update_header()  # the room for the organisation's name changed
        small = event.size.width < self.MIN_SIZE[0] or event.size.height < self.MIN_SIZE[1]
        if small and not getattr(self, "_said_small", False):  # once each time it becomes too small
            self.notify(
                f"Het venster is {event.size.width}×{event.size.height} tekens; de app is gemaakt voor minstens "
                f"{self.MIN_SIZE[0]}×{self.MIN_SIZE[1]}. Maak het venster groter of de letters kleiner "
                "(in een browser: Ctrl + −; bij `serve`: een kleinere --font-size).",
                title="Klein venster", severity="warning", timeout=10,
            )
        self._said_small = small

    async def on_event(self, event: events.Event) -> None:
        # keys and pastes that arrive after a quit (typed ahead, in the same burst) do nothing:
        # the screens they would open or change are closing
        if self._exit and isinstance(event, (events.Key, events.Paste)):
            return
        if isinstance(event, (events.Key, events.Paste)):
            self._last_key_at = time.monotonic()
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
        self._known_presence = {p.marker for p in found}
        if found:
            who = found[0].short_label(self.now()) + (f" en nog {len(found) - 1}" if len(found) > 1 else "")
            self.call_from_thread(self._show_presence, who)
        self.call_from_thread(self._watch_presence)

    PRESENCE_SECONDS = 10.0
    PRESENCE_CHECK_SECONDS = 5.0  # how soon a session that opens the workbook later is seen here

    def _watch_presence(self) -> None:
        if self.alive() and not getattr(self, "_watching_presence", False):  # once (a save-as announces again)
            self._watching_presence = True
            self.set_interval(self.PRESENCE_CHECK_SECONDS, self._check_presence)

    @work(thread=True, exclusive=True, group="presence")
    def _check_presence(self) -> None:
        """A session that opens the workbook after this one: said here too, not only there."""
        from tui import presence

        found = presence.others(self.path)
        new = [p for p in found if p.marker not in self._known_presence]
        self._known_presence = {p.marker for p in found}
        if new:
            who = new[0].short_label(self.now()) + (f" en nog {len(new) - 1}" if len(new) > 1 else "")
            self.call_from_thread(self._show_presence, who, True)

    def _show_presence(self, who: str, joined: bool = False) -> None:
        """Short (two lines at 80 columns) and closed with Esc; the save itself warns if the
        other session changed the file meanwhile."""
        if not self.alive():
            return
        self._presence_until = time.monotonic() + self.PRESENCE_SECONDS
        text = f"Nu ook geopend door {who}." if joined else f"Ook open bij {who}."
        self.notify(f"{text} Esc sluit dit.", title="Ook in gebruik", severity="warning", timeout=self.PRESENCE_SECONDS, markup=False)

    WORKBOOK_ACTIONS = frozenset({"save_key", "previous_tab", "next_tab", "export", "presentation", "copy", "show_tab"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dismiss_presence":  # Esc is only taken while the notice shows
            if time.monotonic() < getattr(self, "_presence_until", 0.0):
                return True
            # in front of a room, Esc first takes a warning off the slide (it left the slides); a
            # plain message ('Geëxporteerd naar …') goes by itself, and Esc leaves as always.
            # The screen says so itself: the presentation module is not loaded for this (and
            # while the config check imports it in a thread, it is there half-initialised).
            return getattr(self.screen, "IN_THE_ROOM", False) and any(n.severity != "information" for n in self._notifications)
        if self.session is None and action in self.WORKBOOK_ACTIONS:
            return False  # the file could not be read: the footer offers no keys that do nothing
        if action in ("show_tab", "previous_tab", "next_tab") and len(self.screen_stack) > 1:
            return False  # a form or dialog is open: the step behind it stays (Esc then 2 arrives as Alt+2)
        return super().check_action(action, parameters)

    def action_dismiss_presence(self) -> None:
        self._presence_until = 0.0
        self.clear_notifications()

    def on_unmount(self) -> None:
        if self.session is not None:
            from tui import presence

            presence.release(self.path)

    def on_ready(self) -> None:
        self.startup_seconds = time.perf_counter() - tui.STARTED
        self.log(f"first frame after {self.startup_seconds * 1000:.0f} ms")
        path = self.config.path
        if path is not None and (path.exists() or path.is_symlink()):  # a dangling or looping link is said too
            self._check_config()

    @work(thread=True, group="config")
    def _check_config(self) -> None:
        """Report every mistake in the user's config at once, after the first frame (knowing
        the binding ids means importing every screen)."""
        from tui.app.keys import binding_table

        checked = load_config(self.config.path, binding_table())
        if checked.toetsen != self.config.toetsen:  # a key that clashes or types: its default back
            self.call_from_thread(self._use_keys, checked.toetsen)
        if checked.problems:
            shown = [p.format(str(self.config.path)) for p in checked.problems[: self.CONFIG_PROBLEMS_SHOWN]]
            more = len(checked.problems) - len(shown)
            if more:  # a notice taller than the screen would cut off the first and the last
                shown.append(f"… en nog {more} {'melding' if more == 1 else 'meldingen'} (zie ze na het oplossen van deze)")
            self.call_from_thread(self._notify_if_alive, "\n".join(shown) + "\nDe standaardwaarde geldt waar iets niet klopt.", title="Instellingen", severity="warning", timeout=15)

    CONFIG_PROBLEMS_SHOWN = 5

    def _use_keys(self, keys: dict[str, str]) -> None:
        if self.alive():
            self.config.toetsen = keys
            self.set_keymap(keys)

    def _notify_if_alive(self, message: str, **kw) -> None:
        """A worker's message, shown literally (file names and user text are never markup)."""
        if self.alive():
            self.notify(message, markup=False, **kw)

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

    def _panes(self) -> list:
        return [pane for key in self._built for pane in self.query(f"#pane-{key}")]

    def on_step_tabs_tab_activated(self, event: StepTabs.TabActivated) -> None:
        key = event.pane.id or ""
        if key in self._built:
            pane = self.query(f"#pane-{key}")
            if pane:
                pane.first().refresh_if_changed()
        self._build_tab(key)
        request, self._focus_request = self._focus_request, None
        for pane in self.query(f"#pane-{key}"):
            if request is not None and request[0] == key:
                pane.focus_target(request[1])
            else:
                self.call_after_refresh(pane.focus_first)

    def on_step_bar_enter_form(self, event: StepBar.EnterForm) -> None:
        """Enter or ↓ on the tab bar: into the first field of the step shown."""
        for pane in self.query(f"#pane-{self.query_one(StepTabs).active}"):
            pane.focus_first()

    def rebuild(self) -> None:
        """After a reload or another round: throw the panes away and build the visible one again."""
        self.call_later(self._rebuild)

    @when_alive
    async def _rebuild(self) -> None:
        old = self._panes()
        self._built.clear()
        for pane in old:
            await pane.remove()
        tabs = self.query(StepTabs)
        if tabs:
            self._build_tab(tabs.first().active)
        self.update_header()

    # ------------------------------------------------------------------ header and alerts
    def update_header(self) -> None:
        if self.session is None or not self.alive():
            return
        state = self.session.state_line()
        # the save state stays whole: a long organisation name is shortened, not the state
        room = max(12, self.size.width - len(state) - 24)  # the icon, the clock's room and " — "
        title = self.session.title()
        self.title = title if len(title) <= room else title[: room - 1].rstrip() + "…"
        self.sub_title = state
        alerts = self.session.breach_alerts()
        for bar in self.query("#alerts"):
            bar.update("  ".join(alerts))
            bar.display = bool(alerts)

    # ------------------------------------------------------------------ editing: every edit goes through the session
    def apply(self, path: tuple, value: Any, source: object | None = None) -> bool:
        """Write one value into the workbook (the only way widgets change the file's content)."""
        try:
            return self.session.set(path, value, source=source)
        except ValueError as exc:
            self.notify(str(exc), severity="error", title="Niet opgeslagen", markup=False)
            return False

    def _on_change(self, change: Change) -> None:
        """The session changed: every view of what changed follows, and autosave is due."""
        if change.kind in (ChangeKind.ROUND, ChangeKind.RELOAD):
            self.rebuild()
        elif change.path == ():  # anything may have changed (a merge): every pane redraws
            for pane in self._panes():
                pane.refresh_from_model()
        else:
            for pane in self._panes():
                pane.workbook_changed(change.path)
        for editor in list(self._editors):
            if editor is not change.source and change.touches(editor.path):
                editor.show_value(self.session.get(editor.path))
        self.changed()

    def changed(self) -> None:
        self.update_header()
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        if self.autosave_seconds and self.session.dirty:
            self._autosave_timer = self.set_timer(self.autosave_seconds, self.autosave)

    def register_editor(self, editor) -> None:
        self._editors.add(editor)

    def unregister_editor(self, editor) -> None:
        self._editors.discard(editor)

    def on_field_editor_changed(self, event) -> None:
        if not event.editor.live:
            return  # a record form bundles its fields; it is applied when accepted
        self.apply(event.path, event.value, source=event.editor)

    # ------------------------------------------------------------------ records
    def on_record_table_action(self, event) -> None:
        self.record_action(event.table.id or "", event.action, event.index)

    def record_action(self, table_id: str, action: RecordOp, index: int | None, example: dict | None = None, *, offer_examples: bool = True) -> None:
        """Add ('add', index None, optionally prefilled from ``example``), edit or remove a record
        of one of the session's record kinds: from its table, from the timeline, or as a follow-up."""
        from tui.app.confirm_screen import Answer, ChoiceScreen
        from tui.app.record_screen import RecordScreen
        from tui.model.schema import load_schema

        kind = RECORD_KINDS.get(table_id)
        if kind is None or self.session is None:
            return
        session = self.session
        if action == RecordOp.REMOVE:
            name = session.record_name(kind, index)

            def done(answer: Answer | None) -> None:
                if answer == Answer.VERWIJDEREN:
                    session.remove_record(kind, index)

            self.push_screen(ChoiceScreen(f"{kind.title} '{name}' verwijderen?", [(Answer.VERWIJDEREN, "Verwijderen"), (Answer.ANNULEREN, "Annuleren")]), done)
            return
        if index is None and example is None and offer_examples and kind.key == "verwerkingsregister":
            self._offer_register_examples()
            return
        spec = load_schema().tables[kind.spec]
        original = copy.deepcopy(session.records(kind)[index] if index is not None else (example or {}))

        def accepted(values: dict | None) -> None:
            if values is None:
                return
            if index is None:
                session.add_record(kind, values, proposed_id=original.get("id"))
            else:
                session.update_record(kind, index, values, original)
            if kind.spec == "cyclus[].acties[]":
                from tui.model import rules

                why = rules.goal_contradiction(values)
                if why:  # kept as typed (it may be fixed later), but not without a word
                    self.notify(f"Bewaard, maar het doel spreekt zichzelf tegen: {why}. `publieksdata check` meldt het tot het klopt.", title="Doel tegenstrijdig", severity="warning", timeout=10)

        advice = tips = None
        if kind.spec == "datalekregister[]":
            from tui.model import rules

            advice = lambda r: rules.breach_advice(r, self.now())  # noqa: E731
        if kind.spec == "cyclus[].acties[]":
            from tui.model.smart import smart_summary, smart_tips

            advice, tips = (lambda r: smart_summary(r, self.today())), (lambda r: smart_tips(r, self.today()))
        skip = ("id",) if index is None else ()
        self.push_screen(RecordScreen(spec, original, f"{kind.title} {'toevoegen' if index is None else 'bewerken'}", session.ref_options(kind.spec), skip=skip, advice=advice, tips=tips), accepted)

    def _offer_register_examples(self) -> None:
        """A new processing activity can start from one of the guide's usual sources."""
        from tui.app.confirm_screen import Answer, ChoiceScreen
        from tui.model.guide import register_example, register_examples

        answers = [(Answer.LEEG, "Leeg record")] + [(ex["kenmerk"], ex["titel"]) for ex in register_examples()]

        def chosen(answer: str | None) -> None:
            if answer in (None, Answer.ANNULEREN):
                return
            self.record_action("verwerkingsregister", RecordOp.ADD, None, None if answer == Answer.LEEG else register_example(answer), offer_examples=False)

        self.push_screen(ChoiceScreen("Waarmee begin je? Een voorbeeld is een begin: pas het aan aan je eigen situatie.", answers), chosen)

    def refresh_panes(self) -> None:
        for pane in self._panes():
            pane.refresh_from_model()
        self.update_header()

    # ------------------------------------------------------------------ saving: the session saves, in a worker
    def autosave(self) -> None:
        self._autosave_timer = None
        if self.alive() and self.session is not None and self.session.autosave_due():
            self.action_save(quiet=True)

    def action_save(self, quiet: bool = False, force: bool = False) -> None:
        if self.session is None:
            return
        if not self.session.dirty and not force:
            if not quiet:
                self.notify("Er is niets nieuws om op te slaan.")
            return
        self.session.assign_ids()  # here, on the thread that edits; the save itself runs in a worker
        self._save(force, quiet)

    @work(thread=True, group="save")
    def _save(self, force: bool, quiet: bool, then: Callable[[], None] | None = None) -> None:
        """Render, verify and write off the UI thread; the session lets one writer at a time."""
        try:
            self.session.save(force=force, assign_ids=False)
        except storage.SaveError as exc:  # a conflict too: merged, then saved again
            self.call_from_thread(self._after_save, exc, quiet, then)
        else:
            self.call_from_thread(self._after_save, None, quiet, then)

    def _after_save(self, error: Exception | None, quiet: bool, then: Callable[[], None] | None) -> None:
        if isinstance(error, storage.SaveConflict):
            if self.alive():
                if error.current_text is None:
                    self._on_conflict(error)  # the file is gone: ask
                else:
                    self._read_disk(save_after=True)  # merge what came in, then save again
            return
        if error is not None:
            if self.alive():
                self._save_failed(error, quiet, then)
            return
        if then is not None:
            then()
            return
        if not self.alive():
            return
        self.update_header()
        if not quiet:
            self.notify(f"Opgeslagen in {self.path}", markup=False)
        if self.session.dirty:
            self.changed()  # edits came in during the save: they get their own autosave

    def _save_failed(self, exc: storage.SaveError, quiet: bool = False, then: Callable[[], None] | None = None) -> None:
        """Say why; where nothing can be written (read-only file, folder or disk) offer to save
        elsewhere (an autosave offers it once; Ctrl+S and 'Opslaan en afsluiten' every time)."""
        asked = then is not None  # the person chose to save (and quit): always offer a way
        if exc.elsewhere and (asked or not (quiet and getattr(self, "_save_as_offered", False))):
            self._offer_save_as(str(exc), then)  # the dialog says why
        else:
            self.notify(str(exc), severity="error", title="Niet opgeslagen", markup=False)

    def _offer_save_as(self, why: str, then: Callable[[], None] | None = None) -> None:
        from tui.app.save_as_screen import SaveAsScreen

        if self._exit or isinstance(self.screen, SaveAsScreen) or self.workbook is None:
            return
        self._save_as_offered = True
        default = str(storage.free_name(Path.home(), self.path.name))

        def chosen(target: str | None) -> None:
            if not target or self.workbook is None:
                return
            new = Path(target).expanduser()
            try:
                self.session.save_copy(new)
            except FileExistsError:
                self._offer_save_as(f"{new} bestaat al; kies een andere naam.", then)
                return
            except (storage.SaveError, OSError) as err:
                self._offer_save_as(f"{new}: {reason(err) if isinstance(err, OSError) else err}", then)
                return
            from tui import presence

            presence.release(self.path)
            self.path = new
            self.update_header()
            self.notify(f"Opgeslagen in {new}; de app werkt verder in dat bestand.", markup=False)
            if then is not None:
                then()
            else:
                self._announce_presence()

        self.push_screen(SaveAsScreen(why, default), chosen)

    @when_alive
    def _on_conflict(self, exc: storage.SaveConflict) -> None:
        from tui.app.conflict_screen import ConflictAction, ConflictChoice, ConflictScreen

        copy_path = str(self.path.with_name(f"{self.path.stem}-mijn-versie{self.path.suffix}"))
        self.session.pause_autosave()

        def chosen(choice: ConflictChoice | None) -> None:
            self.session.resume_autosave()
            action = choice.action if choice else ConflictAction.ANNULEREN
            if action == ConflictAction.ANNULEREN:
                self.changed()  # the edits are still unsaved: autosave tries again (and merges)
            elif action == ConflictAction.HERLADEN:
                self.reload()
            elif action == ConflictAction.OVERSCHRIJVEN:
                self.action_save(force=True)
            elif action == ConflictAction.KOPIE:
                try:
                    self.session.save_copy(choice.copy_path)
                except (FileExistsError, storage.SaveError) as err:
                    self.notify(f"{choice.copy_path}: {err}", severity="error", title="Kopie niet opgeslagen", markup=False)
                    return
                self.path = Path(choice.copy_path)
                self.update_header()
                self.notify(f"Je versie staat nu in {choice.copy_path}; de app werkt verder in dat bestand.", markup=False)

        self.push_screen(ConflictScreen(str(self.path), self.workbook.render(), exc.current_text, copy_path), chosen)

    # ------------------------------------------------------------------ another session saved the same file
    def _check_disk(self) -> None:
        # not while a same-field question is open: its answer is about the file as it was read;
        # what was saved since comes in (and may ask again) once it is answered
        if self.alive() and self.session is not None and not self._conflicts_open and not self.session.saving and self.session.disk_changed():
            self._read_disk()

    @work(thread=True, exclusive=True, group="disk")
    def _read_disk(self, save_after: bool = False) -> None:
        """Read and parse the changed file off the UI thread; merge on it."""
        try:
            disk = self.session.read_disk()
        except storage.WorkbookError:
            # not a workbook now (a text editor half-way, a broken merge): nothing is taken in
            if save_after:  # what is there now (or why it cannot be read), for the conflict screen
                self.call_from_thread(self._on_conflict, storage.SaveConflict(self.path, storage._current_text(storage._target(self.path))))
            return
        if disk is not None:
            self.call_from_thread(self._take_in, disk, save_after)
        elif save_after:
            self.call_from_thread(self.action_save, True)

    def _take_in(self, disk, save_after: bool) -> None:
        from tui import presence

        if not self.alive() or self._conflicts_open:
            return  # a question is open: the next check after its answer reads the file again
        waiting = self.session.open_conflicts()
        result = self.session.take_in(disk)
        if result is None:
            # a save came between, or another read of the file took it in first: the next check
            # reads the file again; a save that was asked for is tried again now
            if save_after:
                self.action_save(quiet=True)
            return
        others = [f"{p.user} op {p.host}" for p in presence.others(self.path)]  # who, not since when
        who = "; ".join(others) if others else "een ander programma (zoals een teksteditor of git)"
        if result.incoming:
            more = self.session.open_conflicts() - waiting
            hint = (f" Er {'wacht een keuze' if more == 1 else f'wachten {more} keuzes'} tussen twee waarden: Ctrl+P → Werkboek: conflicten oplossen."
                    if more > 0 else "")
            self.notify(f"Binnengekomen van {who}: {result.summary()}.{hint}", title="Werkboek bijgewerkt", markup=False, timeout=12 if hint else 8)
        if result.conflicts:
            self._conflicts_open = True
            self.session.pause_autosave()
            self._ask_conflicts(list(result.conflicts), who)
        elif save_after:
            self.action_save(quiet=True)
        else:
            self.changed()

    QUESTION_PAUSE = 1.0  # seconds without a key before a question pops up over a field

    def _ask_conflicts(self, conflicts: list, who: str) -> None:
        """One question per field changed here and elsewhere: keep mine or take theirs. Asked
        once the person stops typing (a question popping up mid-word takes the next keys), one
        at a time; autosave and taking in the file wait until the last is answered."""
        from tui import merge
        from tui.app.confirm_screen import ChoiceScreen

        if not self.alive():
            return
        if not conflicts:
            self._conflicts_open = False
            self.session.resume_autosave()
            self.changed()
            self._check_disk()  # what was saved meanwhile comes in now
            return
        quiet = time.monotonic() - self._last_key_at
        if quiet < self.QUESTION_PAUSE:
            self.set_timer(self.QUESTION_PAUSE - quiet + 0.05, lambda: self._ask_conflicts(conflicts, who))
            return
        conflict = conflicts.pop(0)
        where = merge.locate(self.session.data, conflict.path)
        mine = self.session.get(where) if where is not None else conflict.ours

        def chosen(answer: str | None) -> None:
            if answer == "straks":  # typing went on: ask again at the next pause
                self._last_key_at = time.monotonic()
                self._ask_conflicts([conflict, *conflicts], who)
                return
            if self.session is not None:
                if answer in ("ons", "hun"):
                    self.session.choose_in_conflict(conflict, answer)
                else:  # Esc or "Later kiezen": both values kept, the choice waits in the workbook
                    self.session.postpone_conflict(conflict, who)
                    self.notify("Beide waarden zijn bewaard; kies later met Ctrl+P → Werkboek: conflicten oplossen.", title="Later kiezen")
            self._ask_conflicts(conflicts, who)

        shown_mine, shown_theirs = merge.show_pair(mine, conflict.theirs)
        self.push_screen(
            ChoiceScreen(
                f"Hetzelfde veld is hier en door {who} veranderd: {merge.describe_key_path(conflict.path, self.session.data)}",
                [("ons", "Mijn waarde houden"), ("hun", "Hun waarde nemen"), ("later", "Later kiezen")],
                detail=f"Mijn waarde: {shown_mine}\nHun waarde: {shown_theirs}",
                cancel="later",
                typing="straks",
            ),
            chosen,
        )

    def reload(self) -> None:
        try:
            self.session.reload()
        except storage.WorkbookError as exc:
            from tui.app.error_screen import ParseErrorScreen

            self.push_screen(ParseErrorScreen(str(self.path), [p.format(str(self.path)) for p in exc.problems]))
            return
        self.notify("Het werkboek is opnieuw ingelezen van schijf.")

    # ------------------------------------------------------------------ quitting
    def end_session(self) -> None:
        """The session ends without asking (the browser went away, SIGTERM, SIGHUP): what was typed
        since the last save is kept: in the workbook (merged with what another session saved
        meanwhile) or, when that cannot be (the same field changed there too, the save failed),
        in a copy beside it."""
        if self._exit or not self.is_running:  # already on its way out (the user may have chosen not to save)
            return
        session = self.session
        if session is not None and session.dirty:
            try:
                session.save()  # waits for a save that is running: one writer at a time
            except storage.SaveConflict:
                try:
                    disk = session.read_disk()
                    merged = session.take_in(disk) if disk is not None else None
                    if merged is None or merged.conflicts:
                        raise storage.SaveError("niet samen te voegen")
                    session.save()
                except (storage.SaveError, storage.WorkbookError):
                    self.keep_a_copy()
            except storage.SaveError:
                self.keep_a_copy()
        self.exit()

    def keep_a_copy(self) -> Path | None:
        """What is not saved goes to a new file beside the workbook (werkboek-mijn-versie.toml, or
        -2, -3 … when that exists): the last resort when the session ends and the workbook itself
        cannot take it. Never writes over a file. Returns the copy, or None when there was nothing
        to keep or no copy could be written."""
        session = self.session
        if session is None or not session.dirty or self._discarded:
            return None
        for n in range(1, 100):
            name = f"{self.path.stem}-mijn-versie{'' if n == 1 else f'-{n}'}{self.path.suffix}"
            try:
                return session.save_copy(self.path.with_name(name))
            except FileExistsError:
                continue
            except Exception:  # noqa: BLE001 - the last resort must not raise on the way out
                return None
        return None

    def action_save_key(self) -> None:
        """Ctrl+S/F2: what was typed just before, in the same burst, is saved too."""
        self._when_settled(self.action_save)

    def action_quit_key(self) -> None:
        """Ctrl+Q/F10: what was typed just before, in the same burst, counts as unsaved. No
        autosave meanwhile: 'quit without saving' must still mean what it says."""
        if self.session is None:
            self.action_request_quit()
            return
        session = self.session
        session.pause_autosave()
        self._when_settled(self.action_request_quit, finally_=session.resume_autosave)

    def _when_settled(self, then: Callable[[], None], finally_: Callable[[], None] | None = None) -> None:
        """``then`` once the keys already on their way have landed; ``finally_`` in any case,
        also when the wait is cancelled (autosave must never stay paused)."""
        from tui.app.settle import settled

        async def run() -> None:
            try:
                await settled(self)
            finally:
                if finally_ is not None:
                    finally_()
            if self.alive():
                then()

        self.run_worker(run(), group="keys")

    def action_request_quit(self) -> None:
        if self.session is None:
            self.exit()
            return
        if self.session.saving:  # an autosave is writing: decide once it is done
            self._quit_after_save()
            return
        if self._open_form_with_changes():
            return
        if not self.session.dirty:
            self.exit()
            return
        self._ask_save_and_quit()

    def _ask_save_and_quit(self) -> None:
        from tui.app.confirm_screen import Answer, ChoiceScreen

        self.session.pause_autosave()  # 'quit without saving' must mean what it says

        def answered(answer: Answer | None) -> None:
            self.session.resume_autosave()
            if answer == Answer.WEGGOOIEN:
                self._discarded = True  # no copy on the way out either (keep_a_copy)
                self.exit()
            elif answer == Answer.OPSLAAN:
                self.notify("Bezig met opslaan…")
                self.session.assign_ids()
                self._save(False, True, then=self.exit)
            else:
                self.changed()

        self.push_screen(
            ChoiceScreen(
                "Er zijn wijzigingen die nog niet zijn opgeslagen.",
                [(Answer.OPSLAAN, "Opslaan en afsluiten"), (Answer.WEGGOOIEN, "Afsluiten zonder opslaan"), (Answer.ANNULEREN, "Annuleren")],
            ),
            answered,
        )

    def _open_form_with_changes(self) -> bool:
        """A record form with typed input that is not accepted yet: quitting asks first (its
        words are not in the workbook, so the workbook alone would say nothing is unsaved)."""
        from tui.app.confirm_screen import Answer, ChoiceScreen
        from tui.app.record_screen import RecordScreen

        forms = [s for s in self.screen_stack if isinstance(s, RecordScreen) and s.has_changes()]
        if not forms:
            return False

        def answered(answer: Answer | None) -> None:
            if answer == Answer.WEGGOOIEN:
                if self.session.dirty:
                    self._ask_save_and_quit()
                else:
                    self.exit()

        self.push_screen(
            ChoiceScreen(
                "Je bent een formulier aan het invullen dat nog niet is bewaard (F2 in het formulier bewaart het).",
                [(Answer.ANNULEREN, "Terug naar het formulier"), (Answer.WEGGOOIEN, "Afsluiten, formulier weggooien")],
            ),
            answered,
        )
        return True

    @work(thread=True, group="quit")
    def _quit_after_save(self) -> None:
        self.session.wait_for_save()
        self.call_from_thread(self.action_request_quit)

    # ------------------------------------------------------------------ navigation
    def action_show_tab(self, key: str) -> None:
        """Go to a step (a number key outside the tab bar, "Ga naar", the timeline): the focus
        goes into it. The tab bar's own keys keep the focus on the bar."""
        if self.session is not None:
            tabs = self.query_one(StepTabs)
            tabs.bar.browsing = False
            tabs.active = key

    def _step_tab(self, delta: int) -> None:
        if self.session is None:
            return
        tabs = self.query_one(StepTabs)
        if self.focused is tabs.bar:
            tabs.bar.browsing = True  # on the tab bar, F3/F4 keep the focus there, as 1…5 and ←/→ do
        tabs.step(delta)

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
            while node is not None and not isinstance(node, FieldEditor) and not getattr(node, "help_key", None):
                node = node.parent
            if node is not None:
                break
        if node is not None and not isinstance(node, FieldEditor):
            title, text = field_help(node.spec_path, node.help_key)  # a field with a widget of its own (5x waarom)
        elif isinstance(node, FieldEditor):
            spec = getattr(node, "spec_path", "")
            if not spec and isinstance(node.screen, RecordScreen):
                spec = node.screen.spec.path
            title, text = field_help(spec, node.field.key)
        else:
            tabs = self.query(StepTabs)
            active = tabs.first().active if tabs else "vraagstuk"
            step = active if active in ("vraagstuk", "data", "actie", "implementatie") else "vraagstuk"
            from tui.model.guide import key_texts

            title, text = "Uitleg bij deze stap", key_texts()["uitleg"] + "\n\n" + step_markdown(step)
        self.push_screen(HelpScreen(title, text))

    # ------------------------------------------------------------------ export and check
    def action_export(self) -> None:
        if self.session is None:
            return
        snapshot = copy.deepcopy(self.session.data)
        self._export(snapshot)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, data: dict) -> None:
        from tui.cli import default_export_path
        from tui.export import ExportError, export_workbook

        from tui.model.problems import FOUT
        from tui.model.validate import validate

        out = default_export_path(self.path)
        problems = [p for p in validate(data) if p.severity == FOUT]
        try:
            result = export_workbook(data, out, source=self.path.name, problems=problems)
        except ExportError as exc:
            self.call_from_thread(self._notify_if_alive, str(exc), severity="error", title="Export mislukt")
            return
        note = f" ({len(result.notices)} meldingen)" if result.notices else ""
        if problems:
            note += f"; {len(problems)} {'probleem' if len(problems) == 1 else 'problemen'} op het blad Problemen"
        self.call_from_thread(self._exported, out, note)

    @when_alive
    def _exported(self, out: Path, note: str) -> None:
        if self.is_web:
            # a path: Textual opens it and streams it to the browser (it wants a file, not bytes)
            self.deliver_binary(out, save_filename=out.name, mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.notify(f"Geëxporteerd naar {out}{note}", title="Export", markup=False)

    def action_import_excel(self) -> None:
        """Changes from an edited export: the user accepts or skips each, then they are applied as edits."""
        from tui.app.import_screen import ImportScreen
        from tui.cli import default_export_path

        if self.session is None:
            return

        def accepted(changes) -> None:
            n = self.session.apply_import(list(changes or []))
            if n:
                self.notify(f"{n} {'wijziging' if n == 1 else 'wijzigingen'} uit Excel overgenomen", title="Excel")

        self.push_screen(ImportScreen(copy.deepcopy(self.workbook.data), str(default_export_path(self.path)), self.path.name), accepted)

    def action_check(self) -> None:
        from tui.app.help_screen import HelpScreen
        from tui.model import rules
        from tui.model.validate import validate

        problems = validate(self.session.data) + rules.workbook_notices(self.session.data, self.now())
        text = "\n".join(f"- {p.format('')}".replace("- : ", "- ") for p in problems) or "Geen problemen gevonden."
        self.push_screen(HelpScreen("Controle van het werkboek", text, literal=True))

    def action_resolve_conflicts(self) -> None:
        from tui.app.resolve_screen import ResolveScreen

        if self.session is None:
            return
        self.clear_notifications()  # the notice that led here would lie over the list

        def settled(n: int | None) -> None:
            if n and self.session is not None and not self.session.open_conflicts() and _in_git(self.path):
                self.notify(f"Alle conflicten gekozen. Na het opslaan (Ctrl+S) in git: git add {self.path.name} en git commit.", title="Conflicten")

        self.push_screen(ResolveScreen(), settled)

    # ------------------------------------------------------------------ rounds
    def _form_open(self, doing: str) -> bool:
        """A record form lies open (under the command palette, say), or the slides of presentation
        mode: another round now would put what is typed there in the wrong round. Say so, and do
        nothing."""
        from tui.app.record_screen import RecordScreen

        if self._presenting(doing):
            return True
        if not any(isinstance(screen, RecordScreen) for screen in self.screen_stack):
            return False
        self.notify(f"Er staat een formulier open. Bewaar het (F2) of sluit het (Esc) voordat je {doing}: anders komt wat erin staat in de verkeerde ronde.", title="Ronde", severity="warning", timeout=8)
        return True

    def _presenting(self, doing: str) -> bool:
        """The slides show one round at one step, and what is typed on them goes there: another
        round or step now would leave them behind. Say so, and do nothing."""
        if not any(getattr(screen, "IN_THE_ROOM", False) for screen in self.screen_stack):
            return False
        self.notify(f"De presentatie loopt. Stop die eerst (Esc) voordat je {doing}.", title="Ronde", severity="warning", timeout=8)
        return True

    def action_new_cycle(self) -> None:
        from tui.app.round_screen import RoundScreen

        if self._form_open("een nieuwe ronde begint"):
            return
        def answered(values: dict | None) -> None:
            if values is None:
                return
            new = self.session.new_round(values.get("aanleiding", ""), values.get("titel", ""))
            self.notify(f"Ronde {new['nummer']} is begonnen: het vraagstuk, de gekozen bronnen en de open acties zijn meegenomen.")

        cycles = self.session.cycles
        number = max((c.get("nummer", 0) for c in cycles), default=0) + 1
        carried = sum(1 for a in self.session.cycle.get("acties", []) if a.get("status") not in ("afgerond", "gestopt")) if cycles else 0
        self.push_screen(RoundScreen(number, carried), answered)

    def action_step_back(self) -> None:
        """'Misschien kom je erachter dat je data mist en moet je opnieuw gaan inventariseren.'"""
        if self._presenting("teruggaat naar stap 2"):
            return
        self.session.step_back_to_data()
        self.action_show_tab("data")
        self._build_tab("data")
        self.query_one("#pane-data").focus_target("#veld-data-data_mist TextArea")
        self.notify("Terug naar stap 2: schrijf op welke data je mist en vul de inventarisatie aan.")

    # ------------------------------------------------------------------ command palette
    def action_command_palette(self) -> None:
        """The command palette, in Dutch; one at a time, also when a screen opened from it (help,
        presentation) lies over it."""
        from textual.command import CommandPalette as TextualCommandPalette

        from tui.app.dutch import DutchCommandPalette

        if self.use_command_palette and not any(isinstance(screen, TextualCommandPalette) for screen in self.screen_stack):
            self.push_screen(DutchCommandPalette())  # no fixed id: one closing while the next opens must not clash

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.session is None:  # the file could not be read: only what works without it
            yield from self._theme_commands()
            yield SystemCommand("App: afsluiten", "Sluit de app", self.action_request_quit)
            return
        yield SystemCommand("Werkboek: opslaan", "Sla het werkboek nu op", self.action_save)
        yield SystemCommand("Werkboek: controleren", "Controleer het werkboek op problemen en termijnen", self.action_check)
        yield SystemCommand("Werkboek: conflicten oplossen", "Kies per samenvoegconflict: de eigen waarde of die van de andere versie", self.action_resolve_conflicts)
        yield SystemCommand("Werkboek: exporteren naar Excel", "Verwerkingsregister, evaluatielog, databronnen, datalekken en overzicht", self.action_export)
        yield SystemCommand("Werkboek: wijzigingen uit Excel overnemen", "Lees een export die het management heeft aangepast; kies per wijziging", self.action_import_excel)
        yield SystemCommand("Ronde: nieuwe ronde", "Begin de volgende ronde vanuit deze", self.action_new_cycle)
        yield SystemCommand("Ronde: kies een ronde", "Werk in een eerdere of latere ronde", self.action_choose_cycle)
        yield SystemCommand("Ronde: terug naar 2 Data (we missen data)", "Een stap terug: opnieuw inventariseren welke data nodig is", self.action_step_back)
        for key, label in TABS:
            yield SystemCommand(f"Ga naar: {label}", f"Open de tab {label}", lambda k=key: self.action_show_tab(k))
        for table_id, label in (("verwerkingsregister", "het verwerkingsregister"), ("datalekregister", "het datalekregister"), ("systemen", "de systemen")):
            yield SystemCommand(f"Ga naar: {label.split(' ', 1)[1]}", f"Open {label} in stap 4", lambda t=table_id: self.goto_register(t))
        yield SystemCommand("Uitleg: deze stap", "De tekst uit de gids bij deze stap", self.action_help)
        yield SystemCommand("Presentatie: aan of uit", "Hoog contrast, één vraag tegelijk, groot: voor een sessie met een beamer", self.action_presentation)
        yield from self._theme_commands()
        yield SystemCommand("App: kopieer naar het klembord", "De vraag en het antwoord waar je staat (OSC 52)", self.action_copy)
        yield SystemCommand("App: afsluiten", "Sluit de app", self.action_request_quit)

    def _theme_commands(self) -> Iterable[SystemCommand]:
        for name, label in (("standaard", "standaard (donker)"), ("licht", "licht"), ("hoog-contrast", "hoog contrast")):
            yield SystemCommand(f"Thema: {label}", "Kleurenthema van de app", lambda n=name: self.set_theme_name(n))
        yield SystemCommand("App: alle thema's", "Kies een van de ingebouwde kleurenthema's", self.action_change_theme)

    def action_change_theme(self) -> None:
        """Textual's theme list, in a Dutch palette ('Search for themes…' was English)."""
        from textual.theme import ThemeProvider

        from tui.app.dutch import DutchCommandPalette

        self.push_screen(DutchCommandPalette(providers=[ThemeProvider], placeholder="Zoek een thema…"))

    # ------------------------------------------------------------------ in the room
    def action_presentation(self) -> None:
        from tui.app.presentation import PresentationScreen

        if isinstance(self.screen, PresentationScreen):
            self.screen.action_leave()
        elif self.session is not None:
            self.push_screen(PresentationScreen(self.cycle_index))

    def set_theme_name(self, name: str) -> None:
        from tui.config import THEMES

        for screen in self.screen_stack:
            if getattr(screen, "theme_after", None) is not None:  # a dialog over a slide keeps high contrast
                screen.theme_after = THEMES[name]
                return
        self.theme = THEMES[name]

    def copy_text(self) -> str:
        """What F7 copies: the question and answer of the field with the focus, or what the
        timeline or the presentation shows."""
        from tui.app.field_editor import FieldEditor
        from tui.app.timeline import Timeline
        from tui.model.values import format_value

        node = self.focused
        while node is not None:
            if isinstance(node, FieldEditor):
                slides = getattr(self.screen, "slides", None)
                label = slides[self.screen.index].text if slides else node.field.nl
                return f"{label}\n{format_value(node.field.type, node.value)}".strip()
            if isinstance(node, Timeline):
                item = node.items[node.selected] if node.selected is not None else None
                return f"{item.title}\n{item.state}\n{item.detail}" if item else ""
            node = node.parent
        if self.session is None:
            return ""
        return self.session.cycle.get("vraagstuk", {}).get("kernvraag") or ""

    def action_copy(self) -> None:
        text = self.copy_text()
        if not text:
            self.notify("Hier is niets om te kopiëren.")
            return
        self.copy_to_clipboard(text)
        self.notify(f"Gekopieerd naar het klembord: {text.splitlines()[0][:60]}", title="Kopiëren", markup=False)

    # ------------------------------------------------------------------ rounds, and opening items from the timeline
    def select_cycle(self, index: int) -> None:
        """Work in another (earlier) round: the step tabs show that round from now on."""
        if self._form_open("een andere ronde kiest"):
            return
        if self.session.select_round(index):
            self.notify(f"Je werkt nu in ronde {self.session.cycle.get('nummer', index + 1)}.")

    def action_choose_cycle(self) -> None:
        from tui.app.confirm_screen import Answer, ChoiceScreen

        if self._form_open("een andere ronde kiest"):
            return
        cycles = self.session.cycles
        answers = [(i, f"Ronde {c.get('nummer', i + 1)}" + (" (nu)" if i == self.cycle_index else "")) for i, c in enumerate(cycles)]

        def chosen(answer: int | Answer | None) -> None:
            if isinstance(answer, int):
                self.select_cycle(answer)

        self.push_screen(ChoiceScreen("In welke ronde wil je werken? Eerdere rondes blijven te lezen en te bewerken.", answers + [(Answer.ANNULEREN, "Annuleren")]), chosen)

    def open_path(self, path: tuple) -> None:
        """Enter on a timeline item: the round, the action, the measurement or the breach."""
        from tui.app.confirm_screen import Answer, ChoiceScreen

        if path[0] == "datalekregister":
            self.goto_register("datalekregister")
            self.record_action("datalekregister", RecordOp.EDIT, path[1])
            return
        self.select_cycle(path[1])
        if len(path) == 2:
            self.action_show_tab("vraagstuk")
            return
        self.action_show_tab("actie")
        if len(path) == 4:
            self.record_action("acties", RecordOp.EDIT, path[3])
            return
        action = self.session.data["cyclus"][path[1]]["acties"][path[3]]
        ev = action["evaluaties"][path[5]]

        def chosen(answer: Answer | None) -> None:
            if answer == Answer.OPENEN:
                self.record_action("acties", RecordOp.EDIT, path[3])
            elif answer == Answer.VERVOLG:
                self.follow_up(path[1], path[3], path[5])

        self.push_screen(
            ChoiceScreen(
                f"Meting van {ev['datum']:%d-%m-%Y} bij '{action.get('titel', '')}'.",
                [(Answer.OPENEN, "Actie en metingen openen"), (Answer.VERVOLG, "Vervolgactie maken (plannen bijstellen)"), (Answer.ANNULEREN, "Annuleren")],
            ),
            chosen,
        )

    def follow_up(self, cycle: int, action: int, evaluation: int | None = None) -> None:
        """'Plannen bijstellen': a new action that continues this one, from a measurement."""
        proposal = self.session.follow_up(cycle, action, evaluation)
        self.record_action("acties", RecordOp.ADD, None, proposal)

    def goto_register(self, table_id: str) -> None:
        self.focus_field("implementatie", f"#{table_id} DataTable")

    @when_alive
    def focus_tab_bar(self) -> None:
        """The focus on the step tabs, where the app starts."""
        if self.screen is self.screen_stack[0]:
            bars = self.query(StepBar)
            if bars:
                bars.first().focus()

    @when_alive
    def focus_field(self, tab: str, selector: str) -> None:
        """Land on a field of a tab, scrolled into view (leaving presentation mode returns to the
        field of its last slide; 'Ga naar: datalekregister' to its table). A tab that is shown
        anew would put the focus on its first field: it takes this one instead."""
        tabs = self.query_one(StepTabs)
        if tabs.active != tab:
            self._focus_request = (tab, selector)
            self.action_show_tab(tab)
            return
        self._build_tab(tab)
        self.query_one(f"#pane-{tab}").focus_target(selector)
