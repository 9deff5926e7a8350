"""Workbooks in real git repositories: the merge driver, git-setup, and resolving in the app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.helpers import new_workbook, run_cli, started
from tui import storage

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_MERGE_AUTOEDIT": "no"}
    r = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {r.stdout}\n{r.stderr}")
    return r


def read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def edit(path: Path, *edits) -> None:
    wb = storage.load(path)
    for fn in edits:
        fn(wb)
    storage.save(wb)


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "team"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    path = new_workbook(root)
    edit(path, lambda w: w.set(("organisatie", "naam"), "Theater De Proef"),
         lambda w: w.append(("databronnen",), {"id": "ticketing", "naam": "Ticketverkoop"}))
    r = run_cli("git-setup", cwd=root)
    assert r.returncode == 0, r.stderr
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "werkboek")
    return root


def branch(repo: Path, name: str, *edits, start: str = "main") -> None:
    git(repo, "checkout", "-q", "-b", name, start)
    edit(repo / "werkboek.toml", *edits)
    git(repo, "commit", "-q", "-am", name)


def test_git_setup_registers_the_driver_marks_the_workbook_and_is_idempotent(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    r = run_cli("git-setup", cwd=root)
    assert r.returncode == 0, r.stderr
    assert "merge.publieksdata" in r.stdout and ".gitattributes: werkboek.toml merge=publieksdata" in r.stdout
    driver = git(root, "config", "--local", "--get", "merge.publieksdata.driver").stdout.strip()
    assert driver == f"{sys.executable} -m tui merge %O %A %B %P"
    assert Path(driver.split()[0]).is_absolute()
    assert "werkboek.toml merge=publieksdata" in (root / ".gitattributes").read_text().splitlines()
    ignore = (root / ".gitignore").read_text().splitlines()
    assert ".*.open.*" in ignore and ".*.toml.lock" in ignore
    assert git(root, "check-attr", "merge", "werkboek.toml").stdout.strip() == "werkboek.toml: merge: publieksdata"
    # The in-use marker and the lock file beside a workbook stay out of git.
    (root / ".werkboek.toml.open.host.123").write_text("x")
    (root / ".werkboek.toml.lock").write_text("")
    assert git(root, "status", "--porcelain", "--untracked-files=all").stdout.split() == ["??", ".gitattributes", "??", ".gitignore"]
    # Again: nothing changes, and it says so.
    before = [(root / f).read_bytes() for f in (".gitattributes", ".gitignore", ".git/config")]
    again = run_cli("git-setup", cwd=root)
    assert again.returncode == 0 and "niets veranderd" in again.stdout
    assert [(root / f).read_bytes() for f in (".gitattributes", ".gitignore", ".git/config")] == before
    # Another workbook in a subfolder is added to the same .gitattributes.
    (root / "sub").mkdir()
    more = run_cli("git-setup", "sub/ander.toml", cwd=root)
    assert ".gitattributes: sub/ander.toml merge=publieksdata" in more.stdout


def test_git_setup_outside_a_repository_says_so(tmp_path):
    r = run_cli("git-setup", cwd=tmp_path, env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert r.returncode == 1 and "geen git-werkmap" in r.stderr


def test_two_branches_that_each_add_a_source_and_change_different_fields_merge_cleanly(repo):
    branch(repo, "marketing", lambda w: w.append(("databronnen",), {"id": "nieuwsbrief", "naam": "Nieuwsbrief"}),
           lambda w: w.set(("organisatie", "plaats"), "Breda"))
    branch(repo, "privacy", lambda w: w.append(("databronnen",), {"id": "crm", "naam": "Klantenbestand"}),
           lambda w: w.set(("databronnen", 0, "eigenaar"), "Privacy officer"),
           lambda w: w.set(("cyclus", 0, "stappen_klaar"), ["vraagstuk"]))
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "marketing")  # fast-forward
    merged = git(repo, "merge", "--no-edit", "privacy", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    data = read(repo / "werkboek.toml")
    assert [b["id"] for b in data["databronnen"]] == ["ticketing", "nieuwsbrief", "crm"]
    assert data["organisatie"]["plaats"] == "Breda" and data["databronnen"][0]["eigenaar"] == "Privacy officer"
    assert data["cyclus"][0]["stappen_klaar"] == ["vraagstuk"]
    assert run_cli("check", "werkboek.toml", cwd=repo).returncode == 0
    # A plain line merge would have put both [[databronnen]] blocks at the same spot.
    assert "<<<<<<<" not in (repo / "werkboek.toml").read_text(encoding="utf-8")


def test_a_file_that_is_not_toml_on_one_side_leaves_ours_and_git_reports_a_conflict(repo):
    git(repo, "checkout", "-q", "-b", "kapot")
    path = repo / "werkboek.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[organisatie\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "kapot")
    branch(repo, "goed", lambda w: w.set(("organisatie", "plaats"), "Breda"))
    ours = path.read_bytes()
    merged = git(repo, "merge", "--no-edit", "kapot", check=False)
    assert merged.returncode != 0 and "CONFLICT" in merged.stdout
    assert path.read_bytes() == ours
    assert "niets samengevoegd" in merged.stderr + merged.stdout


async def test_the_same_field_changed_both_ways_is_a_conflict_that_check_names_and_the_app_resolves(repo):
    branch(repo, "a", lambda w: w.set(("organisatie", "naam"), "Theater De Proef (a)"), lambda w: w.set(("organisatie", "plaats"), "Breda"))
    branch(repo, "b", lambda w: w.set(("organisatie", "naam"), "Theater De Proef (b)"))
    merged = git(repo, "merge", "--no-edit", "a", check=False)
    assert merged.returncode == 1 and "CONFLICT" in merged.stdout
    path = repo / "werkboek.toml"
    data = read(path)  # a valid workbook: our value in place, the conflict written down
    assert data["organisatie"]["naam"] == "Theater De Proef (b)" and data["organisatie"]["plaats"] == "Breda"
    assert [(c["pad"], c["ons"], c["hun"], c["ons_van"], c["hun_van"]) for c in data["conflicten"]] == [
        ("organisatie.naam", "Theater De Proef (b)", "Theater De Proef (a)", "b", "a")]
    check = run_cli("check", "werkboek.toml", cwd=repo)
    assert check.returncode == 1
    assert "conflicten[1]: samenvoegconflict bij organisatie.naam" in check.stdout

    from textual.widgets import Button

    from tui.app.resolve_screen import ResolveScreen
    from tui.app.werkboek_app import WerkboekApp

    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert "Werkboek: conflicten oplossen" in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"conflicten oplossen")
        await pilot.pause(0.3)
        await pilot.press("enter")
        for _ in range(100):
            if isinstance(app.screen, ResolveScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, ResolveScreen)
        assert not app._notifications  # the notice that led here is not left over the list
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "organisatie.naam" in shown and "Theater De Proef (a)" in shown
        assert "Organisatie · Naam van de instelling" in shown  # in the guide's words, the key path beside it
        assert isinstance(app.focused, Button) and app.focused.has_class("kies-ons")
        await pilot.press("right")  # the arrows move between the answers, as Tab does
        assert app.focused.has_class("kies-hun")
        await pilot.press("left", "tab")
        assert app.focused.has_class("kies-hun")
        await pilot.press("enter")
        for _ in range(100):
            if not isinstance(app.screen, ResolveScreen):
                break
            await pilot.pause(0.02)
        assert not isinstance(app.screen, ResolveScreen)
        assert app.workbook.data["organisatie"]["naam"] == "Theater De Proef (a)"
        assert any("git add werkboek.toml en git commit" in n.message for n in app._notifications)  # what is left to do in git
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
    data = read(path)
    assert data["organisatie"]["naam"] == "Theater De Proef (a)" and "conflicten" not in data
    assert run_cli("check", "werkboek.toml", cwd=repo).returncode == 0
    git(repo, "commit", "-q", "-am", "samengevoegd")
    assert git(repo, "status", "--porcelain").stdout == ""


def test_a_workbook_added_on_two_branches_merges_field_by_field(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    assert run_cli("git-setup", cwd=root).returncode == 0
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    for name, place in (("a", "Breda"), ("b", "")):
        git(root, "checkout", "-q", "-b", name, "main")
        path = new_workbook(root)
        edit(path, lambda w, p=place: w.set(("organisatie", "plaats"), p), lambda w, n=name: w.append(("databronnen",), {"id": n, "naam": n}),
             lambda w: w.set(("cyclus", 0, "start"), __import__("datetime").date(2024, 1, 1)))
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", name)
    merged = git(root, "merge", "--no-edit", "a", check=False)
    data = read(root / "werkboek.toml")
    assert [b["id"] for b in data["databronnen"]] == ["b", "a"]
    assert [c["pad"] for c in data["conflicten"]] == ["organisatie.plaats"]  # "" here, "Breda" there, nothing in common
    assert merged.returncode == 1


def test_comments_written_on_either_branch_survive_the_merge(repo):
    """A person's comments in the file are part of it: a commit that only adds a comment, and a
    comment beside a value the other branch did not touch, come through a merge from either side
    (only OURS' comments did; a comment-only commit vanished with exit 0)."""
    path = repo / "werkboek.toml"

    def add_comment(after: str, comment: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert after in text
        path.write_text(text.replace(after, after + comment, 1), encoding="utf-8")

    git(repo, "checkout", "-q", "-b", "privacy", "main")
    add_comment('naam = "Ticketverkoop"\n', "# Privacy: dit moet nog naar de FG\n")
    git(repo, "commit", "-q", "-am", "alleen een opmerking")
    git(repo, "checkout", "-q", "-b", "marketing", "main")
    edit(path, lambda w: w.set(("organisatie", "plaats"), "Breda"))
    add_comment('naam = "Theater De Proef"', "  # zo heten we sinds 2024")
    git(repo, "commit", "-q", "-am", "plaats")
    r = git(repo, "merge", "-q", "privacy", check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    text = path.read_text(encoding="utf-8")
    assert "# Privacy: dit moet nog naar de FG" in text and "# zo heten we sinds 2024" in text
    assert read(path)["organisatie"]["plaats"] == "Breda"
    assert run_cli("check", str(path)).returncode == 0


def test_their_comments_come_through_when_both_branches_append_a_data_source(repo):
    """Both branches append at the same spot, so git's own line merge conflicts and the merge by
    meaning (written into OURS' text) stands alone: the comments THEIRS wrote beside its new
    source and above an untouched value are carried over beside the same lines."""
    path = repo / "werkboek.toml"

    def with_comment(before: str, comment: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, before
        path.write_text(text.replace(before, comment + before), encoding="utf-8")

    git(repo, "checkout", "-q", "-b", "privacy", "main")
    edit(path, lambda w: w.append(("databronnen",), {"id": "nieuwsbrief", "naam": "Nieuwsbrief"}))
    with_comment('id = "nieuwsbrief"', "# Toestemming staat in het formulier van 2023\n")
    with_comment("\nnaam = \"Ticketverkoop\"", "\n# Privacy: bewaartermijn nog navragen")
    git(repo, "commit", "-q", "-am", "nieuwsbrief")
    git(repo, "checkout", "-q", "-b", "marketing", "main")
    edit(path, lambda w: w.append(("databronnen",), {"id": "enquete", "naam": "Enquête"}))
    with_comment('id = "enquete"', "# Van de zomer\n")
    git(repo, "commit", "-q", "-am", "enquete")
    r = git(repo, "merge", "-q", "privacy", check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [b["id"] for b in read(path)["databronnen"]] == ["ticketing", "enquete", "nieuwsbrief"]
    for comment, line in (("# Toestemming staat in het formulier van 2023", 'id = "nieuwsbrief"'),
                          ("# Privacy: bewaartermijn nog navragen", 'naam = "Ticketverkoop"'),
                          ("# Van de zomer", 'id = "enquete"')):
        assert lines.count(comment) == 1, comment
        assert lines[lines.index(comment) + 1] == line
    assert run_cli("check", str(path)).returncode == 0


def test_carried_comments_never_change_the_data():
    from tui.merge import carry_comments

    base = 'a = 1\n[t]\nb = 2\n'
    theirs = 'a = 1\n[t]\n# over b\nb = 2\n# aan het eind\n'
    assert carry_comments(base, theirs, 'a = 1\n[t]\nb = 3\nc = 4\n') == 'a = 1\n[t]\nb = 3\nc = 4\n# aan het eind\n'
    assert carry_comments(base, theirs, 'a = 1\n[t]\nb = 2\n') == 'a = 1\n[t]\n# over b\nb = 2\n# aan het eind\n'
    # written right under a line, a blank line after it: it stays with that line
    base2 = '[organisatie]\nnaam = "T"\ncontactpersoon = "A"\n\n[instellingen]\nx = 1\n'
    theirs2 = '[organisatie]\nnaam = "T"\ncontactpersoon = "B"\n# Bram: contact aangepast\n\n[instellingen]\nx = 1\n'
    result2 = '[organisatie]\nnaam = "T2"\ncontactpersoon = "B"\n\n[instellingen]\nx = 1\n'
    assert carry_comments(base2, theirs2, result2) == '[organisatie]\nnaam = "T2"\ncontactpersoon = "B"\n# Bram: contact aangepast\n\n[instellingen]\nx = 1\n'
    # a line that is not in one place: left out, never guessed
    assert carry_comments('x = 1\n', 'x = 1\n# waar?\nb = 2\n', '[p]\nb = 2\n[q]\nb = 2\n') == '[p]\nb = 2\n[q]\nb = 2\n'
