"""Large workbooks stay responsive: edits never wait for tomlkit, saves run beside the typing.

    python bench/session.py [--repeat 15] [--skip-tmux] [--sizes 2500,5000,10000]

In process (headless, Pilot, key to the next frame; baseline: a bare Textual app's focus move,
measured in the same run):
- a key typed in step 1 and in step 2 (the notes under the sources table) at each size; a size
  of N entries is N measurements, N/5 register records and N/10 data sources (the proportions
  of bench/make_large_workbook.py's default 1,000-entry workbook). Target at 10,000: < 16 ms.
- peak memory (VmHWM of its own process) with every tab visited, per size. Target at 10,000:
  <= 150 MiB, and growth with size linear or better (the ratio per doubling is printed).
- a key typed while a one-field save of the 1,000-entry workbook runs in its worker, against
  the same key without a save. Target: the save delays the key by < 50 ms.

In a real terminal (tmux at 120x40, the installed `publieksdata`):
- the time until step 1's form is on screen, and the first key typed after it until it echoes,
  for the blank workbook, ~1.5 MB and ~4 MB. Target: the echo within 2x of the blank one's.
- quit (Ctrl+Q, nothing unsaved) right after opening the ~4 MB workbook, against a bare Textual
  app's quit. Target: within 1.5x.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from latency import Bare, measure, record_frames  # noqa: E402
from make_large_workbook import make  # noqa: E402


def make_size(folder: Path, entries: int, name: str | None = None) -> Path:
    return make(folder / (name or f"n{entries}.toml"), evaluations=entries, records=max(1, entries // 5), sources=max(1, entries // 10))


# ------------------------------------------------------------------ in process


async def _focus_field(pilot, tab: str, selector: str) -> None:
    app = pilot.app
    app.action_show_tab(tab)
    for _ in range(2000):
        if app.pane_ready(tab):
            break
        await pilot.pause(0.01)
    await pilot.pause(0.2)
    app.query_one(selector).focus()
    await pilot.pause()


def typing_latency(path: Path, repeat: int) -> dict[str, float]:
    from tui.app.werkboek_app import WerkboekApp

    out = {}
    for tab, selector in (("vraagstuk", "#veld-vraagstuk-kernvraag TextArea"), ("data", "#veld-data-data_mist TextArea")):
        async def prepare(pilot, tab=tab, selector=selector):
            await _focus_field(pilot, tab, selector)

        out[tab] = asyncio.run(measure(WerkboekApp(path, autosave=0), ["x"], repeat, prepare=prepare))["x"]
    return out


def save_delay(path: Path, repeat: int) -> tuple[float, float]:
    """(key alone, key typed right after a one-field save started), medians."""
    from tui.app.werkboek_app import WerkboekApp

    async def run() -> tuple[float, float]:
        app = WerkboekApp(path, autosave=0)
        frames = record_frames(app)
        alone, during = [], []
        async with app.run_test(size=(120, 40)) as pilot:
            await _focus_field(pilot, "vraagstuk", "#veld-vraagstuk-kernvraag TextArea")
            app.action_save(force=True)  # the first save parses the tomlkit document: not timed
            await app.workers.wait_for_complete()
            for i in range(repeat):
                for bucket, with_save in ((alone, False), (during, True)):
                    app.apply(app.session.cycle_path + ("vraagstuk", "onderwerp"), f"onderwerp {i} {with_save}")
                    if with_save:
                        app.action_save(quiet=True)
                        await asyncio.sleep(0.002)  # the worker has started rendering
                    frames.clear()
                    t0 = time.perf_counter()
                    await pilot.press("x")
                    await pilot.pause()
                    after = [f for f in frames if f >= t0]
                    if after:
                        bucket.append(after[0] - t0)
                    await app.workers.wait_for_complete()
        return statistics.median(alone), statistics.median(during)

    return asyncio.run(run())


def peak_memory(path: Path) -> float:
    code = f"""
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / "bench")!r})
from tui.app.werkboek_app import WerkboekApp
async def main():
    app = WerkboekApp(Path({str(path)!r}), autosave=0)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("data", "actie", "implementatie", "overzicht", "vraagstuk"):
            app.action_show_tab(key)
            for _ in range(3000):
                await pilot.pause(0.02)
                if app.pane_ready(key):
                    break
            else:
                raise SystemExit(f"tab {{key}} was not built")
        await pilot.press("x")  # an edit
        app.action_save()  # and a save: the tomlkit document is part of the peak
        await app.workers.wait_for_complete()
