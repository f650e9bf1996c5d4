"""How exact the kernel's gate tables are: interpolated rates against the exact ones.

Run from the repository root::

    python benchmarks/bench_tables.py [--n-units 20] [--duration-s 2]

The fixed-step kernel reads every voltage-gated rate of the motor-neuron soma and of its
axon from tables on a 0.05-mV grid with linear interpolation (``musclesim.neuron.
gate_tables``, ``musclesim.axon.gate_tables``): one row read and one multiply–add per
column instead of two exponentials per gate per step. Issue 21 item 4 asks for cheaper
gating only "where exactness is kept", and for the error against the exact rates to be
stated here. Two measures:

- **per gate**: for each tabulated column (x∞ and the Rush–Larsen factor e^(−dt·φ/τ) of
  every gate at the default ``dt``, the fine soma step and the axon's long resting step),
  the largest difference between the interpolated value and the exact function, over
  every midpoint between grid voltages (where linear interpolation errs most) from −130
  to +70 mV. One Rush–Larsen update ``x ← x∞ + (x − x∞)·e^(−dt/τ)`` then errs by at most
  the x∞ error plus the factor's error (|x − x∞| ≤ 1);
- **end to end**: ``bench_engine.py``'s scenario (a 4-nA step into every motor neuron,
  default noise, the same seed) run with the default tables and with tables on a grid
  ten times finer (interpolation error ~100× smaller: the exact rates, to the printed
  per-gate error / 100); the shift of each spike between the two runs (k-th spike of a
  unit against its k-th), median and 90th percentile. For scale, the same shifts between
  the default ``dt`` and half of it, i.e. the integration error the model already accepts
  (``tests/test_numerics.py``). The criterion: the tables move spikes less than halving
  ``dt`` does. Both shifts grow along a run: near threshold the synaptic noise decides
  when a unit fires, so any perturbation, however small, eventually moves some spikes by
  part of an interspike interval; the median says how large the perturbation itself is.

Not a test: it prints, it does not fail.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_engine as B

import musclesim as ms
from musclesim import axon, neuron
from musclesim.engine import fixed as E

#: How much finer the comparison grid is than the kernel's.
FINE_FACTOR = 10

#: Names of the soma table's columns (:func:`musclesim.neuron.gate_tables`: x∞ rows, then
#: the decay rows) and of the axon table's (:func:`musclesim.axon.gate_tables`).
SOMA_COLUMNS = ("m∞", "h∞", "n∞", "PIC∞", "AHP Ca influx", "decay m", "decay h", "decay n",
                "decay PIC")  # fmt: skip
AXON_COLUMNS = ("m∞", "h∞", "NaP∞", "decay m", "decay h", "n∞", "s∞", "decay n", "decay s")


@dataclass(frozen=True)
class GateError:
    """Largest interpolation error of one tabulated column (dimensionless)."""

    part: str
    step: str
    column: str
    max_abs: float


@dataclass(frozen=True)
class EndToEnd:
    """Spike shifts of the kernel's tables against finer ones, and of halving ``dt``.

    Shifts in ms, per spike, spikes matched in order within each unit."""

    n_units: int
    duration_s: float
    spikes_default: int
    spikes_fine: int
    spikes_half_dt: int
    tables_median_ms: float
    tables_p90_ms: float
    half_dt_median_ms: float
    half_dt_p90_ms: float
    max_force_diff: float

    @property
    def exactness_kept(self) -> bool:
        """The tables move spikes less than the integration error does."""
        return self.tables_median_ms < self.half_dt_median_ms


def _columns(tab: np.ndarray) -> np.ndarray:
    """Value columns of an interleaved table (value, step to the next row, ...)."""
    return tab[:, 0::2]


def _midpoint_error(table_fn: Callable[[float], np.ndarray], dv: float) -> np.ndarray:
    """Per column, the largest |interpolated − exact| at the midpoints of a ``dv`` grid.

    ``table_fn(dv)`` returns the table's value columns (rows: grid voltages from
    ``neuron.TABLE_V_MIN_MV`` in steps of ``dv``). The exact values at the midpoints are
    read from a table on a grid of ``dv / 2``, whose even rows are the coarse grid and odd
    rows its midpoints, so both come from the package's own rate functions.
    """
    coarse = table_fn(dv)
    half = table_fn(dv / 2.0)
    n = coarse.shape[0] - 1
    interpolated = 0.5 * (coarse[:-1] + coarse[1:])
    exact = half[1 : 2 * n : 2]
    return np.max(np.abs(interpolated - exact), axis=0)


@contextmanager
def table_grid(dv_mV: float) -> Iterator[None]:
    """Build every gate table on a ``dv_mV`` grid while inside (the kernel reads V_min and
    1/ΔV from the tables it is given, so any grid runs)."""
    saved = neuron.TABLE_DV_MV, axon.TABLE_DV_MV, E.TABLE_DV_MV
    neuron.TABLE_DV_MV = axon.TABLE_DV_MV = E.TABLE_DV_MV = dv_mV
    E._gate_tables.cache_clear()
    try:
        yield
    finally:
        neuron.TABLE_DV_MV, axon.TABLE_DV_MV, E.TABLE_DV_MV = saved
        E._gate_tables.cache_clear()


def gate_errors(dt_ms: float = B.DT_MS) -> list[GateError]:
    """Largest interpolation error of every tabulated column at the default scenario."""
    sc = ms.Scenario()
    steps = {
        f"dt {dt_ms:g} ms": dt_ms,
        f"fine dt {dt_ms / E.N_FINE:g} ms": dt_ms / E.N_FINE,
        f"resting {dt_ms * E.AXON_QUIET_STEPS:g} ms": dt_ms * E.AXON_QUIET_STEPS,
    }
    out = []
    dv = neuron.TABLE_DV_MV
    for label, step in steps.items():

        def soma(d: float, step: float = step) -> np.ndarray:
            with table_grid(d):
                x_inf, decay = neuron.gate_tables(sc.neuron, sc.temperature_C, step)
            return np.vstack((x_inf, decay)).T

        def ax(d: float, step: float = step) -> np.ndarray:
            with table_grid(d):
                return _columns(axon.gate_tables(sc.axon, sc.temperature_C, step))

        for part, fn, names in (("soma", soma, SOMA_COLUMNS), ("axon", ax, AXON_COLUMNS)):
            err = _midpoint_error(fn, dv)
            out += [GateError(part, label, name, float(e))
                    for name, e in zip(names, err, strict=True)]  # fmt: skip
    return out


def _run(sc: ms.Scenario, dv_mV: float) -> ms.Result:
    with table_grid(dv_mV):
        return ms.simulate(sc, progress=False)


def _shifts_ms(a: ms.Result, b: ms.Result) -> np.ndarray:
    """|Δt| of every spike, ms, the k-th spike of a unit against its k-th in the other run."""
    out = [np.abs(x[: min(x.size, y.size)] - y[: min(x.size, y.size)]) * 1000.0
           for x, y in zip(a.spike_times, b.spike_times, strict=True)]  # fmt: skip
    return np.concatenate(out) if out else np.zeros(1)


def end_to_end(n_units: int = 20, duration_s: float = 2.0) -> EndToEnd:
    """The benchmark scenario with the default tables, with ``FINE_FACTOR``× finer ones,
    and with the default tables at half the time step (the integration error, for scale)."""
    sc = B.pool_scenario(n_units, duration_s)
    dv = neuron.TABLE_DV_MV
    default = _run(sc, dv)
    fine = _run(sc, dv / FINE_FACTOR)
    half = ms.simulate(sc, dt_ms=B.DT_MS / 2.0, progress=False)
    tab, dt2 = _shifts_ms(default, fine), _shifts_ms(default, half)

    def n(r: ms.Result) -> int:
        return sum(s.size for s in r.spike_times)

    return EndToEnd(
        n_units, duration_s, n(default), n(fine), n(half),
        float(np.median(tab)), float(np.percentile(tab, 90)),
        float(np.median(dt2)), float(np.percentile(dt2, 90)),
        float(np.max(np.abs(default.force - fine.force))),
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-units", type=int, default=20)
    ap.add_argument("--duration-s", type=float, default=2.0)
    args = ap.parse_args(argv)
    errors = gate_errors()
    dv = neuron.TABLE_DV_MV
    print(f"Gate tables: {dv:g}-mV grid, linear interpolation; largest error "
          "at the grid midpoints, −130 to +70 mV, default scenario (37 °C)")  # fmt: skip
    print(f"{'part':5} {'step':18} {'column':14} {'max |error|':>12}")
    for e in errors:
        print(f"{e.part:5} {e.step:18} {e.column:14} {e.max_abs:12.2e}")
    worst = max(errors, key=lambda e: e.max_abs)
    print(f"worst: {worst.part} {worst.column} at {worst.step}: {worst.max_abs:.2e}")
    r = end_to_end(args.n_units, args.duration_s)
    print(
        f"\nEnd to end, {r.n_units} units x {r.duration_s:g} s at {B.DRIVE_NA:g} nA, spikes "
        f"matched in order within each unit:\n"
        f"  tables on a {dv:g}-mV vs a {dv / FINE_FACTOR:g}-mV grid: spikes "
        f"{r.spikes_default} vs {r.spikes_fine}, shift median {r.tables_median_ms:.2g} ms, "
        f"90th percentile {r.tables_p90_ms:.2g} ms; force max difference "
        f"{r.max_force_diff:.1e} of maximal\n"
        f"  dt {B.DT_MS:g} vs {B.DT_MS / 2:g} ms (the integration error, for scale): spikes "
        f"{r.spikes_default} vs {r.spikes_half_dt}, shift median {r.half_dt_median_ms:.2g} "
        f"ms, 90th percentile {r.half_dt_p90_ms:.2g} ms\n"
        f"  exactness kept (tables move spikes less than halving dt): "
        f"{'yes' if r.exactness_kept else 'NO'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
