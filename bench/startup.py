"""Cold start, process start to first frame (on_ready), against a bare Textual app in the same run.

    python bench/startup.py [--repeat 10]

Each run is a fresh process, headless at 120x40. Printed per variant, as medians with the ratio
to the bare app: the first frame (on_ready: the shell and the step's introduction), and for the
workbook app also "form ready" (step 1's form mounted).
Targets: blank workbook within 1.5x of the bare app; large workbook (12 cycles, 1,000
evaluations, 200 register records, 100 sources) within 2x.

Bytecode: pip compiled Textual's modules when it installed them. The app's own modules are
compiled here first as well (into the git-ignored __pycache__ folders), as an installed copy
has them and as Python writes them on an editable install's first start. With
PYTHONDONTWRITEBYTECODE=1 (set on some servers) an editable install never gets them and
compiles its sources at every start; `--source` measures that case: it removes the app's
bytecode and starts the children with -B.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

BARE = """
import time
from textual.app import App
class Bare(App):
    def on_ready(self):
        print(time.time(), flush=True)
        self.exit()
Bare().run(headless=True, size=(120, 40))
"""

OURS = """
import sys, time
sys.path.insert(0, {root!r})
from tui.app.werkboek_app import WerkboekApp
class Timed(WerkboekApp):
    def on_ready(self):
        super().on_ready()
        print(time.time(), flush=True)
        self.set_interval(0.002, self.form_ready)
    def form_ready(self):
        if self.pane_ready("vraagstuk"):  # step 1's form is mounted (the focus starts on the tab bar)
            print(time.time(), flush=True)
            self.exit()
Timed({path!r}, autosave=0).run(headless=True, size=(120, 40))
"""


def once(code: str, flags: tuple[str, ...] = ()) -> list[float]:
    """Seconds from process start to each time the child printed (first frame, form ready)."""
    start = time.time()
    out = subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True, check=True).stdout
    return [float(line) - start for line in out.strip().splitlines()]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--source", action="store_true", help="the app's modules without bytecode, compiled at every start")
    args = p.parse_args()
    repeat = args.repeat
    flags = ("-B",) if args.source else ()
    if args.source:
        for folder in (ROOT / "tui").rglob("__pycache__"):
            shutil.rmtree(folder)
    else:
        compileall.compile_dir(ROOT / "tui", quiet=1)
    print("app modules:", "compiled at every start (-B, no bytecode)" if args.source else "bytecode compiled beforehand")
    from make_large_workbook import make

    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "leeg.toml"
        sys.path.insert(0, str(ROOT))
        from tui.templates import create_workbook

        create_workbook(blank)
        large = make(Path(tmp) / "groot.toml")
        variants = {"bare textual": BARE, "blank workbook": OURS.format(root=str(ROOT), path=str(blank)), "large workbook": OURS.format(root=str(ROOT), path=str(large))}
        once(BARE, flags)  # warm the file cache
        times = {name: [] for name in variants}
        for _ in range(repeat):  # interleaved, so drift hits every variant alike
            for name, code in variants.items():
                times[name].append(once(code, flags))
    base = statistics.median(v[0] for v in times["bare textual"])
    print(f"{'variant':<16} {'first frame':>12} {'ratio':>7} {'form ready':>11} {'ratio':>7}")
    for name, values in times.items():
        first = statistics.median(v[0] for v in values)
        line = f"{name:<16} {first * 1000:>9.0f} ms {first / base:>6.2f}x"
        if len(values[0]) > 1:
            ready = statistics.median(v[1] for v in values)
            line += f" {ready * 1000:>8.0f} ms {ready / base:>6.2f}x"
        print(line)


if __name__ == "__main__":
    main()
