"""What a user waits for before the first result: import, first compile, the README's job.

Run from the repository root::

    python benchmarks/bench_startup.py [--repeats N] [--no-cold]

Issue 21's startup rows, each measured in a fresh ``python`` process (the package this
interpreter imports, i.e. ``PYTHONPATH`` first):

- **import musclesim**: ``time.perf_counter`` around ``import musclesim`` inside the child,
  median of ``--repeats`` children (default 5), after one untimed child;
- **first simulate, empty cache**: the child's first ``ms.simulate("twitch", n_units=1)``
  with ``MUSCLESIM_CACHE_DIR`` pointing at a new empty directory (the package's kernel
  cache, :mod:`musclesim._cache`), so every kernel is compiled; the child also prints
  how long numba spent compiling and how many dispatchers it compiled;
- **README main job, empty cache**: ``python -m musclesim compare spasm cramp --out X.png
  --force`` in a fresh process with a new empty cache, whole-process wall time;
- **the same, warm cache**: the same command again with the cache the cold run filled.

Each cold figure is one run (a compile takes 10–30 s); the warm job is the median of
``--repeats``. The load average is printed at start and end: other work on the machine
shows up directly in these figures. Not a test: it prints, it does not fail.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

#: Child: time the import; print JSON.
IMPORT_CODE = """
import json, time
t0 = time.perf_counter()
import musclesim
print(json.dumps({"import_s": time.perf_counter() - t0}))
"""

#: Child: import, then the first simulate; count what numba compiled (not loaded).
FIRST_SIMULATE_CODE = """
import json, time
t0 = time.perf_counter()
import musclesim as ms
t1 = time.perf_counter()
ms.simulate("twitch", n_units=1, progress=False)
t2 = time.perf_counter()
from numba.core.registry import CPUDispatcher
import gc
compiled = loaded = 0
for obj in gc.get_objects():
    if isinstance(obj, CPUDispatcher) and obj.__module__.startswith("musclesim"):
        compiled += sum(obj.stats.cache_misses.values())
        loaded += sum(obj.stats.cache_hits.values())
print(json.dumps({"import_s": t1 - t0, "first_simulate_s": t2 - t1,
                  "compiled": compiled, "loaded": loaded}))
"""


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


def _env(cache_dir: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NUMBA_CACHE_DIR", None)  # the package's own cache location is what users get
    env["MUSCLESIM_PROGRESS"] = "0"
    # `pip install` byte-compiles the package; a shell that forbids writing .pyc files
    # would time the compilation of every module's source on each import (~70 ms) instead
    # of what users get. The untimed first import writes them.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache_dir is not None:
        env["MUSCLESIM_CACHE_DIR"] = cache_dir
    return env


def _child_json(code: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_time(repeats: int = 5, cache_dir: str | None = None) -> float:
    """Median ``import musclesim`` time (s) over ``repeats`` fresh processes."""
    env = _env(cache_dir)
    _child_json(IMPORT_CODE, env)  # untimed: the OS file cache, the kernel folder
    return statistics.median(_child_json(IMPORT_CODE, env)["import_s"] for _ in range(repeats))


def first_simulate_cold(cache_dir: str) -> dict[str, float]:
    """Import and first simulate in a fresh process whose kernel cache ``cache_dir`` is
    empty (it is filled)."""
    return _child_json(FIRST_SIMULATE_CODE, _env(cache_dir))


def readme_job(cache_dir: str, out_dir: str) -> float:
    """Wall time (s) of ``python -m musclesim compare spasm cramp --out … --force`` in a
    fresh process with kernel cache ``cache_dir``."""
    cmd = [sys.executable, "-m", "musclesim", "compare", "spasm", "cramp",
           "--out", str(Path(out_dir) / "spasm_vs_cramp.png"), "--force"]  # fmt: skip
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, text=True, env=_env(cache_dir), check=True)
    return time.perf_counter() - t0


@dataclass
class Startup:
    import_s: float
    cold_first_simulate_s: float | None = None
    cold_compiled: int | None = None
    readme_cold_s: float | None = None
    readme_warm_s: float | None = None


def measure(repeats: int = 5, cold: bool = True) -> Startup:
    """Every startup figure; the cold ones only if ``cold``."""
    with tempfile.TemporaryDirectory(prefix="musclesim-bench-") as tmp:
        res = Startup(import_s=float("nan"))
        if cold:
            first = first_simulate_cold(str(Path(tmp) / "cache-a"))
            res.cold_first_simulate_s = first["first_simulate_s"]
            res.cold_compiled = int(first["compiled"])
        cache = str(Path(tmp) / "cache-b")
        if cold:
            res.readme_cold_s = readme_job(cache, tmp)
        else:
            readme_job(cache, tmp)  # fills the cache (or finds it filled)
        res.readme_warm_s = statistics.median(readme_job(cache, tmp) for _ in range(repeats))
        res.import_s = import_time(repeats, cache)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="fresh processes per warm figure")
    ap.add_argument("--no-cold", action="store_true", help="skip the empty-cache runs")
    args = ap.parse_args(argv)
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
          f"load average at start {load_average()}")  # fmt: skip
    r = measure(args.repeats, cold=not args.no_cold)
    if r.cold_first_simulate_s is not None:
        print(f"first simulate, empty cache          {r.cold_first_simulate_s:7.2f} s "
              f"({r.cold_compiled} compilations)")  # fmt: skip
    if r.readme_cold_s is not None:
        print(f"README main job, empty cache         {r.readme_cold_s:7.2f} s")
    print(f"README main job, warm cache (median) {r.readme_warm_s:7.2f} s")
    print(f"import musclesim (median)            {r.import_s:7.2f} s")
    print(f"load average at end {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
