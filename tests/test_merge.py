"""Three-way merge of workbooks by meaning: fields, records by id, sets; conflicts recorded."""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import filled_workbook, new_workbook, run_cli
from tui import merge, storage
from tui.model.validate import validate
from tui.model.values import slug

HEAD = """# Werkboek voor de samenvoegproef
schema = 1
eigen_sleutel = "blijft" # een sleutel die de app niet kent

[organisatie]
# wie zijn wij
naam = "Theater De Proef"
plaats = "" # de plaats
website = ""

[[cyclus]]
nummer = 1
stappen_klaar = ["vraagstuk"]

[cyclus.vraagstuk]
kernvraag = ""
"""


def in_memory(text: str, name: str = "werkboek.toml") -> storage.Workbook:
    return storage.Workbook(Path(name), text, tomllib.loads(text), False, None)


def merged(base: str, ours: str, theirs: str, **kw) -> tuple[storage.Workbook, merge.MergeResult]:
    wb = in_memory(ours)
    result = merge.merge_into(wb, tomllib.loads(base), tomllib.loads(theirs), now=dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.timezone.utc), **kw)
    storage.verify(wb.render(), wb.data, wb.path)  # like any save: reads back as meant
    return wb, result


def edited(text: str, *edits) -> str:
    wb = in_memory(text)
    for fn in edits:
        fn(wb)
    return wb.render()


def base_text() -> str:
    wb = in_memory(HEAD)
    wb.append(("databronnen",), {"id": "ticketing", "naam": "Ticketverkoop", "eigenaar": ""})
    wb.append(("databronnen",), {"id": "web", "naam": "Website"})
    a = wb.append(("cyclus", 0, "acties"), {"id": "r1-a1", "titel": "Meer gezinnen", "bronnen": ["ticketing"]})
    wb.append(("cyclus", 0, "acties", a, "evaluaties"), {"id": "r1-a1-m1", "datum": dt.date(2024, 3, 1), "waarde": 10})
    return wb.render()


# ------------------------------------------------------------------------------------ by example


def test_edits_to_different_fields_and_records_combine():
    base = base_text()
    ours = edited(base, lambda w: w.set(("organisatie", "naam"), "Theater De Proef BV"),
                  lambda w: w.append(("databronnen",), {"id": "crm", "naam": "CRM"}),
                  lambda w: w.set(("cyclus", 0, "stappen_klaar"), ["vraagstuk", "data"]))
    theirs = edited(base, lambda w: w.set(("organisatie", "plaats"), "Breda"),
                    lambda w: w.append(("databronnen",), {"id": "nieuwsbrief", "naam": "Nieuwsbrief"}),
                    lambda w: w.set(("databronnen", 0, "eigenaar"), "Marketing"),
                    lambda w: w.set(("cyclus", 0, "stappen_klaar"), ["vraagstuk", "actie"]),
                    lambda w: w.append(("cyclus", 0, "acties", 0, "evaluaties"), {"id": "r1-a1-m2", "datum": dt.date(2024, 6, 1), "waarde": 14}))
    wb, result = merged(base, ours, theirs)
    assert result.conflicts == []
    d = wb.data
    assert d["organisatie"] == {"naam": "Theater De Proef BV", "plaats": "Breda", "website": ""}
    assert [b["id"] for b in d["databronnen"]] == ["ticketing", "web", "crm", "nieuwsbrief"]
    assert d["databronnen"][0]["eigenaar"] == "Marketing"
    assert d["cyclus"][0]["stappen_klaar"] == ["vraagstuk", "data", "actie"]  # a set: both additions
    assert [m["waarde"] for m in d["cyclus"][0]["acties"][0]["evaluaties"]] == [10, 14]
    assert "databronnen[id=\"nieuwsbrief\"] nieuw" in result.summary()


