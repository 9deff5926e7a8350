"""The guide's three stories as example workbooks: complete, valid, SMART, and exported cleanly."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from openpyxl import load_workbook

from tests.helpers import run_cli
from tui.model import rules
from tui.model.problems import FOUT
from tui.model.smart import smart_check
from tui.model.validate import validate
from tui.templates import get_template

EXAMPLES = ["mariniersmuseum", "de-schalm", "innovation-lab"]
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.timezone.utc)
STEPS = ["vraagstuk", "data", "actie", "implementatie"]


def load(name: str) -> dict:
    return tomllib.loads(get_template(name).path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_is_valid_and_has_no_warnings(name):
    data = load(name)
    assert [p for p in validate(data) if p.severity == FOUT] == []
    notices = rules.workbook_notices(data, NOW)
    assert [n for n in notices if n.severity != "hint"] == [], notices


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_record_of_an_example_has_its_id_so_the_first_save_adds_none(name):
    """A workbook made from an example changes only where the user edits it: the first save
    has no ids to add (they used to appear on measurements, purposes and processors)."""
    from tui.model.ids import missing_ids

    assert list(missing_ids(load(name))) == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_goes_through_all_four_steps(name):
    data = load(name)
    first = data["cyclus"][0]
    assert set(first["stappen_klaar"]) >= {"vraagstuk", "data", "actie"}
    assert first["vraagstuk"]["kernvraag"] and len(first["vraagstuk"]["waarom"]) >= 2
    assert all(first["vraagstuk"][k] for k in ("belangrijk", "meten", "afdelingen", "personen", "bereiken", "uitdagingen", "niet_willen"))
    assert first["vraagstuk"]["focus"]
    assert rules.experience_level(first["data"]["ervaring"]).key in ("startend", "lerend", "uitvoerend")
    sources = {s["id"] for s in data["databronnen"]}
    assert first["data"]["bronnen"] and set(first["data"]["bronnen"]) <= sources
    assert first["acties"] and all(a.get("evaluaties") for a in first["acties"])
    assert first["implementatie"]["beleid"] and first["implementatie"]["ethiek"]
    assert all(data["organisatiepunten"][k]["status"] for k in data["organisatiepunten"])
    assert all(data["avg"][k]["status"] for k in data["avg"])
    assert data["kennis"]["expertise"] and data["systemen"]
    # every personalised source is covered by a processing record with a purpose and a legal basis
    register = {r["id"]: r for r in data["verwerkingsregister"]}
    for source in data["databronnen"]:
        if source["anonimiteit"] == "gepersonaliseerd":
            record = register[source["verwerking"]]
            assert record["doelen"] and all(d["grondslag"] for d in record["doelen"])


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_action_passes_the_smart_check(name):
    for cycle in load(name)["cyclus"]:
        for action in cycle.get("acties", []):
            failing = [(x.letter, x.text) for x in smart_check(action) if not x.ok]
            assert failing == [], (action["id"], failing)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_says_which_figures_are_illustrative(name):
    text = get_template(name).path.read_text(encoding="utf-8")
    assert text.startswith("# Voorbeeldwerkboek")
    assert "illustratief" in text.split("schema = 1")[0]
    assert text.count("illustratie") >= 5


def test_mariniersmuseum_tells_the_guides_story():
    data = load("mariniersmuseum")
    assert len(data["cyclus"]) == 2 and data["cyclus"][1]["voortgezet_uit"] == 1
    actions = {a["id"]: a for a in data["cyclus"][0]["acties"]}
    online, physical = actions["online-gezinnen"], actions["bezoek-gezinnen"]
    # +400% online and +163% physical, on an index of 100
    assert online["evaluaties"][-1]["waarde"] / online["nulmeting"] - 1 == pytest.approx(4.00)
    assert physical["evaluaties"][-1]["waarde"] / physical["nulmeting"] - 1 == pytest.approx(1.63)
    assert "per wijk" in data["cyclus"][1]["vraagstuk"]["kernvraag"]
    cdm = next(r for r in data["verwerkingsregister"] if r["id"] == "segmentatie-cdm")
    assert {"postcode", "huisnummer"} <= set(cdm["persoonsgegevens"])


def test_de_schalm_tells_the_guides_story():
    data = load("de-schalm")
    assert data["organisatie"]["plaats"] == "Veldhoven"
    matinee = data["cyclus"][0]["acties"][0]
    assert "zondagmiddag" in matinee["titel"].lower() and "Lokale Vrijetijdsgenieters" in matinee["doelgroep"]
    assert "klantreis" in data["cyclus"][0]["data"]["notities"]
    assert data["cyclus"][0]["vraagstuk"]["focus"] == "programmeren"


def test_innovation_lab_tells_the_guides_story():
    data = load("innovation-lab")
    ab = data["cyclus"][0]["acties"][0]["ab"]
    assert (ab["groep_a"], ab["groep_b"]) == ("Bestaand publiek", "Nieuw publiek")
    assert ab["resultaat_a"] != ab["resultaat_b"] and ab["leerpunt"]
    assert "autonomie van de kunstenaar" in data["cyclus"][0]["implementatie"]["ethiek"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_from_the_cli_checks_and_exports(tmp_path, name):
    path = tmp_path / "werkboek.toml"
    assert run_cli("new", str(path), "--template", name).returncode == 0
    assert path.read_bytes() == get_template(name).path.read_bytes()
    r = run_cli("check", str(path))
    assert r.returncode == 0 and ": fout" not in r.stdout, r.stdout + r.stderr
    out = tmp_path / "uit.xlsx"
    r = run_cli("export", str(path), "-o", str(out))
    assert r.returncode == 0, r.stderr
    book = load_workbook(out)
    data = load(name)
    log = book["Evaluatielog"]
    entries = sum(len(a.get("evaluaties", [])) for c in data["cyclus"] for a in c.get("acties", []))
    rows = [row for row in log.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]
    assert len(rows) == entries
    register = book["Verwerkingsregister"]
    names = {row[1] for row in register.iter_rows(min_row=2, values_only=True) if row[1]}
    assert {r["naam"] for r in data["verwerkingsregister"]} <= names


def test_readme_pictures_exist_and_come_from_the_screenshot_script():
    import re

    from tests.helpers import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert len(pictures) == 5  # a picture per step and the overview
    script = (REPO / "docs" / "screenshots.py").read_text(encoding="utf-8")
    for picture in pictures:
        assert (REPO / picture).is_file(), picture
        assert f'"{picture.rsplit("/", 1)[1].removesuffix(".png")}"' in script, picture
