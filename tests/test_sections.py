"""A save edits the workbook text section by section: the same bytes as the whole tomlkit
document gives, without ever parsing the whole of a large file."""

from __future__ import annotations

import datetime as dt
import random
import sys
import tomllib
from pathlib import Path

import pytest
import tomlkit

from tests.helpers import REPO, filled_workbook, new_workbook
from tests.test_merge import HEAD
from tui import storage
from tui.templates import list_templates

COMMENTED = HEAD + """
# Acties: wat we gaan doen
[[cyclus.acties]]
id = "r1-a1" # eerste actie
titel = "Gezinsdag"

[[cyclus.acties.evaluaties]]
id = "r1-a1-2024-03-01"
datum = 2024-03-01
waarde = 10 # geteld bij de deur

[[cyclus.acties]]
id = "r1-a2"
titel = "Nieuwsbrief"
  ab = { groep_a = "oud", groep_b = "nieuw" }

# Hieronder: de databronnen
# [[databronnen]]
# id = "..."

[overig]
vrij = 'letterlijk'   # eigen aantekening
"""


def sample_texts(tmp_path: Path) -> dict[str, str]:
    texts = {t.name: new_workbook(tmp_path, f"{t.name}.toml", template=t.name).read_text(encoding="utf-8") for t in list_templates()}
    (tmp_path / "gevuld").mkdir()
    wb = filled_workbook(tmp_path / "gevuld")
    texts["gevuld"] = wb.render()
    texts["samenvoeg"] = HEAD
    texts["commentaar"] = COMMENTED
    return texts


def sectioned(text: str) -> storage.Workbook:
    """The file on the sectioned path (the tomlkit document is never parsed)."""
    return storage.Workbook(Path("werkboek.toml"), text, tomllib.loads(text), False, None)


def whole(text: str) -> storage.Workbook:
    """The file on the whole-document path."""
    wb = sectioned(text)
    wb.document()
    return wb


def pair(text: str) -> tuple[storage.Workbook, storage.Workbook]:
    """(sectioned, whole document): the same file, once on each path."""
    return sectioned(text), whole(text)