def test_comments_key_order_and_unknown_keys_of_ours_survive():
    base = base_text()
    ours = base.replace("# wie zijn wij", "# wie zijn wij (aangevuld door ons)") + "\n# onze eigen slotnotitie\n"
    theirs = edited(base, lambda w: w.set(("organisatie", "plaats"), "Breda"))
    wb, result = merged(base, ours, theirs)
    text = wb.render()
    assert "# wie zijn wij (aangevuld door ons)" in text and "# onze eigen slotnotitie" in text
    assert 'eigen_sleutel = "blijft" # een sleutel die de app niet kent' in text
    assert 'plaats = "Breda" # de plaats' in text
    changed = [l for l in difflib.unified_diff(ours.splitlines(), text.splitlines(), lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]
    assert changed == ['-plaats = "" # de plaats', '+plaats = "Breda" # de plaats']


def test_the_same_field_changed_both_ways_is_a_conflict_that_keeps_ours_and_is_recorded():
    base = base_text()
    ours = edited(base, lambda w: w.set(("organisatie", "naam"), "Ons Theater"))
    theirs = edited(base, lambda w: w.set(("organisatie", "naam"), "Hun Theater"), lambda w: w.set(("organisatie", "plaats"), "Breda"))
    wb, result = merged(base, ours, theirs, ours_label="main", theirs_label="feature")
    assert [(c.pad, c.ours, c.theirs, c.base) for c in result.conflicts] == [("organisatie.naam", "Ons Theater", "Hun Theater", "Theater De Proef")]
    assert wb.data["organisatie"]["naam"] == "Ons Theater"
    assert wb.data["organisatie"]["plaats"] == "Breda"
    rec = wb.data["conflicten"][0]
    assert rec == {"id": "conflict-1", "pad": "organisatie.naam", "ons": "Ons Theater", "hun": "Hun Theater", "basis": "Theater De Proef",
                   "ons_van": "main", "hun_van": "feature", "wanneer": dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.timezone.utc)}
    problems = [p for p in validate(wb.data, wb.render()) if "samenvoegconflict" in p.message]
    assert len(problems) == 1 and "organisatie.naam" in problems[0].message and problems[0].line is not None


def test_the_same_change_on_both_sides_is_no_conflict():
    base = base_text()
    both = edited(base, lambda w: w.set(("organisatie", "naam"), "Zelfde"))
    wb, result = merged(base, both, both)
    assert result.conflicts == [] and wb.data["organisatie"]["naam"] == "Zelfde"


def test_a_record_deleted_on_one_side_and_edited_on_the_other_is_a_conflict():
    base = base_text()
    ours = edited(base, lambda w: w.delete(("databronnen", 1)))
    theirs = edited(base, lambda w: w.set(("databronnen", 1, "eigenaar"), "Online"))
    wb, result = merged(base, ours, theirs)
    assert [(c.pad, c.ours) for c in result.conflicts] == [('databronnen[id="web"]', merge.MISSING)]
    assert [b["id"] for b in wb.data["databronnen"]] == ["ticketing"]
    assert "ons" not in wb.data["conflicten"][0] and wb.data["conflicten"][0]["hun"]["eigenaar"] == "Online"
    merge.resolve(wb, 0, "hun")
    assert [b["id"] for b in wb.data["databronnen"]] == ["ticketing", "web"] and "conflicten" not in wb.data
    storage.verify(wb.render(), wb.data, wb.path)


def test_a_record_deleted_on_one_side_and_untouched_on_the_other_is_deleted():
    base = base_text()
    ours = edited(base, lambda w: w.set(("organisatie", "plaats"), "Breda"))
    theirs = edited(base, lambda w: w.delete(("cyclus", 0, "acties", 0, "evaluaties", 0)))
    wb, result = merged(base, ours, theirs)
    assert result.conflicts == []
    assert "evaluaties" not in wb.data["cyclus"][0]["acties"][0]
    assert tomllib.loads(wb.render()) == wb.data


