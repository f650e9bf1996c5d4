"""The outcome of one simulation: traces on a regular grid and spike events."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ._toml import dumps
from ._version import __version__
from .analysis import Metrics, compute_metrics, metric_lines
from .emg import synthesize_emg
from .inputs import length_trace
from .reflex import passive_tension
from .scenarios import CSV_SCENARIO_PREFIX, Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .engine import EngineOutput


@dataclass(frozen=True, eq=False)
class Result:
    """What happened in one run. Arrays are read-only views; times are in seconds.

    Attributes
    ----------
    scenario : Scenario
        The scenario that was run (with its seed).
    time : ndarray
        Sample times of the continuous traces, s.
    force : ndarray
        Muscle (tendon) force, fraction of the unfatigued maximal isometric tetanic force:
        0–1 at or below the optimal length; lengthening raises active force up to
        ``ReflexParams.eccentric_max`` and stretch beyond L0 adds passive tension.
    calcium : ndarray
        Free myoplasmic Ca²⁺, µM, mean over the pool weighted by each unit's force share.
    voltage : ndarray, shape (len(time), len(recorded_units))
        Membrane potential of the recorded motor neurons, mV (sampled, so spikes may look
        clipped at coarse ``record_dt_ms``).
    ia_rate, ib_rate : ndarray
        Discharge of the spindle Ia and tendon-organ Ib afferents, Hz, on ``time`` (before
        their conduction delay to the spinal cord).
    metabolite : ndarray
        Myoplasmic inorganic phosphate, mM, pool mean weighted by force share (the fatigue
        marker; ~3 mM at rest, up to ~30 mM in fatigue; Allen et al. 2008).
    emg_time, emg : ndarray
        Synthetic surface EMG, mV, sampled at ``musclesim.emg.EMG_RATE_HZ`` (see
        :mod:`musclesim.emg`). Synthesised from ``muscle_ap_times`` and ``metabolite``
        when first read (``metrics()`` and ``plot.compare`` read it), then kept.
    recorded_units : tuple of int
        Units whose voltage was recorded (0 = smallest).
    spike_times : list of ndarray
        Motor-neuron spike times of every unit, s.
    muscle_ap_times : list of ndarray
        Times at which each unit's muscle fibres fired an action potential, s (spikes that
        crossed the junction, after the conduction delay, plus nerve stimuli).
    method : str
        ``"fixed"`` or ``"reference"``.
    dt_ms : float
        Time step of the fixed-step engine, ms.
    version : str
        musclesim version that produced the result.
    """

    scenario: Scenario
    time: np.ndarray
    force: np.ndarray
    calcium: np.ndarray
    voltage: np.ndarray
    ia_rate: np.ndarray
    ib_rate: np.ndarray
    metabolite: np.ndarray
    recorded_units: tuple[int, ...]
    spike_times: list[np.ndarray]
    muscle_ap_times: list[np.ndarray]
    method: str
    dt_ms: float
    version: str = field(default=__version__)

    @classmethod
    def from_engine(
        cls, sc: Scenario, out: EngineOutput, rec: tuple[int, ...], method: str, dt_ms: float
    ) -> Result:
        """Wrap raw engine output (ms) as a Result (s)."""
        return cls(
            scenario=sc,
            time=_read_only(out.time_ms / 1000.0),
            force=_read_only(out.force),
            calcium=_read_only(out.calcium),
            voltage=_read_only(out.voltage),
            ia_rate=_read_only(out.ia_hz),
            ib_rate=_read_only(out.ib_hz),
            metabolite=_read_only(out.pi_mM),
            recorded_units=rec,
            spike_times=[_read_only(s / 1000.0) for s in out.spikes_ms],
            muscle_ap_times=[_read_only(s / 1000.0) for s in out.muscle_aps_ms],
            method=method,
            dt_ms=dt_ms,
        )

    @cached_property
    def _emg_trace(self) -> tuple[np.ndarray, np.ndarray]:
        # Synthesised on first use and kept: classification, force plots and CSV export
        # never read the EMG, so a run used only for them does not pay for it.
        t, v = synthesize_emg(self.scenario, self.muscle_ap_times, self.time, self.metabolite)
        return _read_only(t), _read_only(v)

    @property
    def emg_time(self) -> np.ndarray:
        """Sample times of the synthetic surface EMG, s (``musclesim.emg.EMG_RATE_HZ``)."""
        return self._emg_trace[0]

    @property
    def emg(self) -> np.ndarray:
        """Synthetic surface EMG, mV, on ``emg_time`` (see :mod:`musclesim.emg`)."""
        return self._emg_trace[1]

    @property
    def passive_tension(self) -> np.ndarray:
        """Passive tension of the stretched muscle at ``time``, fraction of maximal force.

        ``force`` is the tension at the tendon: active force plus this passive part, which
        grows steeply above optimal length (``ReflexParams.passive_scale/shape``) and can
        exceed 1 in a forcible stretch.
        """
        sc = self.scenario
        rp = sc.reflex
        length, _ = length_trace(sc, np.asarray(self.time, dtype=float) * 1000.0)
        # The engine's own (compiled, scalar) passive-tension function, so the two agree.
        out = np.zeros(length.shape)
        for k in np.flatnonzero(length > 1.0):
            out[k] = passive_tension(length[k], rp.passive_scale, rp.passive_shape)
        return out

    @property
    def active_force(self) -> np.ndarray:
        """Force made by the cross-bridges (``force`` minus ``passive_tension``), fraction
        of maximal force: what the motor units contribute."""
        return np.asarray(self.force) - self.passive_tension

    @property
    def active_units(self) -> int:
        """Number of motor units that fired at least one spike."""
        return int(sum(s.size > 0 for s in self.spike_times))

    @cached_property
    def _metrics(self) -> Metrics:
        return compute_metrics(self)

    def metrics(self) -> Metrics:
        """Summary numbers (onset, peak, duration, rates, variability, the involuntary
        contraction); see ``Metrics``. Computed on first call and kept, so the command
        line, the CSV header and the comparison figure all show the same numbers."""
        return self._metrics

    def _columns(self, what: str = "traces") -> dict[str, tuple[np.ndarray, str]]:
        """Columns of an export: name (with its unit) → (values, meaning)."""
        if what == "traces":
            cols = {
                "time_s": (self.time, "time, s"),
                "force_pct_max": (100.0 * np.asarray(self.force),
                                  "force at the tendon (active + passive), % of maximal "
                                  "isometric tetanic force"),
                "active_force_pct_max": (100.0 * self.active_force,
                                         "force of the cross-bridges (passive tension of a "
                                         "stretch left out), % of maximal"),
                "ca_uM": (self.calcium, "free myoplasmic Ca2+, pool mean weighted by force "
                                        "share, µM"),
                "ia_rate_hz": (self.ia_rate, "spindle Ia afferent discharge, Hz"),
                "ib_rate_hz": (self.ib_rate, "tendon-organ Ib afferent discharge, Hz"),
                "pi_mM": (self.metabolite, "myoplasmic inorganic phosphate (fatigue), mM"),
            }  # fmt: skip
            for k, u in enumerate(self.recorded_units):
                cols[f"voltage_unit{u}_mV"] = (
                    self.voltage[:, k],
                    f"membrane potential of motor neuron {u}, mV",
                )
            return cols
        if what == "spikes":
            units = np.concatenate([np.full(s.size, u) for u, s in enumerate(self.spike_times)]
                                   or [np.zeros(0)])  # fmt: skip
            times = np.concatenate([np.asarray(s) for s in self.spike_times] or [np.zeros(0)])
            order = np.lexsort((units, times))  # by time, then unit
            return {
                "unit": (units[order].astype(np.int64), "motor unit, 0 = smallest"),
                "time_s": (times[order], "motor-neuron spike time, s"),
            }
        if what == "emg":
            return {
                "time_s": (self.emg_time, "time, s"),
                "emg_mV": (self.emg, "synthetic surface EMG, mV"),
            }
        raise ValueError(f"what = {what!r}; valid values: 'traces', 'spikes', 'emg'")

    def to_dataframe(self, what: str = "traces") -> pd.DataFrame:
        """A table of the result, with the columns of :meth:`to_csv` (units in their names).

        Parameters
        ----------
        what : {"traces", "spikes", "emg"}
            ``"traces"``: one row per sample: ``time_s``, ``force_pct_max`` (force at the
            tendon, % of maximal), ``active_force_pct_max``, ``ca_uM``, ``ia_rate_hz``,
            ``ib_rate_hz``, ``pi_mM`` and ``voltage_unit<N>_mV`` per recorded unit.
            ``"spikes"``: one row per motor-neuron spike, ``unit`` and ``time_s``, in time
            order. ``"emg"``: ``time_s`` and ``emg_mV`` at the EMG sampling rate.

        Returns
        -------
        pandas.DataFrame
            ``attrs`` holds the musclesim version, the scenario (its repr, and
            ``attrs["scenario_dict"]`` for ``Scenario.from_dict``) and each column's
            meaning (``attrs["columns"]``).
        """
        # pandas is imported on first use: it adds ~0.25 s that `import musclesim` need not pay.
        import pandas as pd

        cols = self._columns(what)
        df = pd.DataFrame({k: v for k, (v, _) in cols.items()})
        df.attrs["musclesim_version"] = self.version
        df.attrs["scenario"] = repr(self.scenario)
        df.attrs["scenario_dict"] = self.scenario.to_dict()
        df.attrs["columns"] = {k: meaning for k, (_, meaning) in cols.items()}
        return df

    def to_csv(self, path: str | Path, what: str = "traces") -> Path:
        """Write the traces (or the spikes, or the EMG) to CSV with a commented header.

        The header lines (``#``) give the musclesim version, integration method and time
        step, the scenario name and seed, the whole scenario as one line of JSON
        (``# scenario_json: {...}``, which ``Scenario.from_csv_header(path)`` reads back),
        each column with its meaning and unit, and, for the traces, the result's metrics
        (``Result.metrics()``, as ``musclesim run`` prints them) and the scenario as TOML
        (remove the ``# `` to get a file ``musclesim run`` accepts). Then one line of
        column names, units in each (``time_s``, ``force_pct_max``, ``ca_uM`` ...).

        Parameters
        ----------
        path : str or Path
            File to write (UTF-8).
        what : {"traces", "spikes", "emg"}
            Which table (see :meth:`to_dataframe`).

        Returns
        -------
        Path
            The path written.
        """
        path = Path(path)
        cols = self._columns(what)
        scenario_json = json.dumps(self.scenario.to_dict(), ensure_ascii=False, allow_nan=False)
        buf = io.StringIO()
        buf.write(f"# musclesim {self.version}; method={self.method}; dt_ms={self.dt_ms}\n")
        buf.write(f"# scenario={self.scenario.name}; seed={self.scenario.seed}\n")
        buf.write(f"{CSV_SCENARIO_PREFIX}{scenario_json}\n")
        buf.write("# columns:\n")
        for name, (_, meaning) in cols.items():
            buf.write(f"#   {name}: {meaning}\n")
        if what == "traces":
            buf.write("# metrics (Result.metrics(), as 'musclesim run' prints them):\n")
            for line in metric_lines(self.metrics()):
                buf.write(f"#   {line}\n")
            buf.write("# scenario as TOML (without the leading '# ', a file 'musclesim run' "
                      "accepts):\n")  # fmt: skip
            for line in dumps(self.scenario.to_dict()).splitlines():
                buf.write(f"# {line}".rstrip() + "\n")
        buf.write(",".join(cols) + "\n")
        # Time with 12 significant digits (exact to the 0.025-ms step up to 3600 s); the
        # traces with 6, well below the model's accuracy; unit numbers as integers.
        fmts = {"time_s": "%.12g", "unit": "%d"}
        fmt = [fmts.get(name, "%.6g") for name in cols]
        np.savetxt(buf, np.column_stack([v for v, _ in cols.values()]), delimiter=",", fmt=fmt)
        path.write_text(buf.getvalue(), encoding="utf-8")
        return path

    def __repr__(self) -> str:
        return (
            f"Result(scenario={self.scenario.name!r}, duration_s={self.scenario.duration_s}, "
            f"n_units={len(self.spike_times)}, active_units={self.active_units}, "
            f"peak_force={float(self.force.max(initial=0.0)):.3f}, method={self.method!r})"
        )


def _read_only(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    a.setflags(write=False)
    return a
