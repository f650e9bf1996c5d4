"""Peak memory of a long pool run: the engine keeps events and down-sampled traces only.

Run from the repository root::

    python benchmarks/bench_memory.py [--duration-s 60] [--n-units 100]

It runs one simulation in a fresh child process and prints that process's peak resident
memory (``ru_maxrss``) next to a baseline child that only imports musclesim and runs a
0.1-s simulation, so the difference is what the long run itself needed. Issue 3's target:
a 100-unit, 60-s run stays well under 500 MB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

CHILD = """
import resource, time, musclesim as ms
t = time.perf_counter()
drive = ms.protocols.current_step(4.0, 0.02, {d} - 0.05)
sc = ms.Scenario(n_units={n}, duration_s={d}, drive=drive)
res = ms.simulate(sc)
dt = time.perf_counter() - t
spikes = sum(s.size for s in res.spike_times)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, dt, spikes, res.emg.size)
"""


def run(n_units: int, duration_s: float) -> tuple[float, float, int, int]:
    out = subprocess.run([sys.executable, "-c", CHILD.format(n=n_units, d=duration_s)],
                         check=True, capture_output=True, text=True)  # fmt: skip
    mb, secs, spikes, emg = out.stdout.split()
    return float(mb), float(secs), int(spikes), int(emg)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration-s", type=float, default=60.0)
    ap.add_argument("--n-units", type=int, default=100)
    a = ap.parse_args()
    base_mb, _, _, _ = run(1, 0.1)
    mb, secs, spikes, emg = run(a.n_units, a.duration_s)
    print(f"baseline child (import + 0.1-s run):      peak RSS {base_mb:8.1f} MB")
    print(f"{a.n_units} units x {a.duration_s:g} s (reflex loop + EMG): peak RSS {mb:8.1f} MB, "
          f"{secs:.1f} s, {spikes} spikes, {emg} EMG samples")  # fmt: skip
    print(f"the run itself:                           {mb - base_mb:8.1f} MB   (target: well "
          f"under 500 MB in total)")  # fmt: skip


if __name__ == "__main__":
    main()