def test_an_ordered_list_changed_both_ways_is_a_conflict():
    base = edited(base_text(), lambda w: w.set(("cyclus", 0, "vraagstuk", "waarom"), ["a"]))
    ours = edited(base, lambda w: w.set(("cyclus", 0, "vraagstuk", "waarom"), ["a", "b"]))
    theirs = edited(base, lambda w: w.set(("cyclus", 0, "vraagstuk", "waarom"), ["a", "c"]))
    wb, result = merged(base, ours, theirs)
    assert [c.pad for c in result.conflicts] == ["cyclus[nummer=1].vraagstuk.waarom"]
    assert wb.data["cyclus"][0]["vraagstuk"]["waarom"] == ["a", "b"]


def test_choosing_theirs_sets_the_value_and_removes_the_record():
    base = base_text()
    ours = edited(base, lambda w: w.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "waarde"), 11))
    theirs = edited(base, lambda w: w.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "waarde"), 12))
    wb, result = merged(base, ours, theirs)
    assert result.conflicts[0].pad == 'cyclus[nummer=1].acties[id="r1-a1"].evaluaties[id="r1-a1-m1"].waarde'
    merge.resolve(wb, 0, "hun")
    assert wb.data["cyclus"][0]["acties"][0]["evaluaties"][0]["waarde"] == 12
    assert "conflicten" not in wb.data
    assert tomllib.loads(wb.render()) == wb.data


@pytest.mark.parametrize("path", [
    ("organisatie", "naam"),
    ("databronnen", ("id", "web"), "eigenaar"),
    ("cyclus", ("nummer", 1), "acties", ("id", 'r1 "a".1]'), "titel"),
    ("vreemd sleutel", ("id", "x")),
])
def test_key_paths_read_back(path):
    assert merge.parse_key_path(merge.format_key_path(path)) == path


def test_records_without_ids_match_the_ids_a_save_gives_them(tmp_path):
    """An old file (no ids on systems, measurements, purposes): one side saved with the new app
    (ids assigned), the other edited by hand; their records still match."""
    path = tmp_path / "oud.toml"
    wb = filled_workbook(tmp_path)
    text = wb.render()
    path.write_text(text, encoding="utf-8")
    old = storage.load(path)
    assert old.data["systemen"][0].get("id") is None
    old.set(("systemen", 0, "leverancier"), "Leverancier BV")
    storage.save(old)
    ours = path.read_text(encoding="utf-8")
    assert 'id = "ticketingsysteem"' in ours
    theirs = edited(text, lambda w: w.set(("systemen", 0, "inhoud"), "Alle kaartverkopen"))
    merged_wb, result = merged(text, ours, theirs)
    assert result.conflicts == []
    assert merged_wb.data["systemen"] == [{"naam": "Ticketingsysteem", "leverancier": "Leverancier BV", "id": "ticketingsysteem", "inhoud": "Alle kaartverkopen"}]


def test_an_old_file_gets_ids_on_its_first_save_and_nothing_else_changes(tmp_path):
    wb = filled_workbook(tmp_path)
    storage.save(wb)
    path = wb.path
    text = path.read_text(encoding="utf-8")
    old_text = "\n".join(l for l in text.splitlines() if not (l.startswith("id = ") and any(s in l for s in ("ticketingsysteem", "-20", "-kaartverkoop", "-ticketleverancier", "-nieuwsbrief-", "-analyse-")))) + "\n"
    path.write_text(old_text, encoding="utf-8")
    wb = storage.load(path)
    assert "id" not in wb.data["systemen"][0]
    wb.set(("organisatie", "plaats"), "Breda")
    storage.save(wb)
    new_text = path.read_text(encoding="utf-8")
    diff = [l for l in difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]
    assert [l for l in diff if not l.startswith("+id = ")] == ['-plaats = ""', '+plaats = "Breda"']
    ids = [l for l in diff if l.startswith("+id = ")]
    assert '+id = "ticketingsysteem"' in ids and '+id = "r1-a1-2024-03-01"' in ids and '+id = "tickets-kaartverkoop"' in ids
    assert [p for p in validate(storage.load(path).data) if p.severity == "fout"] == []
    # A second save gives no new ids.
    wb = storage.load(path)
    assert storage.assign_ids(wb) == 0


