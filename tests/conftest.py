import gc
import os

from hypothesis import HealthCheck, settings

# Deterministic in CI: the same examples every run; locally, explore.
settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# Tests never read the user's own settings: every test gets a config path of its own (a file
# that does not exist unless the test writes it).
import pytest


@pytest.fixture(autouse=True)
def _own_config(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("PUBLIEKSDATA_CONFIG", str(tmp_path_factory.mktemp("config") / "config.toml"))


# Pilot waits for the app to be idle after every key by sleeping in steps of 20 ms and looking
# at the process's CPU time. Finer steps see idleness sooner; the same rule (less than 1/20 of
# the step spent computing) decides, so tests wait for the same things, in less time.
import textual._wait as _textual_wait

_textual_wait.SLEEP_GRANULARITY = 1 / 200
_textual_wait.SLEEP_IDLE = _textual_wait.SLEEP_GRANULARITY / 20.0


# Python's collector makes a pass over every object the process holds each time enough new ones
# have survived; a Pilot test makes and drops hundreds of thousands (strips, styles, caches) and a
# worker holds about 400,000. Measured with a gc callback over test_presentation and test_app:
# collections took 21 s of a worker's 78 s CPU (9,000 of them, most over the whole heap). Fewer,
# larger passes (every 50,000 new objects instead of 700): 7 s. Cycles are still collected.
gc.set_threshold(50_000, 20, 20)


# Every test app parses the same stylesheets again (the app's .tcss files and every widget's
# DEFAULT_CSS): Textual keeps parsed rules per app, and each test starts a new one. Within one
# test process the parsed rules are the same for the same text, place and variables (the theme's
# colours), so they are kept for the process; an app still gets its own Stylesheet and applies
# the rules to its own widgets as before. A stylesheet with a mistake is not kept, so it raises
# in every app that reads it.
from textual.css.stylesheet import Stylesheet as _Stylesheet

_parsed_rules: dict = {}
_parse_rules = _Stylesheet._parse_rules


def _parse_rules_once(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
    key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
    rules = _parsed_rules.get(key)
    if rules is None:
        rules = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        if not any(rule.errors for rule in rules):
            _parsed_rules[key] = rules
    return rules


_Stylesheet._parse_rules = _parse_rules_once
