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