def test_ids_given_to_nested_records_differ_from_their_parents_and_keep_their_own_words(tmp_path):
    """A long parent id is shortened, not the record's own name: a processor of 'Verkoop van
    toegangskaarten' does not get the register record's own id again."""
    path = new_workbook(tmp_path, template="mariniersmuseum")
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(l for l in text.splitlines() if not l.startswith("id = ")) + "\n", encoding="utf-8")
    wb = storage.load(path)
    storage.assign_ids(wb)
    seen: dict[str, tuple] = {}

    def walk(node, where=()):
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                assert node["id"] not in seen, f"{node['id']!r} at {where} and {seen.get(node['id'])}"
                seen[node["id"]] = where
            for k, v in node.items():
                walk(v, where + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, where + (i,))

    walk(wb.data)
    register = wb.data["verwerkingsregister"]
    for record in register:
        for child in record.get("verwerkers", []) + record.get("doelen", []):
            assert child["id"] != record["id"] and child["id"].startswith(record["id"].split("-")[0])
    processor = next(v for r in register for v in r.get("verwerkers", []) if v.get("naam"))
    assert processor["id"].endswith(slug(processor["naam"]))


def test_an_unreadable_side_leaves_ours_untouched(tmp_path):
    base = tmp_path / "base.toml"
    ours = tmp_path / "ours.toml"
    theirs = tmp_path / "theirs.toml"
    base.write_text(base_text(), encoding="utf-8")
    ours.write_text(edited(base_text(), lambda w: w.set(("organisatie", "naam"), "X")), encoding="utf-8")
    theirs.write_text("[organisatie\nnaam = 1\n", encoding="utf-8")
    before = ours.read_bytes()
    with pytest.raises(merge.MergeInputError) as err:
        merge.merge_files(base, ours, theirs)
    assert err.value.side == "hun"
    assert ours.read_bytes() == before
    r = run_cli("merge", str(base), str(ours), str(theirs), "werkboek.toml")
    assert r.returncode == 2, r.stderr
    assert "theirs.toml:1" in r.stderr and "niets samengevoegd" in r.stderr
    assert ours.read_bytes() == before


# ------------------------------------------------------------------------------------ properties

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
VALUES = {
    "naam": TEXT, "plaats": TEXT, "website": TEXT, "eigenaar": TEXT, "titel": TEXT,
    "streefwaarde": st.one_of(st.integers(-1000, 10**6), st.floats(-1e6, 1e6, allow_nan=False)),
    "deadline": st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    "waarde": st.integers(0, 10**6), "conclusie": TEXT, "leverancier": TEXT,
}
FIELDS = {
    "organisatie": ["naam", "plaats", "website"],
    "bron": ["naam", "eigenaar"],
    "actie": ["titel", "streefwaarde", "deadline"],
    "evaluatie": ["waarde", "conclusie"],
    "systeem": ["leverancier"],
}
STEPS = ["data", "actie", "implementatie"]


def random_base(draw) -> str:
    wb = in_memory(HEAD)
    for i in range(draw(st.integers(0, 3))):
        wb.append(("databronnen",), {"id": f"b{i}", "naam": f"Bron {i}"})
    for i in range(draw(st.integers(0, 2))):
        wb.append(("systemen",), {"id": f"s{i}", "naam": f"Systeem {i}"})
    for i in range(draw(st.integers(1, 3))):
        a = wb.append(("cyclus", 0, "acties"), {"id": f"a{i}", "titel": f"Actie {i}"})
        for j in range(draw(st.integers(0, 2))):
            wb.append(("cyclus", 0, "acties", a, "evaluaties"), {"id": f"a{i}-m{j}", "datum": dt.date(2024, 1 + j, 1), "waarde": j})
    return wb.render()


