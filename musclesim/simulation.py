"""``simulate``: turn a Scenario into engine arrays, run an integrator, wrap a Result.

Data flow is one way: scenario (what) and protocols (when) → engine arrays
(:mod:`musclesim.inputs`) → integrator (:mod:`musclesim.engine`) →
:class:`~musclesim.result.Result`.
"""

from __future__ import annotations

import numpy as np

from . import engine as E
from ._cache import call_healing
from ._memory import check_run_memory
from ._validation import check_real
from .errors import SimulationError
from .inputs import build_engine_input
from .presets import scenario as preset
from .progress import simulation_bar, wanted
from .result import Result
from .scenarios import Scenario


def simulate(
    scenario: Scenario | str = "normal",
    *,
    dt_ms: float = 0.025,
    record_dt_ms: float = 1.0,
    record_units: tuple[int, ...] = (0,),
    method: str = "fixed",
    progress: bool | None = None,
    **changes: object,
) -> Result:
    """Run a scenario and return its :class:`~musclesim.Result`.

    Parameters
    ----------
    scenario : Scenario or str
        A scenario, or the name of a preset (see :func:`musclesim.scenario_names`).
    dt_ms : float
        Time step of the fixed-step engine, ms (0.001–0.1). The default 0.025 ms resolves
        the ~0.5-ms rise of a spike at 37 °C.
    record_dt_ms : float
        Sampling interval of the continuous traces (force, Ca, voltage), ms (0.025–100).
    record_units : tuple of int
        Units (0 = smallest) whose membrane potential is recorded.
    method : {"fixed", "reference"}
        ``"fixed"``: the compiled fixed-step engine. ``"reference"``: scipy ``solve_ivp``
        (Radau) on the same equations; slow, for checking.
    progress : bool or None
        Show progress (:mod:`musclesim.progress`): the first compile says so, and a run
        longer than ~2 s shows simulated time. None (default): only when standard error is
        a terminal or in a notebook; False silences it. Fixed-step engine only.
    **changes
        Scenario fields to change first, e.g. ``duration_s=30.0, seed=2``.

    Returns
    -------
    Result

    Raises
    ------
    ValueError
        For an argument outside its range, or a run whose estimated memory exceeds the
        limit (half the available memory, or ``$MUSCLESIM_MEMORY_LIMIT_MB``; see
        ``docs/reliability.md``): the message gives the estimate and how to lower it.
    SimulationError
        If the integration diverges (the message names the scenario, the time, the unit
        and the state variable).
    """
    sc = preset(scenario) if isinstance(scenario, str) else scenario
    if not isinstance(sc, Scenario):
        raise TypeError(f"scenario must be a Scenario or a preset name; got {type(sc).__name__}")
    if changes:
        sc = sc.replace(**changes)
    dt = check_real("dt_ms", dt_ms, "ms", 0.001, 0.1, "fixed time step")
    per_ms = 1.0 / dt
    if abs(per_ms - round(per_ms)) > 1e-9 * per_ms:
        raise ValueError(
            f"dt_ms = {dt_ms!r} ms must divide 1 ms into whole steps (e.g. 0.025, 0.0125, 0.01), "
            f"because inputs change once per millisecond"
        )
    rdt = check_real("record_dt_ms", record_dt_ms, "ms", 0.025, 100.0, "trace sampling interval")
    if rdt < dt:
        raise ValueError(f"record_dt_ms = {rdt} ms must not be shorter than dt_ms = {dt} ms")
    per_step = rdt / dt
    if abs(per_step - round(per_step)) > 1e-9 * per_step:
        raise ValueError(
            f"record_dt_ms = {record_dt_ms!r} ms must be a whole number of steps of dt_ms = "
            f"{dt} ms (e.g. {round(per_step) * dt:g} or {(round(per_step) + 1) * dt:g} ms); "
            f"traces are sampled at step ends, never interpolated"
        )
    if round(sc.duration_s * 1000.0 / dt) < round(per_step):
        raise ValueError(
            f"duration_s = {sc.duration_s!r} s is shorter than one sample (record_dt_ms = "
            f"{rdt:g} ms): the result would hold no samples"
        )
    if not isinstance(record_units, tuple | list):
        raise TypeError(f"record_units must be a tuple of unit indices; got {record_units!r}")
    for u in record_units:
        if isinstance(u, bool) or not isinstance(u, int | np.integer) or not 0 <= u < sc.n_units:
            raise ValueError(
                f"record_units contains {u!r}; unit indices run from 0 to {sc.n_units - 1}"
            )
    if len(set(int(u) for u in record_units)) != len(record_units):
        raise ValueError(f"record_units = {tuple(record_units)!r} names a unit twice; each "
                         f"recorded unit is one column of Result.voltage")  # fmt: skip
    if method not in ("fixed", "reference"):
        raise ValueError(f"method = {method!r}; valid methods: 'fixed', 'reference'")
    rec = np.asarray(record_units, dtype=np.int64)
    irritated = sc.irritation > 0.0 or any(
        iv.irritation_target is not None for iv in sc.interventions
    )
    check_run_memory(sc.name, sc.duration_s, sc.n_units, len(record_units), rdt,
                     fatigue=sc.fatigue > 0.0, irritation=irritated)  # fmt: skip

    show = wanted(progress) and method == "fixed"

    def run() -> E.EngineOutput:
        inp = build_engine_input(sc)
        if method == "fixed":
            if not show:  # one compiled call for the whole run
                return E.run_fixed_step(inp, dt, rdt, rec, sc.name)
            update, close = simulation_bar(sc.name, sc.duration_s, True)
            try:
                return E.run_fixed_step(inp, dt, rdt, rec, sc.name, progress=update)
            finally:
                close()
        return E.run_reference(inp, rdt, rec, sc.name)

    # A cached kernel that cannot be loaded is removed and compiled again (one warning).
    out = call_healing(run)
    _check_finite(out, sc.name)
    return Result.from_engine(sc, out, tuple(int(u) for u in record_units), method, dt)


#: Traces of an engine output, with what each is, for the message of a non-finite one.
_TRACES = {
    "force": "pool force (fibre force × force–length–velocity scale + passive tension)",
    "calcium": "pool mean free Ca",
    "voltage": "membrane potential of a recorded unit",
    "ia_hz": "spindle Ia rate",
    "ib_hz": "tendon-organ Ib rate",
    "pi_mM": "pool Pi",
}


def _check_finite(out: E.EngineOutput, label: str) -> None:
    """Raise SimulationError if a recorded trace holds a non-finite value.

    The kernels stop on a non-finite unit state; this catches what is computed for the
    pool as a whole (the reflex loop's mechanics), so that no NaN or inf reaches a Result.
    """
    for name, meaning in _TRACES.items():
        trace = np.asarray(getattr(out, name))
        bad = ~np.isfinite(trace)
        if bad.any():
            k = int(np.argmax(bad.reshape(trace.shape[0], -1).any(axis=1)))
            t_s = float(out.time_ms[k]) / 1000.0
            raise SimulationError(
                f"scenario {label!r}: {name} ({meaning}) is not finite from t = {t_s:.4f} s; "
                f"no result is returned. Every parameter was inside its documented range; "
                f"please report the scenario",
                scenario=label, time_s=t_s, variable=name,
            )  # fmt: skip
