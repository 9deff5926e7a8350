"""What the app tells a team: contradicting goals, statuses, actualiteit, rounds (model and CLI)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import run_cli

CONTRADICTING = '''schema = 1

[[cyclus]]
nummer = 1

[[cyclus.acties]]
id = "wachttijd"
titel = "Wachttijd kassa"
nulmeting = 40
streefwaarde = 60
richting = "verlagen"

[[cyclus.acties]]
id = "klachten"
titel = "Klachten"
nulmeting = 10
streefwaarde = -5
richting = "verhogen"

[[cyclus.acties]]
id = "goed"
titel = "Goed"
nulmeting = 10
streefwaarde = 5
richting = "verlagen"
'''


def test_check_reports_a_contradicting_goal_as_a_content_problem_with_its_key_path(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(CONTRADICTING, encoding="utf-8")
    r = run_cli("check", str(path))
    assert r.returncode == 1, r.stdout
    assert f"{path}:10: cyclus[1].acties[1].streefwaarde: tegenstrijdig doel: streefwaarde 60 ligt boven de nulmeting 40, maar de richting is ‘verlagen’" in r.stdout
    assert f"{path}:17: cyclus[1].acties[2].streefwaarde: tegenstrijdig doel: streefwaarde -5 ligt onder de nulmeting 10" in r.stdout
    assert "acties[3]" not in r.stdout
    assert "2 problemen gevonden" in r.stderr