def _index(records: list, rid: str) -> int:
    return next(i for i, r in enumerate(records) if r.get("id") == rid)


def _where(wb: storage.Workbook, target: tuple) -> tuple:
    """A test's own locator: ('organisatie',), ('bron', id), ('actie', id), ('evaluatie', actie, id), ('systeem', id)."""
    kind = target[0]
    if kind == "organisatie":
        return ("organisatie",)
    if kind == "bron":
        return ("databronnen", _index(wb.data["databronnen"], target[1]))
    if kind == "systeem":
        return ("systemen", _index(wb.data["systemen"], target[1]))
    acties = ("cyclus", 0, "acties")
    a = _index(wb.get(acties), target[1])
    if kind == "actie":
        return acties + (a,)
    return acties + (a, "evaluaties", _index(wb.get(acties + (a, "evaluaties")), target[2]))


def apply(wb: storage.Workbook, edits: list) -> None:
    for op, *args in edits:
        if op == "set":
            target, key, value = args
            wb.set(_where(wb, target) + (key,), value)
        elif op == "del":
            wb.delete(_where(wb, args[0]))
        elif op == "add":
            where, record = args
            path = ("databronnen",) if where == ("bron",) else ("systemen",) if where == ("systeem",) else _where(wb, where) + ("evaluaties",)
            if wb.get(path) is None:
                wb.set(path, [record])
            else:
                wb.append(path, record)
        elif op == "step":
            steps = wb.get(("cyclus", 0, "stappen_klaar"))
            if args[0] not in steps:
                wb.set(("cyclus", 0, "stappen_klaar"), steps + [args[0]])


def targets(data: dict) -> list[tuple]:
    out = [("organisatie",)]
    out += [("bron", b["id"]) for b in data.get("databronnen", [])]
    out += [("systeem", s["id"]) for s in data.get("systemen", [])]
    for a in data["cyclus"][0].get("acties", []):
        out.append(("actie", a["id"]))
        out += [("evaluatie", a["id"], m["id"]) for m in a.get("evaluaties", [])]
    return out


@st.composite
def disjoint_edits(draw):
    """A random workbook and two sets of edits that never touch the same field or record."""
    base = random_base(draw)
    data = tomllib.loads(base)
    sides: dict[str, list] = {"o": [], "t": []}
    deleted_by: dict[tuple, str] = {}
    for target in targets(data):
        if target[0] == "evaluatie" and ("actie", target[1]) in deleted_by:
            continue  # its action is gone on one side: the other may not touch it
        if target[0] != "organisatie":
            who = draw(st.sampled_from(["", "", "", "o", "t"]))
            if who:
                deleted_by[target] = who
                sides[who].append(("del", target))
                continue
        for key in FIELDS[target[0]]:
            who = draw(st.sampled_from(["", "o", "t"]))
            if who:
                sides[who].append(("set", target, key, draw(VALUES[key])))
        if target[0] == "actie":
            who = draw(st.sampled_from(["", "o", "t"]))
            if who:
                sides[who].append(("add", target, {"id": f"{who}-{target[1]}-m", "datum": dt.date(2025, 1, 1), "waarde": 1}))
    for who in ("o", "t"):
        for n in range(draw(st.integers(0, 2))):
            sides[who].append(("add", ("bron",), {"id": f"{who}-b{n}", "naam": draw(TEXT) or "x"}))
        if draw(st.booleans()):
            sides[who].append(("add", ("systeem",), {"id": f"{who}-s", "naam": "Nieuw"}))
        for step in draw(st.lists(st.sampled_from(STEPS), max_size=2)):
            sides[who].append(("step", step))
    order = draw(st.permutations(range(len(sides["o"]))))
    sides["o"] = [sides["o"][i] for i in order]
    return base, sides["o"], sides["t"]


def normal(value):
    """Data compared by meaning: an empty list and a missing key are the same."""
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [normal(v) for v in value]
    return value


