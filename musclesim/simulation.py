"""``simulate``: turn a Scenario into engine arrays, run an integrator, wrap a Result.

Data flow is one way: scenario (what) and protocols (when) → engine arrays
(:mod:`musclesim.inputs`) → integrator (:mod:`musclesim.engine`) →
:class:`~musclesim.result.Result`.
"""

from __future__ import annotations

import numpy as np

from . import engine as E
from ._validation import check_real
from .inputs import build_engine_input
from .presets import scenario as preset
from .result import Result
from .scenarios import Scenario


def simulate(
    scenario: Scenario | str = "normal",
    *,
    dt_ms: float = 0.025,
    record_dt_ms: float = 1.0,
    record_units: tuple[int, ...] = (0,),
    method: str = "fixed",
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
    **changes
        Scenario fields to change first, e.g. ``duration_s=30.0, seed=2``.

    Returns
    -------
    Result

    Raises
    ------
    SimulationError
        If the integration diverges (the message names the scenario and the time).
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
    if not isinstance(record_units, tuple | list):
        raise TypeError(f"record_units must be a tuple of unit indices; got {record_units!r}")
    for u in record_units:
        if isinstance(u, bool) or not isinstance(u, int | np.integer) or not 0 <= u < sc.n_units:
            raise ValueError(
                f"record_units contains {u!r}; unit indices run from 0 to {sc.n_units - 1}"
            )
    inp = build_engine_input(sc)
    rec = np.asarray(record_units, dtype=np.int64)
    if method == "fixed":
        out = E.run_fixed_step(inp, dt, rdt, rec, sc.name)
    elif method == "reference":
        out = E.run_reference(inp, rdt, rec, sc.name)
    else:
        raise ValueError(f"method = {method!r}; valid methods: 'fixed', 'reference'")
    return Result.from_engine(sc, out, tuple(int(u) for u in record_units), method, dt)
