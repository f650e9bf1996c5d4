"""Redraw time of the browser explorer (``musclesim explore``) against issue 20's 0.3 s.

Run from the repository root::

    python benchmarks/bench_explore.py              # 20 moves per column, browser if present
    python benchmarks/bench_explore.py --moves 50
    python benchmarks/bench_explore.py --http-only  # no browser: server round trips only

An explorer server is started in this process on a free port (``explorer.make_server``,
which also loads the compiled model). Each column (``spasm`` and ``cramp``, as the page
opens) then gets N slider moves, one after another, each waiting for its redraw:

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


def http_moves(url: str, preset: str, n: int) -> list[float]:
    base = explorer.Settings.from_preset(preset)
    out = []
    for k in range(n):
        query = urllib.parse.urlencode({"preset": preset, SLIDER: VALUES[(k + 1) % 2]})
        t0 = time.perf_counter()
        with urllib.request.urlopen(f"{url}api/run?{query}", timeout=120) as r:
            json.loads(r.read())
        out.append(time.perf_counter() - t0)
    assert getattr(base, SLIDER) == VALUES[0]
    return out


def simulate_times(preset: str, n: int) -> list[float]:
    base = explorer.Settings.from_preset(preset)
    out = []
    for k in range(n):
        settings = explorer.Settings(**{**base.__dict__, SLIDER: VALUES[(k + 1) % 2]})
        sc = explorer.explorer_scenario(settings)
        t0 = time.perf_counter()
        ms.simulate(sc, progress=False)
        out.append(time.perf_counter() - t0)
    return out


def browser_moves(url: str, n: int) -> dict[str, list[float]] | str:
    """Redraw times, s, per column, measured by the page; or why they could not be."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return "no Chromium (apt-get install chromium)"
    out: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url)
            page.wait_for_function("window.explorer.ready", timeout=120_000)
            for column in ("A", "B"):
                slider = page.locator(f"#{column}-{SLIDER}")
                times, drawing = [], []
                for k in range(n):
                    done = page.evaluate(f"window.explorer.columns.{column}.redraws")
                    slider.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
                    page.wait_for_function(
                        f"window.explorer.columns.{column}.redraws > {done}", timeout=60_000
                    )
                    col = page.evaluate(f"window.explorer.columns.{column}")
                    times.append(col["lastRedrawMs"] / 1000.0)
                    drawing.append(col["lastDrawMs"] / 1000.0)
                out[column] = times
                out[f"{column} drawing"] = drawing
        finally:
            browser.close()
    return out


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
    try:
        columns = dict(zip(("A", "B"), explorer.DEFAULT_COLUMNS, strict=True))
        browser = "skipped (--http-only)" if args.http_only else browser_moves(server.url, n)
        for column, preset in columns.items():
            sim = simulate_times(preset, n)
            http = http_moves(server.url, preset, n)
            print(f"\ncolumn {column} ({preset}):")
            print(f"  ms.simulate alone     {stats(sim)}")
            ratio = statistics.median(http) / statistics.median(sim)
            print(f"  http round trip       {stats(http)}   (x{ratio:.2f} simulate)")
            if isinstance(browser, dict):
                redraw, draw = browser[column], browser[f"{column} drawing"]
                ratio = statistics.median(redraw) / statistics.median(sim)
                verdict = "PASS" if statistics.median(redraw) <= TARGET_S else "OVER"
                print(f"  browser redraw        {stats(redraw)}   (x{ratio:.2f} simulate)  "
                      f"{verdict}")  # fmt: skip
                print(f"    of which drawing    {stats(draw)}")
        if not isinstance(browser, dict):
            print(f"\nbrowser redraw not measured: {browser}")
    finally:
        server.shutdown()
        server.server_close()
    print(f"\nload average at end: {load_average()}")


if __name__ == "__main__":
    main()
