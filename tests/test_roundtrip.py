"""Load and save never lose a word: byte-identical round trips, in-place edits, any text survives."""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import fill_every_table, new_workbook, text_field_paths
from tui import storage
from tui.templates import list_templates


@pytest.mark.parametrize("template", [t.name for t in list_templates()])
def test_every_template_loads_and_saves_byte_identically(tmp_path, template):
    path = new_workbook(tmp_path, template=template)
    before = path.read_bytes()
    wb = storage.load(path)
    wb.document()  # force the tomlkit path, not the unchanged-text shortcut
    storage.save(wb)
    assert path.read_bytes() == before


def test_bom_and_crlf_survive_a_save(tmp_path):
    path = tmp_path / "w.toml"
    path.write_bytes(b"\xef\xbb\xbf# kop\r\nschema = 1\r\n\r\n[organisatie]\r\nnaam = \"\" # naam\r\n")
    wb = storage.load(path)
    assert wb.data["organisatie"]["naam"] == ""
    wb.set(("organisatie", "naam"), "Theater De Schalm")
    storage.save(wb)
    assert path.read_bytes() == b"\xef\xbb\xbf# kop\r\nschema = 1\r\n\r\n[organisatie]\r\nnaam = \"Theater De Schalm\" # naam\r\n"


def test_an_edit_changes_only_the_edited_line(tmp_path):
    path = new_workbook(tmp_path)
    before = path.read_text(encoding="utf-8").splitlines()
    wb = storage.load(path)
    wb.set(("cyclus", 0, "vraagstuk", "kernvraag"), "Hoe bereiken we gezinnen met kinderen?")
    storage.save(wb)
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [l for l in difflib.unified_diff(before, after, lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]
    assert changed == [
        '-kernvraag = ""',
        '+kernvraag = "Hoe bereiken we gezinnen met kinderen?"',
    ]


def test_comments_key_order_and_unknown_keys_survive_edits(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(
        "schema = 1\n"
        "eigen_notitie = \"van de marketingafdeling\" # blijft staan\n\n"
        "[organisatie]\n"
        "# wie zijn wij\n"
        "plaats = \"Veldhoven\"\n"
        "naam = \"\" # eerst plaats, dan naam: volgorde van de gebruiker\n\n"
        "[toekomst] # een tabel uit een nieuwere versie\n"
        "x = [1, 2]\n",
        encoding="utf-8",
    )
    wb = storage.load(path)
    wb.set(("organisatie", "naam"), "Theater De Schalm")
    wb.set(("organisatie", "website"), "https://www.deschalm.nl")
    storage.save(wb)
    text = path.read_text(encoding="utf-8")
    assert "# wie zijn wij" in text and "# blijft staan" in text and "# eerst plaats" in text
    assert text.index("plaats =") < text.index("naam =") < text.index("website =")
    data = tomllib.loads(text)
    assert data["eigen_notitie"] == "van de marketingafdeling"
    assert data["toekomst"] == {"x": [1, 2]}
    assert data["organisatie"] == {"plaats": "Veldhoven", "naam": "Theater De Schalm", "website": "https://www.deschalm.nl"}


def test_multiline_text_is_written_readably(tmp_path):
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.set(("cyclus", 0, "vraagstuk", "belangrijk"), "Nieuw publiek.\nEn jonge gezinnen.")
    storage.save(wb)
    assert 'belangrijk = """Nieuw publiek.\nEn jonge gezinnen.""" # Wat is de komende periode' in path.read_text(encoding="utf-8")


def test_new_records_and_deletions(tmp_path):
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    fill_every_table(wb)
    storage.save(wb)
    again = storage.load(path)
    assert again.data == wb.data
    assert again.get(("cyclus", 0, "acties", 0, "evaluaties", 0, "datum")) == dt.date(2024, 3, 1)
    again.delete(("cyclus", 0, "acties", 0, "evaluaties", 0))
    again.delete(("databronnen", 0))
    storage.save(again)
    third = tomllib.loads(path.read_text(encoding="utf-8"))
    assert third["cyclus"][0]["acties"][0]["evaluaties"] == []
    assert third["databronnen"] == []


# Text a person might type, and text nobody should but someone will: quotes, backslashes,
# newlines, control characters, emoji, right-to-left script, the TOML delimiters themselves.
nasty_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.sampled_from(
        [
            'a"b', "a'b", "\\", "\\n", '"""', "'''", '"""\n"""', "\n", "\r\n", "\r", "\t",
            "\x00", "\x7f", "\x1b[31m", "🎭🎟️", "مرحبا بالعالم", "שלום", "a\u202eb", "# geen commentaar",
            "=SUM(A1)", "[cyclus]", "x = 1", "\ufeff", "\u2028", "eind\\",
        ]
    ),
)


@given(value=nasty_text)
def test_any_text_in_every_text_field_survives_save_and_reload(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("rt")
    path = new_workbook(folder)
    wb = storage.load(path)
    fill_every_table(wb)
    paths = text_field_paths()
    for p in paths:
        wb.set(p, value)
    storage.save(wb)
    back = storage.load(path)
    for p in paths:
        assert back.get(p) == value, p
    assert back.data == wb.data


@given(value=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_text_in_a_list_survives(tmp_path_factory, value):
    path = new_workbook(tmp_path_factory.mktemp("rt"))
    wb = storage.load(path)
    wb.set(("cyclus", 0, "vraagstuk", "waarom"), [value, value + "!"])
    storage.save(wb)
    assert storage.load(path).get(("cyclus", 0, "vraagstuk", "waarom")) == [value, value + "!"]


def test_lone_surrogate_is_refused_before_anything_changes(tmp_path):
    path = new_workbook(tmp_path)
    before = path.read_bytes()
    wb = storage.load(path)
    with pytest.raises(ValueError, match="UTF-8"):
        wb.set(("organisatie", "naam"), "Theater \udc80")
    assert wb.get(("organisatie", "naam")) == ""
    assert not wb.dirty
    storage.save(wb)
    assert path.read_bytes() == before


def test_a_list_of_records_is_written_as_array_of_tables(tmp_path):
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    i = wb.append(("verwerkingsregister",), {"id": "t", "naam": "Tickets"})
    wb.set(("verwerkingsregister", i, "doelen"), [{"doel": "Verkoop", "grondslag": "overeenkomst"}, {"doel": "Nieuwsbrief", "grondslag": "toestemming"}])
    storage.save(wb)
    text = path.read_text(encoding="utf-8")
    assert [l for l in text.splitlines() if l.startswith("[[verwerkingsregister.doelen]]")] == ["[[verwerkingsregister.doelen]]"] * 2
    wb = storage.load(path)
    wb.set(("verwerkingsregister", 0, "doelen"), [{"doel": "Verkoop", "grondslag": "overeenkomst"}])
    storage.save(wb)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["verwerkingsregister"][0]["doelen"] == [{"doel": "Verkoop", "grondslag": "overeenkomst", "id": "t-verkoop"}]  # the id comes with the save