asyncio.run(main())
from _common import peak_kib
print(peak_kib() / 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


# ------------------------------------------------------------------ in a real terminal

BARE_APP = """
from textual.app import App
from textual.widgets import Input
class Bare(App):
    BINDINGS = [("ctrl+q", "quit")]
    def compose(self):
        yield Input(placeholder="kernvraag")
Bare().run()
"""


class Tmux:
    def __init__(self, name: str):
        self.name = name

    def start(self, command: list[str]) -> float:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
        shell = " ".join(subprocess.list2cmdline([c]) for c in command) + f"; tmux wait-for -S {self.name}-done"
        t0 = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", shell], check=True)
        return t0

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def until(self, predicate, timeout: float = 60) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if predicate(self.screen()):
                return time.perf_counter()
            time.sleep(0.005)
        raise SystemExit(f"timed out; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> float:
        t0 = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)
        return t0

    def wait_done(self, timeout: float = 120) -> float:
        subprocess.run(["timeout", str(timeout), "tmux", "wait-for", f"{self.name}-done"])
        return time.perf_counter()

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


FORM_SHOWN = "Wat is de komende periode belangrijk"


def terminal_open_and_type(path: Path) -> tuple[float, float]:
    """(launch until the form is on screen, first key until it echoes) in tmux."""
    t = Tmux("bench-session")
    exe = str(Path(sys.executable).with_name("publieksdata"))
    try:
        t0 = t.start([exe, str(path)])
        shown = t.until(lambda s: FORM_SHOWN in s)
        k0 = t.keys("Q", "u", "z")
        echoed = t.until(lambda s: "Quz" in s)
        t.keys("C-q")
        t.until(lambda s: "nog niet zijn opgeslagen" in s or "Afsluiten" in s, timeout=30)
        t.keys("Tab")  # 'Afsluiten zonder opslaan'
        t.keys("Enter")
        t.wait_done()
        return shown - t0, echoed - k0
    finally:
        t.kill()


def terminal_quit(command: list[str], ready: str) -> float:
    """From Ctrl+Q, sent as soon as ``ready`` is on screen, until the process has ended."""
    t = Tmux("bench-quit")
    try:
        t.start(command)
        t.until(lambda s: ready in s)
        q0 = t.keys("C-q")
        return t.wait_done() - q0
    finally:
        t.kill()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--sizes", default="2500,5000,10000")
    p.add_argument("--skip-tmux", action="store_true")
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    base = asyncio.run(measure(Bare(), ["tab"], args.repeat))["tab"]
    print(f"baseline: bare textual focus move {base * 1000:.1f} ms\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'entries':>8} {'size':>8} {'key step 1':>11} {'key step 2':>11} {'vs bare':>8} {'peak MiB':>9}")
        peaks = []
        for n in sizes:
            path = make_size(folder, n)
            lat = typing_latency(path, args.repeat)
            peak = peak_memory(path)
            peaks.append((n, peak))
            worst = max(lat.values())
            print(f"{n:>8} {path.stat().st_size / 1e6:>6.1f}MB {lat['vraagstuk'] * 1000:>8.1f} ms {lat['data'] * 1000:>8.1f} ms {worst / base:>7.2f}x {peak:>9.0f}")
        for (n1, p1), (n2, p2) in zip(peaks, peaks[1:]):
            print(f"memory growth {n1} -> {n2} entries ({n2 / n1:.1f}x): {p2 / p1:.2f}x")

        standard = make(folder / "groot.toml")
        alone, during = save_delay(standard, args.repeat)
        print(f"\nkey alone {alone * 1000:.1f} ms; key during a one-field save of the 1,000-entry workbook {during * 1000:.1f} ms: delay {max(0.0, during - alone) * 1000:.1f} ms ({during / alone:.2f}x)")

        if args.skip_tmux or not shutil.which("tmux"):
            print("\n(tmux measurements skipped)")
            return
        from tui.templates import create_workbook

        blank = create_workbook(folder / "leeg.toml")
        mid = make(folder / "m15.toml", evaluations=3000, records=300, sources=150)
        big = make(folder / "m40.toml", evaluations=8000, records=800, sources=400)
        print(f"\nin tmux at 120x40 (median of {max(3, args.repeat // 5)})")
        results = {}
        for label, path in (("blank", blank), (f"{mid.stat().st_size / 1e6:.1f} MB", mid), (f"{big.stat().st_size / 1e6:.1f} MB", big)):
            runs = [terminal_open_and_type(path) for _ in range(max(3, args.repeat // 5))]
            results[label] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
        blank_echo = results["blank"][1]
        for label, (shown, echo) in results.items():
            print(f"{label:>8}: form on screen {shown * 1000:7.0f} ms; first keys echo {echo * 1000:6.0f} ms ({echo / blank_echo:.2f}x blank)")
        exe = str(Path(sys.executable).with_name("publieksdata"))
        bare_quit = statistics.median(terminal_quit([sys.executable, "-c", BARE_APP], "kernvraag") for _ in range(3))
        big_quit = statistics.median(terminal_quit([exe, str(big)], FORM_SHOWN) for _ in range(3))
        print(f"quit right after opening: bare textual {bare_quit * 1000:.0f} ms; {big.stat().st_size / 1e6:.1f} MB workbook {big_quit * 1000:.0f} ms ({big_quit / bare_quit:.2f}x)")


if __name__ == "__main__":
    main()
