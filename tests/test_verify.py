"""Section-wise read-back must agree with a whole-file tomllib parse, or give up."""

from __future__ import annotations

import tomllib

import pytest
import tomlkit
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import REPO
from tui.verify import SectionParser


def _agrees(text: str) -> None:
    got = SectionParser().assemble(text)
    try:
        want = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert got is None, "an invalid document must never pass"
        return
    assert got is None or got == want


TRICKY = [
    'a = """\n[x]\nb = 1\n"""\n[y]\nc = 2\n',  # header-like line inside a multi-line string
    "a = '''\n[[x]]\n'''\n",
    'a = [\n  [1, 2],\n  [3],\n]\n[b]\nc = 1\n',  # array lines that start with [
    "[a]\nx = 1\n[a]\ny = 2\n",  # table declared twice: invalid
    "[a.b]\nx = 1\n[a]\ny = 2\n",  # implicit then explicit: valid
    "[a.b]\nx = 1\n[a]\nb = 2\n",  # clash: invalid
    "[a]\nb.c = 1\n[a.b.d]\ne = 2\n",  # extends a dotted-key table
    "[a]\nb = {c = 1}\n[a.b.d]\ne = 2\n",  # extends an inline table: invalid
    "a = [{x = 1}]\n[[a]]\nx = 2\n",  # appends to a static array: invalid
    "[[a]]\nx = 1\n[a]\ny = 2\n",  # table over an array of tables: invalid
    '[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2\n',
    '["a.b"]\nc = 1\n[ "a.b" . d ]\ne = 2\n',
    "  [indented]\n  x = 1\n",
    "x = 1\n[t] # comment\ny = 2\n[[t.u]]\n[[t.u]]\nz = 3\n",
    '[a]\nx = "[not a header]"\n',
    "[a\n",
    "a = 1\n[a]\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents(text):
    _agrees(text)


def test_the_blank_template_is_assembled_exactly():
    text = (REPO / "workbook_templates" / "leeg.toml").read_text(encoding="utf-8")
    assert SectionParser().assemble(text) == tomllib.loads(text)


keys = st.sampled_from(["a", "b", "c", "x.y", "naam", "cyclus"])
scalars = st.one_of(st.integers(-5, 5), st.text(max_size=8), st.booleans())
tables = st.recursive(
    st.dictionaries(keys, scalars, max_size=3),
    lambda inner: st.dictionaries(keys, st.one_of(scalars, inner, st.lists(inner, min_size=1, max_size=3)), max_size=4),
    max_leaves=12,
)


@given(tables)
def test_rendered_structures(data):
    _agrees(tomlkit.dumps(data))


LINES = ["[a]", "[[a]]", "[a.b]", "[[a.b]]", "[b]", "x = 1", "y = 2", "b = 3", 'z = """', '"""', "a.b = 4", "c = [", "]", "[[c]]"]


@given(st.lists(st.sampled_from(LINES), max_size=12))
def test_random_line_soups_never_pass_when_invalid(lines):
    _agrees("\n".join(lines) + "\n")


def test_reuses_parses_between_calls():
    sp = SectionParser()
    base = "x = 1\n" + "".join(f"[[e]]\nn = {i}\n" for i in range(50))
    assert sp.assemble(base) == tomllib.loads(base)
    edited = base.replace("n = 7\n", "n = 70\n")
    calls = []
    real = tomllib.loads
    try:
        tomllib.loads = lambda s: calls.append(s) or real(s)
        assert sp.assemble(edited) == real(edited)
    finally:
        tomllib.loads = real
    assert calls == ["[[e]]\nn = 70\n"]


@pytest.mark.parametrize("text", TRICKY)
def test_chunks_given_are_used_only_when_they_are_the_text_cut_at_its_headers(text):
    """A caller may hand over the text already cut at its header lines; a wrong cut (inside a
    line, missing a header, not the text) is never trusted: the text is cut again."""
    from tui.sections import split

    right = split(text)
    wrong = [
        [text],  # not cut where headers are
        [text[:3], text[3:]],  # cut inside a line
        right[:-1] + [right[-1] + "[extra]\nq = 1\n"],  # not the text
    ]
    for chunks in [right, *wrong]:
        got = SectionParser().assemble(text, chunks)
        try:
            want = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            assert got is None
            continue
        assert got is None or got == want


def test_the_same_text_is_not_assembled_twice():
    sp = SectionParser()
    text = "[a]\nx = 1\n[[b]]\ny = 2\n"
    first = sp.assemble(text)
    assert sp.assemble(text) is first  # the very same text: remembered
    assert sp.assemble(text.replace("1", "3")) == {"a": {"x": 3}, "b": [{"y": 2}]}


@pytest.mark.parametrize("text", TRICKY)
def test_reading_back_one_section_at_a_time_agrees_with_tomllib(text):
    from tui.sections import split
    from tui.verify import reads_back_as

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert not reads_back_as(split(text), text, {})  # an invalid text never passes
        return
    assert reads_back_as(split(text), text, data) in (True, None)


def test_reading_back_one_section_at_a_time_finds_every_difference():
    from tui.sections import split
    from tui.verify import reads_back_as

    text = 'schema = 1\n[a]\nx = 1\n[[b]]\ny = "één"\n[b.c]\nz = [1, 2]\n[[b]]\ny = "twee"\n'
    data = tomllib.loads(text)
    assert reads_back_as(split(text), text, data) is True
    changes = [
        lambda d: d["a"].__setitem__("x", 2),  # a value
        lambda d: d["a"].__setitem__("extra", 1),  # a key the text lacks
        lambda d: d.__setitem__("nieuw", {"t": 1}),  # a table the text lacks
        lambda d: d["b"].append({"y": "drie"}),  # a record the text lacks
        lambda d: d["b"].pop(),  # a record the text has more
        lambda d: d["b"][0]["c"].__setitem__("z", [1, 3]),  # in a sub-table
        lambda d: d["b"][0].pop("c"),  # a sub-table the text has more
        lambda d: d.pop("schema"),  # a top-level value
    ]
    for change in changes:
        other = tomllib.loads(text)
        change(other)
        assert reads_back_as(split(text), text, other) is False, change