@given(disjoint_edits())
@settings(max_examples=40)
def test_edits_on_different_fields_merge_to_both_edit_sets_applied(case):
    base, ours_edits, theirs_edits = case
    ours = edited(base, lambda w: apply(w, ours_edits))
    theirs = edited(base, lambda w: apply(w, theirs_edits))
    expected = in_memory(base)
    apply(expected, ours_edits)
    apply(expected, theirs_edits)
    wb, result = merged(base, ours, theirs)
    assert result.conflicts == []
    assert normal(wb.data) == normal(expected.data)
    assert tomllib.loads(wb.render()) == wb.data


@st.composite
def any_edits(draw):
    """Two sides that may touch the same fields and records."""
    base = random_base(draw)
    data = tomllib.loads(base)
    sides: dict[str, list] = {"o": [], "t": []}
    all_targets = targets(data)
    for who in ("o", "t"):
        for target in draw(st.lists(st.sampled_from(all_targets), max_size=4, unique=True)):
            if target[0] != "organisatie" and draw(st.integers(0, 4)) == 0:
                sides[who].append(("del", target))
                continue
            key = draw(st.sampled_from(FIELDS[target[0]]))
            sides[who].append(("set", target, key, draw(VALUES[key])))
        if draw(st.booleans()):
            sides[who].append(("add", ("bron",), {"id": f"{who}-b", "naam": "Nieuw"}))
        for step in draw(st.lists(st.sampled_from(STEPS), max_size=2)):
            sides[who].append(("step", step))
    return base, sides["o"], sides["t"]


def apply_safely(wb, edits):
    """Skip edits whose record an earlier edit of the same side deleted."""
    for e in edits:
        try:
            apply(wb, [e])
        except (StopIteration, KeyError, TypeError):
            pass


def comparable(data: dict, conflicts: list) -> dict:
    """The data with every conflicting value taken out, records in key order, sets sorted."""
    import copy

    data = copy.deepcopy(data)
    data.pop("conflicten", None)
    for c in conflicts:
        where = merge.locate(data, c.path)
        if where is not None:
            node = data
            for p in where[:-1]:
                node = node[p]
            del node[where[-1]]

    def norm(v, key=""):
        if isinstance(v, dict):
            return {k: norm(x, k) for k, x in v.items() if x != []}
        if isinstance(v, list) and all(isinstance(x, dict) for x in v):
            return sorted((norm(x) for x in v), key=lambda r: str(r.get("id", r.get("nummer"))))
        if isinstance(v, list) and key == "stappen_klaar":
            return sorted(v)
        return v

    return norm(data)


@given(any_edits())
@settings(max_examples=40)
def test_merge_is_symmetric_up_to_conflicts_and_always_reads_back(case):
    base, ours_edits, theirs_edits = case
    ours = edited(base, lambda w: apply_safely(w, ours_edits))
    theirs = edited(base, lambda w: apply_safely(w, theirs_edits))
    one, r1 = merged(base, ours, theirs)
    other, r2 = merged(base, theirs, ours)
    assert tomllib.loads(one.render()) == one.data and tomllib.loads(other.render()) == other.data
    assert sorted(c.pad for c in r1.conflicts) == sorted(c.pad for c in r2.conflicts)
    swapped = {(c.pad, repr(c.theirs), repr(c.ours)) for c in r2.conflicts}
    assert {(c.pad, repr(c.ours), repr(c.theirs)) for c in r1.conflicts} == swapped
    assert comparable(one.data, r1.conflicts + r2.conflicts) == comparable(other.data, r1.conflicts + r2.conflicts)
    assert len(one.data.get("conflicten", [])) == len(r1.conflicts)


