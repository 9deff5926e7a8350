"""The session core, tested directly: no screen, no Pilot."""

from __future__ import annotations

import datetime as dt
import threading
import tomllib

import pytest

from tests.helpers import new_workbook
from tui import storage
from tui.session import Change, ChangeKind, Session

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
KERN = ("cyclus", 0, "vraagstuk", "kernvraag")


def open_session(tmp_path, template: str = "leeg") -> Session:
    session = Session.open(new_workbook(tmp_path, template=template), clock=lambda: NOW)
    session.ensure_cycle()
    return session


def on_disk(session: Session, path: tuple):
    node = tomllib.loads(session.path.read_text(encoding="utf-8"))
    for p in path:
        node = node[p]
    return node


def wait_until(condition, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def test_an_edit_made_while_a_save_writes_stays_unsaved_and_is_saved_next(tmp_path):
    """The save renders what is there, then waits for the file lock (another process saving);
    an edit made meanwhile is not in that save, so the workbook must still be dirty after it."""
    session = open_session(tmp_path)
    session.set(KERN, "eerste")
    with storage.file_lock(storage._target(session.path)):
        saver = threading.Thread(target=session.save)
        saver.start()
        wait_until(lambda: session.workbook.rendered_generation == session.workbook.generation and session.saving)
        session.set(KERN, "tweede")  # typed while the save waits to write
        assert session.dirty
    saver.join(10)
    assert on_disk(session, KERN) == "eerste"
    assert session.dirty, "an edit made during a save was marked as saved"
    assert session.autosave_due()
    assert session.save()
    assert on_disk(session, KERN) == "tweede"
    assert not session.dirty


def test_two_saves_at_once_write_one_after_the_other_without_a_conflict(tmp_path):
    session = open_session(tmp_path)
    errors: list[Exception] = []

    def save():
        try:
            session.save()
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    for i in range(5):
        session.set(KERN, f"versie {i}")
        threads = [threading.Thread(target=save) for _ in range(3)]
        for t in threads:
            t.start()
        session.set(("organisatie", "naam"), f"Theater {i}")
        for t in threads:
            t.join(10)
        assert not errors
        session.save()
        assert on_disk(session, KERN) == f"versie {i}"
        assert on_disk(session, ("organisatie", "naam")) == f"Theater {i}"
        assert not session.dirty


def test_no_autosave_while_a_question_about_unsaved_work_is_open(tmp_path):
    session = open_session(tmp_path)
    session.set(KERN, "nog niet opgeslagen")
    assert session.autosave_due()
    session.pause_autosave()  # the quit dialog is open
    assert not session.autosave_due()
    session.set(KERN, "nog een wijziging")  # a change while it is open (e.g. a remote merge)
    assert not session.autosave_due()
    session.resume_autosave()
    assert session.autosave_due()
    with session.autosave_paused():
        assert not session.autosave_due()
    assert session.autosave_due()


def test_an_edit_before_the_document_is_parsed_is_kept_with_the_comments(tmp_path):
    path = new_workbook(tmp_path)
    path.write_text("# van de gebruiker\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    session = Session.open(path, clock=lambda: NOW)
    session.set(KERN, "Waarom komen jongeren niet terug?")
    assert not session.workbook.document_loaded  # the edit did not need the tomlkit document
    session.save()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# van de gebruiker\n")
    assert tomllib.loads(text)["cyclus"][0]["vraagstuk"]["kernvraag"] == "Waarom komen jongeren niet terug?"


class View:
    """What an editor on a screen does: shows the value at its path, and edits it."""

    def __init__(self, session: Session, path: tuple):
        self.session, self.path = session, path
        self.value = session.get(path) or ""
        session.subscribe(self.changed)

    def changed(self, change: Change) -> None:
        if change.source is not self and change.touches(self.path):
            self.value = self.session.get(self.path) or ""

    def type(self, text: str) -> None:
        self.value += text
        self.session.set(self.path, self.value, source=self)


def test_a_presentation_edit_then_a_step_edit_keeps_both(tmp_path):
    session = open_session(tmp_path)
    step1, presentation = View(session, KERN), View(session, KERN)
    presentation.type("Hoe bereiken we jongeren")
    assert step1.value == "Hoe bereiken we jongeren"  # the step form follows
    step1.type("?")
    assert session.get(KERN) == "Hoe bereiken we jongeren?"
    assert presentation.value == "Hoe bereiken we jongeren?"


def test_changes_say_what_they_touch(tmp_path):
    session = open_session(tmp_path)
    seen: list[Change] = []
    session.subscribe(seen.append)
    session.set(KERN, "x")
    session.add_record("bronnen", {"naam": "Kassa"})
    session.new_round(reason="nieuw vraagstuk", title="Ronde 2")
    assert [c.kind for c in seen] == [ChangeKind.SET, ChangeKind.STRUCTURE, ChangeKind.ROUND]
    assert seen[0].touches(KERN) and seen[0].touches(("cyclus", 0)) and not seen[0].touches(("organisatie", "naam"))
    assert seen[1].touches(("databronnen", 0, "naam")) and seen[2].touches(("organisatie",))
    session.set(KERN, session.get(KERN))  # the same value: nothing changes, nobody is told
    assert len(seen) == 3


def test_records_get_unique_ids_and_a_form_writes_only_what_it_changed(tmp_path):
    session = open_session(tmp_path)
    first = session.add_record("bronnen", {"naam": "Ticketverkoop", "soort": ""})
    second = session.add_record("bronnen", {"naam": "Ticketverkoop"})
    records = session.records("bronnen")
    assert records[first]["id"] != records[second]["id"]
    assert "soort" not in records[first]  # empty values are not written
    original = dict(records[first])
    session.set(("databronnen", first, "relevant"), "ja")  # someone else, while the form was open
    session.update_record("bronnen", first, {**original, "naam": "Kassa"}, original)
    assert session.records("bronnen")[first]["naam"] == "Kassa"
    assert session.records("bronnen")[first]["relevant"] == "ja"  # not overwritten by the form's stale copy
    session.remove_record("bronnen", second)
    assert len(session.records("bronnen")) == 1
    session.save()
    assert on_disk(session, ("databronnen", 0, "naam")) == "Kassa"


def test_a_form_field_typed_in_and_emptied_again_writes_nothing(tmp_path):
    """Typing a letter in the A/B learning point and deleting it again added an empty
    ``[cyclus.acties.ab]`` table with ``leerpunt = ""`` to the file."""
    session = open_session(tmp_path)
    index = session.add_record("acties", {"titel": "Matinee"})
    original = dict(session.records("acties")[index])
    written = session.update_record("acties", index, {**original, "ab": {"leerpunt": ""}, "doel": ""}, original)
    assert written == []
    assert "ab" not in session.records("acties")[index] and "doel" not in session.records("acties")[index]
    session.update_record("acties", index, {**original, "ab": {"leerpunt": "", "groep_a": "vaste bezoekers"}}, original)
    assert session.records("acties")[index]["ab"] == {"groep_a": "vaste bezoekers"}
    session.save()
    text = session.path.read_text(encoding="utf-8")
    assert "leerpunt" not in text and 'groep_a = "vaste bezoekers"' in text


def test_rounds_follow_ups_and_the_step_back(tmp_path):
    session = open_session(tmp_path, template="mariniersmuseum")
    start = len(session.cycles)
    new = session.new_round(reason="De vorige ronde is afgerond", title="Jongeren, deel 2")
    assert len(session.cycles) == start + 1 and session.cycle_index == start
    assert new["titel"] == "Jongeren, deel 2" and new["aanleiding"] == "De vorige ronde is afgerond"
    assert session.select_round(0) and session.cycle_index == 0
    assert not session.select_round(99)
    session.step_back_to_data()
    assert session.get(("cyclus", 0, "huidige_stap")) == "data"
    assert "data" not in (session.get(("cyclus", 0, "stappen_klaar")) or [])


def test_saving_refuses_a_file_changed_on_disk_and_loses_nothing(tmp_path):
    session = open_session(tmp_path)
    session.set(KERN, "mijn versie")
    session.path.write_text(session.path.read_text(encoding="utf-8") + "\n# een collega\n", encoding="utf-8")
    with pytest.raises(storage.SaveConflict):
        session.save()
    assert session.dirty and session.get(KERN) == "mijn versie"
    session.reload()
    assert session.get(KERN) != "mijn versie" and not session.dirty


def test_a_fault_while_rendering_is_a_save_error_and_loses_nothing(tmp_path, monkeypatch):
    """A save raises SaveError and nothing else: a fault in rendering (a file tomlkit cannot
    handle, a bug) must not end the app that called it, nor touch the file or the edits."""
    session = open_session(tmp_path)
    before = session.path.read_bytes()
    session.set(KERN, "mijn kernvraag")

    def broken(self):
        raise ValueError("kapot bij het opmaken")

    monkeypatch.setattr(storage.Workbook, "rendered", broken)
    with pytest.raises(storage.SaveError) as exc:
        session.save()
    assert type(exc.value) is storage.SaveError and "kapot bij het opmaken" in str(exc.value)
    assert session.path.read_bytes() == before and session.dirty
    assert not session.saving
    monkeypatch.undo()
    assert session.save()
    assert on_disk(session, KERN) == "mijn kernvraag"


def test_breach_alerts_name_each_breach_once(tmp_path):
    session = open_session(tmp_path)
    found = NOW - dt.timedelta(hours=10)
    session.add_record("datalekregister", {"ontdekt": found, "status": "open"})  # no summary: its id is "datalek"
    session.add_record("datalekregister", {"ontdekt": found - dt.timedelta(hours=1), "status": "open"}, proposed_id="2026-03")
    alerts = session.breach_alerts()
    assert [a.split(":")[0] for a in alerts] == ["⚠ Datalek 2026-03", "⚠ datalek"]  # not "Datalek datalek"
    assert all("nog " in a and "om te melden" in a for a in alerts)
