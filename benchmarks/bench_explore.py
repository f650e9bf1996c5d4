"""Redraw time of the browser explorer (``musclesim explore``) against issue 20's 0.3 s.

Run from the repository root::

    python benchmarks/bench_explore.py              # 20 moves per column, browser if present
    python benchmarks/bench_explore.py --moves 50
    python benchmarks/bench_explore.py --http-only  # no browser: server round trips only

An explorer server is started in this process on a free port (``explorer.make_server``,
which also loads the compiled model). Each column (``spasm`` and ``cramp``, as the page
opens) then gets N slider moves, one after another, each waiting for its redraw; each
move is timed three ways, one right after the other (so that load from other work on the
machine falls alike on all three):

browser (needs playwright and a Chromium, as tests/test_explorer_browser.py)
    Headless Chromium loads the page; each move is one ArrowRight/ArrowLeft key press on
    the column's ionised Ca²⁺ slider (alternating, so it steps between 1.20 and 1.25
    mmol/L and back), i.e. a real input event. The page measures, with
    ``performance.now()``, the time from that event to the end of drawing the new raster,
    force panels and metrics (``window.explorer.columns[X].lastRedrawMs``): the redraw time
    a student sees. "of which drawing" is the page's own share (``lastDrawMs``: SVG and
    metrics, after the answer has arrived).
http round trip
    The same moves as ``GET /api/run`` requests from this process (``urllib``): the server
    side of a redraw (simulate, metrics, classification, JSON), without the page's drawing.
ms.simulate alone
    ``ms.simulate`` of the same scenarios (``explorer.explorer_scenario``), N times, in
    this process, between the other two: the model's share of a redraw.

It prints the median and 90th percentile of each, and the ratio of the median redraw to
the median ``ms.simulate``. Nothing is cached: every move runs the model. The machine's
load average is printed at the start and the end: other work on the 2 cores slows every
figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import threading
import time
import urllib.parse
import urllib.request

import musclesim as ms
from musclesim import explorer

#: Redraw budget of issue 20, s.
TARGET_S = 0.3
#: The slider moved, and its two values (the step of the page's slider, mmol/L).
SLIDER, VALUES = "Ca_mM", (1.2, 1.25)


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "n/a"


def stats(times_s: list[float]) -> str:
    q = statistics.quantiles(times_s, n=10)[-1] if len(times_s) >= 2 else times_s[0]
    return f"median {statistics.median(times_s):.3f} s, 90th percentile {q:.3f} s"


def _value(k: int) -> float:
    """The slider's value after move ``k``: 1.25, 1.20, 1.25, ... mmol/L."""
    return VALUES[(k + 1) % 2]


def http_move(url: str, preset: str, k: int) -> float:
    """One ``GET /api/run`` of move ``k``, s."""
    query = urllib.parse.urlencode({"preset": preset, SLIDER: _value(k)})
    t0 = time.perf_counter()
    with urllib.request.urlopen(f"{url}api/run?{query}", timeout=120) as r:
        json.loads(r.read())
    return time.perf_counter() - t0


def simulate_move(preset: str, k: int) -> float:
    """``ms.simulate`` of the scenario of move ``k``, s."""
    base = explorer.Settings.from_preset(preset)
    sc = explorer.explorer_scenario(explorer.Settings(**{**base.__dict__, SLIDER: _value(k)}))
    t0 = time.perf_counter()
    ms.simulate(sc, progress=False)
    return time.perf_counter() - t0


class Browser:
    """The page in headless Chromium; ``move`` presses a key on a column's slider and
    returns the page's redraw and drawing times, s."""

    def __init__(self, url: str) -> None:
        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox"])  # fmt: skip
        self.page = self._browser.new_page(viewport={"width": 1600, "height": 1000})
        self.page.goto(url)
        self.page.wait_for_function("window.explorer.ready", timeout=120_000)

    def move(self, column: str, k: int) -> tuple[float, float]:
        stats = f"window.explorer.columns.{column}"
        done = self.page.evaluate(f"{stats}.redraws")
        self.page.locator(f"#{column}-{SLIDER}").press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        self.page.wait_for_function(f"{stats}.redraws > {done}", timeout=60_000)
        col = self.page.evaluate(stats)
        assert abs(col["lastSettings"][SLIDER] - _value(k)) < 1e-9, "the key did not move it"
        return col["lastRedrawMs"] / 1000.0, col["lastDrawMs"] / 1000.0

    def close(self) -> None:
        self._browser.close()
        self._pw.stop()


def why_no_browser() -> str | None:
    """Why the browser cannot be used, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "no Chromium (apt-get install chromium)"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--moves", type=int, default=20, help="slider moves per column (20)")
    ap.add_argument("--http-only", action="store_true", help="no browser")
    args = ap.parse_args()
    n = args.moves
    print(f"musclesim {ms.__version__}; load average at start: {load_average()} "
          f"({os.cpu_count()} cores)")  # fmt: skip
    print(f"explorer runs: {explorer.N_UNITS} motor units, {explorer.DURATIONS_S[0]:g} s; "
          f"{n} moves of {SLIDER} per column; target: redraw <= {TARGET_S} s")  # fmt: skip
    server = explorer.make_server(0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    why = "skipped (--http-only)" if args.http_only else why_no_browser()
    browser = Browser(server.url) if why is None else None
    try:
        for column, preset in zip(("A", "B"), explorer.DEFAULT_COLUMNS, strict=True):
            # The three measurements of each move one after another, so that the load of
            # the machine (other work on the 2 cores) is shared alike.
            sim, http, redraw, draw = [], [], [], []
            for k in range(n):
                if browser is not None:
                    r, d = browser.move(column, k)
                    redraw.append(r)
                    draw.append(d)
                http.append(http_move(server.url, preset, k))
                sim.append(simulate_move(preset, k))
            print(f"\ncolumn {column} ({preset}):")
            print(f"  ms.simulate alone     {stats(sim)}")
            ratio = statistics.median(http) / statistics.median(sim)
            print(f"  http round trip       {stats(http)}   (x{ratio:.2f} simulate)")
            if browser is not None:
                ratio = statistics.median(redraw) / statistics.median(sim)
                verdict = "PASS" if statistics.median(redraw) <= TARGET_S else "OVER"
                print(f"  browser redraw        {stats(redraw)}   (x{ratio:.2f} simulate)  "
                      f"{verdict}")  # fmt: skip
                print(f"    of which drawing    {stats(draw)}")
        if browser is None:
            print(f"\nbrowser redraw not measured: {why}")
    finally:
        if browser is not None:
            browser.close()
        server.shutdown()
        server.server_close()
    print(f"\nload average at end: {load_average()}")


if __name__ == "__main__":
    main()