@given(any_edits())
@settings(max_examples=25)
def test_merging_with_an_unchanged_side_gives_the_other_side_byte_identical(tmp_path_factory, case):
    base, ours_edits, _ = case
    changed = edited(base, lambda w: apply_safely(w, ours_edits))
    # In memory: nothing to take from an unchanged side (even written differently), nothing changes.
    same_data_other_text = base.replace("# wie zijn wij\n", "")
    wb, result = merged(base, changed, same_data_other_text)
    assert wb.render() == changed and result.conflicts == [] and not result.changed
    # As files (what git does), either way round.
    folder = tmp_path_factory.mktemp("m")
    for ours_text, theirs_text in ((changed, base), (base, changed)):
        b, o, t = folder / "b.toml", folder / "o.toml", folder / "t.toml"
        b.write_text(base, encoding="utf-8")
        o.write_text(ours_text, encoding="utf-8")
        t.write_text(theirs_text, encoding="utf-8")
        result = merge.merge_files(b, o, t)
        assert result.conflicts == []
        assert o.read_bytes() == changed.encode("utf-8")


# ------------------------------------------------------------------------------------ live


def _two_sessions(tmp_path):
    path = tmp_path / "werkboek.toml"
    path.write_text(base_text(), encoding="utf-8")
    return path, storage.load(path), storage.load(path)


def test_live_merge_takes_in_what_another_session_saved_and_keeps_our_unsaved_edits(tmp_path):
    path, here, there = _two_sessions(tmp_path)
    there.set(("organisatie", "plaats"), "Breda")
    there.append(("databronnen",), {"id": "crm", "naam": "CRM"})
    storage.save(there)
    path.write_text(path.read_text(encoding="utf-8") + "# een notitie uit de teksteditor\n", encoding="utf-8")
    here.set(("organisatie", "naam"), "Theater De Proef BV")
    here.append(("cyclus", 0, "acties", 0, "evaluaties"), {"id": "r1-a1-m2", "datum": dt.date(2024, 6, 1), "waarde": 12})
    with pytest.raises(storage.SaveConflict):
        storage.save(here)  # a plain save refuses: the file changed
    live = merge.live_merge(here)
    assert live is not None and live.conflicts == []
    assert [c.format() for c in live.incoming] == ["organisatie.plaats gewijzigd", 'databronnen[id="crm"] nieuw']
    assert "Organisatie · Plaats gewijzigd" in live.summary() and "Databron ‘CRM’ nieuw" in live.summary()
    assert live.workbook.dirty
    storage.save(live.workbook)  # merged: the save goes through
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["organisatie"] == {"naam": "Theater De Proef BV", "plaats": "Breda", "website": ""}
    assert [b["id"] for b in data["databronnen"]] == ["ticketing", "web", "crm"]
    assert [m["waarde"] for m in data["cyclus"][0]["acties"][0]["evaluaties"]] == [10, 12]
    assert "# een notitie uit de teksteditor" in text
    assert merge.live_merge(live.workbook) is None  # nothing new on disk since


def test_live_merge_with_the_same_field_changed_keeps_ours_and_reports_the_conflict(tmp_path):
    path, here, there = _two_sessions(tmp_path)
    there.set(("organisatie", "naam"), "Van de andere sessie")
    storage.save(there)
    here.set(("organisatie", "naam"), "Van deze sessie")
    live = merge.live_merge(here)
    assert [(c.pad, c.ours, c.theirs) for c in live.conflicts] == [("organisatie.naam", "Van deze sessie", "Van de andere sessie")]
    assert live.workbook.data["organisatie"]["naam"] == "Van deze sessie"
    assert "conflicten" not in live.workbook.data  # asked in the app, not written down
    merge.choose(live.workbook, live.conflicts[0], "hun")
    assert live.workbook.data["organisatie"]["naam"] == "Van de andere sessie"