def _tables(node, path=()):
    """(path, table) for every table in the data, records included."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            if isinstance(v, dict):
                yield from _tables(v, path + (k,))
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                for i, x in enumerate(v):
                    yield from _tables(x, path + (k, i))


def _lists(data):
    """Paths of every list of records."""
    out = []
    for path, table in _tables(data):
        for k, v in table.items():
            if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                out.append(path + (k,))
    return out


def _value(rng: random.Random):
    return rng.choice([
        lambda: f"tekst {rng.randrange(1000)}",
        lambda: rng.randrange(-5, 500),
        lambda: dt.date(2024, 1 + rng.randrange(12), 1 + rng.randrange(28)),
        lambda: "regel een\nregel twee\n# geen commentaar",
        lambda: ["a", "b " + str(rng.randrange(9))],
        lambda: 'met "aanhalingstekens" en \\ teken',
        lambda: "",
    ])()


def random_edit(wb: storage.Workbook, rng: random.Random) -> None:
    """One edit of the kinds the app and the merge make, somewhere in the workbook."""
    tables = [(p, t) for p, t in _tables(wb.data) if p]
    kind = rng.choice(["set", "set", "set", "new_key", "delete_key", "delete_record", "append", "append", "new_list", "new_top", "set_list"])
    if kind in ("set", "delete_key") and tables:
        path, table = rng.choice(tables)
        leaves = [k for k, v in table.items() if not isinstance(v, dict) and not (isinstance(v, list) and v and isinstance(v[0], dict))]
        if leaves:
            key = rng.choice(leaves)
            if kind == "set":
                wb.set(path + (key,), _value(rng))
            else:
                wb.delete(path + (key,))
    elif kind == "new_key" and tables:
        path, _ = rng.choice(tables)
        wb.set(path + (f"nieuw_{rng.randrange(3)}",), _value(rng))
    elif kind == "delete_record":
        lists = _lists(wb.data)
        if lists:
            path = rng.choice(lists)
            wb.delete(path + (rng.randrange(len(wb.get(path))),))
            if not wb.get(path):
                wb.delete(path)  # as the merge does: an empty list is not written
    elif kind == "append":
        lists = _lists(wb.data)
        if lists:
            wb.append(rng.choice(lists), {"id": f"n{rng.randrange(10**6)}", "titel": _value(rng), "sub": {"x": 1}} if rng.random() < 0.2 else {"id": f"n{rng.randrange(10**6)}", "waarde": _value(rng)})
    elif kind == "new_list" and tables:  # (as for set_list)
        path, table = rng.choice([(p, t) for p, t in tables if isinstance(p[-1], int)] or tables)
        name = rng.choice(["evaluaties", "doelen", "extra"])
        if name not in table:
            wb.append(path + (name,), {"datum": dt.date(2024, 2, 3), "waarde": rng.randrange(100)})
    elif kind == "new_top":
        name = rng.choice(["databronnen", "systemen", "datalekregister", "verwerkingsregister", "eigen_lijst"])
        wb.append((name,), {"id": f"t{rng.randrange(10**6)}", "naam": "Nieuw"})
    elif kind == "set_list":  # (records in an inline table are beyond tomlkit: not tried)
        path, table = rng.choice([(p, t) for p, t in tables if isinstance(p[-1], int)] or [((), wb.data)])
        if path and "acties" not in table:
            wb.set(path + ("acties",), [{"id": "s1", "titel": "Via set"}])


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> dict[str, str]:
    return sample_texts(tmp_path_factory.mktemp("w"))


class Recorder:
    """Passes edits on to a workbook and keeps them, to make them again elsewhere."""

    def __init__(self, wb: storage.Workbook):
        self.wb, self.edits = wb, []

    @property
    def data(self):
        return self.wb.data

    def get(self, *args):
        return self.wb.get(*args)

    def set(self, *args):
        self.edits.append(("set", args))
        self.wb.set(*args)

    def delete(self, *args):
        self.edits.append(("delete", args))
        self.wb.delete(*args)

    def append(self, *args):
        self.edits.append(("append", args))
        return self.wb.append(*args)


def whole_document(text: str, edits: list) -> str:
    """What the whole-document path writes for ``edits`` made on ``text``, one after the other,
    each on the file as it was read back."""
    for kind, args in edits:
        wb = whole(text)
        getattr(wb, kind)(*args)
        text = wb.render()
    return text


@pytest.mark.parametrize("seed", range(40))
def test_edits_give_the_same_bytes_as_the_whole_document(texts, seed):
    rng = random.Random(seed)
    for name, text in texts.items():
        new = sectioned(text)
        for _ in range(rng.randrange(1, 4)):  # several saves, each with several edits
            recorder = Recorder(new)
            for _ in range(rng.randrange(1, 8)):
                random_edit(recorder, rng)
            got, intended, generation = new.rendered()
            assert got == whole_document(text, recorder.edits), (name, recorder.edits)
            assert tomllib.loads(got) == new.data
            assert storage.verify(got, intended, new.path) == got.encode("utf-8")
            assert generation == new.generation
            text = got
        assert not new.document_loaded, f"{name}: took the whole document"


def test_typing_one_set_per_key_gives_the_same_bytes_with_one_parse_per_field(texts, monkeypatch):
    """Typing queues a set of the whole value per key. The save writes the last of each run, once:
    the same bytes as every set applied through the whole document, one section parsed per field
    (not one per key). Existing values (with a comment after them in 'commentaar'), new keys,
    numbers, lists and text with line breaks; a field typed again after another one was typed."""
    from tui import sections

    parses = []
    real = sections.Sectioned._parse
    monkeypatch.setattr(sections.Sectioned, "_parse", lambda self, a, b: parses.append((a, b)) or real(self, a, b))
    rng = random.Random(7)
    for name in ("commentaar", "samenvoeg", "gevuld", "mariniersmuseum"):  # each kind of file once
        text = texts[name]
        new = sectioned(text)
        tables = [(p, t) for p, t in _tables(new.data) if p]
        path, table = max(tables, key=lambda pt: sum(not isinstance(v, (dict, list)) for v in pt[1].values()))
        leaves = [k for k, v in table.items() if not isinstance(v, (dict, list))]
        words = "Hoe bereiken we\nmeer gezinnen? # geen commentaar"
        fields = [
            (path + (leaves[0],), [words[:n] for n in (1, 16, len(words))]),
            (path + (rng.choice(leaves[1:]),), [1, 12, 120]),
            (path + ("nieuw_veld",), ["a", "ab", "abc"]),
            (path + ("lijst",), [["een"], ["een", "t"], ["een", "twee"]]),
        ]
        recorder = Recorder(new)
        for field_path, typed in fields + fields[:1]:
            for value in typed:
                recorder.set(field_path, value)
        parses.clear()
        got, _, _ = new.rendered()
        assert len(parses) == len(fields) + 1, (name, parses)  # one per run of sets, not one per key
        monkeypatch.setattr(sections.Sectioned, "_parse", real)
        assert got == whole_document(text, recorder.edits), name
        assert tomllib.loads(got) == new.data
        monkeypatch.setattr(sections.Sectioned, "_parse", lambda self, a, b: parses.append((a, b)) or real(self, a, b))


def test_comments_and_unknown_keys_in_untouched_sections_stay_byte_identical(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    wb = storage.load(path)
    wb.set(("cyclus", 0, "acties", 1, "titel"), "Nieuwsbrief voor gezinnen")
    storage.save(wb)
    text = path.read_text(encoding="utf-8")
    assert text == COMMENTED.replace('titel = "Nieuwsbrief"', 'titel = "Nieuwsbrief voor gezinnen"')
    assert not wb.document_loaded


def test_a_new_record_goes_after_the_last_of_its_list_and_the_guide_text_moves_below_it(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    wb = storage.load(path)
    wb.append(("cyclus", 0, "acties"), {"id": "r1-a3", "titel": "Nieuw"})
    wb.append(("databronnen",), {"id": "ticketing"})
    storage.save(wb)
    text = path.read_text(encoding="utf-8")
    assert '  ab = { groep_a = "oud", groep_b = "nieuw" }\n\n[[cyclus.acties]]\nid = "r1-a3"\ntitel = "Nieuw"\n\n# Hieronder: de databronnen\n# [[databronnen]]' in text
    assert text.endswith("[overig]\nvrij = 'letterlijk'   # eigen aantekening\n")
    assert not wb.document_loaded


def large_workbook(folder: Path, **sizes) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from make_large_workbook import make
    finally:
        sys.path.remove(str(REPO / "bench"))
    return make(folder / "groot.toml", **sizes)


def test_a_save_of_a_large_workbook_parses_only_the_parts_it_changes(tmp_path, monkeypatch):
    path = large_workbook(tmp_path, evaluations=600, records=60, sources=40)
    before = path.read_text(encoding="utf-8")
    wb = storage.load(path)
    real_parse, sizes = tomlkit.parse, []

    def spy(text):
        sizes.append(len(text))
        return real_parse(text)

    monkeypatch.setattr(tomlkit, "parse", spy)
    wb.set(("organisatie", "naam"), "Theater Groot")
    wb.set(("cyclus", 4, "acties", 2, "evaluaties", 1, "waarde"), 12345)
    wb.append(("cyclus", 4, "acties", 2, "evaluaties"), {"datum": dt.date(2025, 1, 2), "waarde": 1})
    wb.append(("databronnen",), {"id": "bron-nieuw", "naam": "Nieuwe bron"})
    wb.delete(("verwerkingsregister", 7))
    storage.save(wb)
    assert sizes and max(sizes) < len(before) / 20
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == wb.data
    assert data["cyclus"][4]["acties"][2]["evaluaties"][1]["waarde"] == 12345
    assert data["databronnen"][-1]["id"] == "bron-nieuw"
    # the next save too: its edit is the only part parsed again
    sizes.clear()
    wb.set(("cyclus", 0, "acties", 0, "titel"), "Andere titel")
    storage.save(wb)
    assert sizes and max(sizes) < len(before) / 20
    assert tomllib.loads(path.read_text(encoding="utf-8")) == wb.data


ODD = {
    "dotted keys": 'schema = 1\norganisatie.naam = "A"\norganisatie.plaats = "B"\n\n[[cyclus]]\nnummer = 1\n',
    "header in a text": 'schema = 1\n[organisatie]\nnaam = """regel\n[geen.kop]\nnog een"""\n\n[[cyclus]]\nnummer = 1\n',
    "spread table": '[organisatie]\nnaam = "A"\n\n[overig]\nx = 1\n\n[organisatie.adres]\nstraat = "S"\n\n[[cyclus]]\nnummer = 1\n',
}


@pytest.mark.parametrize("name", list(ODD))
def test_an_unusual_file_is_saved_through_the_whole_document(monkeypatch, name):
    text = ODD[name]
    new, old = pair(text)
    real_parse, sizes = tomlkit.parse, []

    def spy(text):
        sizes.append(len(text))
        return real_parse(text)

    monkeypatch.setattr(tomlkit, "parse", spy)
    for wb in (new, old):
        wb.set(("organisatie", "naam"), "Nieuw")
        wb.append(("cyclus",), {"nummer": 2})
        wb.set(("cyclus", 0, "nummer"), 5)
    got, intended, _ = new.rendered()
    assert got == old.rendered()[0]
    assert tomllib.loads(got) == new.data
    assert storage.verify(got, intended, new.path) == got.encode("utf-8")
    assert max(sizes) >= len(text)  # this file went the careful way: the whole of it was parsed


def test_a_multi_line_text_with_a_header_like_line_is_saved_correctly(tmp_path):
    """A line in a text that looks like a table header cannot be a section boundary: the save
    notices and renders through the whole document."""
    new, old = pair(COMMENTED)
    for wb in (new, old):
        wb.set(("cyclus", 0, "acties", 0, "titel"), "Eerste regel\n[[cyclus.acties]]\n[organisatie]")
        wb.set(("organisatie", "naam"), "Nieuw")
    got, intended, _ = new.rendered()
    assert got == old.rendered()[0]
    assert tomllib.loads(got) == new.data
    for wb in (new, old):
        wb.append(("cyclus", 0, "acties"), {"id": "r1-a9"})
    got, intended, _ = new.rendered()
    assert got == old.rendered()[0] and tomllib.loads(got) == new.data


def test_a_sectioned_edit_that_went_wrong_is_caught_and_the_whole_document_saves_it(tmp_path, monkeypatch):
    """The read-back is the proof: should an edit of a section ever write something else than
    meant, the save notices and renders the file through the whole document instead."""
    from tui import sections

    path = tmp_path / "w.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    wb = storage.load(path)
    real_dumps = sections._dumps
    monkeypatch.setattr(sections, "_dumps", lambda doc: real_dumps(doc).replace("Gezinsdag", "Verkeerd"))
    wb.set(("cyclus", 0, "acties", 0, "titel"), "Gezinsdag met ontbijt")
    wb.set(("organisatie", "naam"), "Theater Nieuw")
    storage.save(wb)
    assert wb.document_loaded  # the whole document took over
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text) == wb.data
    assert text == COMMENTED.replace('titel = "Gezinsdag"', 'titel = "Gezinsdag met ontbijt"').replace(
        'naam = "Theater De Proef"', 'naam = "Theater Nieuw"')


def test_an_edit_made_while_the_save_reads_back_is_taken_into_that_save(tmp_path, monkeypatch):
    """The read-back compares with the data while the person may go on typing. An edit that
    lands during it makes that round not count; the next round renders it too."""
    from tui import verify

    path = tmp_path / "w.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    wb = storage.load(path)
    real, calls = verify.reads_back_as, []

    def typing_meanwhile(chunks, text, data):
        result = real(chunks, text, data)
        calls.append(text)
        if len(calls) == 1:
            wb.set(("organisatie", "plaats"), "Utrecht")  # lands while the first round checks
        return result

    monkeypatch.setattr(verify, "reads_back_as", typing_meanwhile)
    wb.set(("organisatie", "naam"), "Theater Nieuw")
    storage.save(wb)
    assert len(calls) == 2 and 'plaats = "Utrecht"' not in calls[0] and 'plaats = "Utrecht"' in calls[1]
    assert not wb.dirty
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == wb.data and data["organisatie"]["plaats"] == "Utrecht"
    assert not wb.document_loaded