def test_live_merge_when_a_record_we_edit_was_deleted_on_disk(tmp_path):
    path, here, there = _two_sessions(tmp_path)
    there.delete(("databronnen", 1))
    storage.save(there)
    here.set(("databronnen", 1, "eigenaar"), "Online")
    live = merge.live_merge(here)
    assert [(c.pad, c.theirs) for c in live.conflicts] == [('databronnen[id="web"]', merge.MISSING)]
    assert [b["id"] for b in live.workbook.data["databronnen"]] == ["ticketing", "web"]  # ours stays
    merge.choose(live.workbook, live.conflicts[0], "hun")
    assert [b["id"] for b in live.workbook.data["databronnen"]] == ["ticketing"]
    storage.save(live.workbook)
    assert [b["id"] for b in tomllib.loads(path.read_text(encoding="utf-8"))["databronnen"]] == ["ticketing"]


def test_live_merge_without_a_change_on_disk_or_with_an_unreadable_file(tmp_path):
    path, here, _ = _two_sessions(tmp_path)
    here.set(("organisatie", "naam"), "X")
    assert merge.live_merge(here) is None
    path.touch()
    assert merge.live_merge(here) is None  # touched, same content
    path.write_text("[organisatie\n", encoding="utf-8")
    with pytest.raises(storage.WorkbookError):
        merge.live_merge(here)
    assert here.data["organisatie"]["naam"] == "X" and here.dirty


@given(disjoint_edits())
@settings(max_examples=20)
def test_live_merge_of_edits_on_different_fields_gives_both_edit_sets(case):
    base, ours_edits, theirs_edits = case
    here = in_memory(base)
    apply(here, ours_edits)
    on_disk = edited(base, lambda w: apply(w, theirs_edits))
    expected = in_memory(base)
    apply(expected, ours_edits)
    apply(expected, theirs_edits)
    live = merge.live_merge_text(here, on_disk, tomllib.loads(on_disk))
    assert live.conflicts == []
    assert normal(live.workbook.data) == normal(normal_order(expected.data, live.workbook.data))
    assert tomllib.loads(live.workbook.render()) == live.workbook.data


def normal_order(expected: dict, got: dict) -> dict:
    """Records the disk added come before the ones this session added: same records, other order."""
    import copy

    expected = copy.deepcopy(expected)

    def walk(e, g):
        if isinstance(e, dict) and isinstance(g, dict):
            for k in e:
                if k in g:
                    e[k] = walk(e[k], g[k])
        elif isinstance(e, list) and isinstance(g, list) and all(isinstance(x, dict) for x in e + g):
            order = {r.get("id", r.get("nummer")): i for i, r in enumerate(g)}
            e = sorted(e, key=lambda r: order.get(r.get("id", r.get("nummer")), len(order)))
            e = [walk(x, next((y for y in g if y.get("id", y.get("nummer")) == x.get("id", x.get("nummer"))), x)) for x in e]
        elif isinstance(e, list) and isinstance(g, list) and sorted(map(str, e)) == sorted(map(str, g)):
            e = list(g)  # a set: the same items
        return e

    return walk(expected, got)


def test_long_texts_in_a_conflict_are_shown_from_where_they_differ():
    same = "Wij willen weten wie onze bezoekers zijn en waarom zij terugkomen. " * 6
    ours, theirs = merge.show_pair(same + "Vooral jongeren.", same + "Vooral gezinnen.", limit=120)
    assert len(ours) <= 120 and len(theirs) <= 120
    assert ours.startswith("…") and ours.endswith("Vooral jongeren.") and theirs.endswith("Vooral gezinnen.")
    assert merge.show_pair("kort", "ook kort") == ("kort", "ook kort")


def test_check_shows_two_long_conflicting_texts_from_where_they_differ():
    from tui.model.validate import validate

    same = "Een theater zijn voor heel Veldhoven en omgeving, met "
    data = {"schema": 1, "conflicten": [{"id": "conflict-1", "pad": "organisatie.naam", "ons": same + "jongeren voorop", "hun": same + "gezinnen voorop",
                                          "ons_van": "anna op vm", "hun_van": "bram op vm"}]}
    [problem] = [p for p in validate(data) if "samenvoegconflict" in p.message]
    assert "jongeren" in problem.message and "gezinnen" in problem.message
    assert "van anna op vm" in problem.message and "van bram op vm" in problem.message
