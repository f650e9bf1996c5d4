"""``simulate``: turn a Scenario into engine arrays, run an integrator, wrap a Result.

Data flow is one way: scenario (what) and protocols (when) → engine arrays → integrator →
:class:`~musclesim.result.Result`.
"""

from __future__ import annotations

import numpy as np

from . import engine as E
from ._validation import check_real
from .contraction import fibre_rest_state, muscle_excitable
from .electrolytes import (
    MOTOR_NEURON_INSIDE,
    gating_shift_mV,
    k_conductance_scale,
    nmj_release_factor,
    reversal_potentials,
)
from .neuron import gate_rates
from .pool import pool_properties, unit_fibre_params
from .result import Result
from .scenarios import Scenario

#: NMJ safety factor: the end-plate potential normally exceeds the muscle fibre's threshold
#: about 3–5 times (Wood & Slater 2001, Prog Neurobiol 64:393); transmission fails only when
#: transmitter release falls below 1/3 of normal (e.g. high Mg, very low Ca).
NMJ_SAFETY_FACTOR = 4.0

#: Time constant of the background synaptic noise, ms (teaching choice: ~5 ms, the decay of
#: fast glutamatergic synaptic currents).
NOISE_TAU_MS = 5.0


def build_engine_input(sc: Scenario) -> E.EngineInput:
    """Translate a scenario into the arrays both integrators read."""
    el = sc.electrolytes
    rev = reversal_potentials(el, MOTOR_NEURON_INSIDE, sc.temperature_C)
    n_ms = int(np.ceil(sc.duration_s * 1000.0 / E.INPUT_DT_MS)) + 1
    t_ms = np.arange(n_ms) * E.INPUT_DT_MS
    inputs = np.zeros((n_ms, E.N_INPUTS))
    if sc.drive is not None:
        inputs[:, E.IN_DRIVE_NA] = sc.drive.sample(t_ms)
    inputs[:, E.IN_SHIFT_MV] = gating_shift_mV(el)
    inputs[:, E.IN_E_NA] = rev.E_Na
    inputs[:, E.IN_E_K] = rev.E_K
    inputs[:, E.IN_K_SCALE] = k_conductance_scale(el)
    inputs[:, E.IN_E_CL] = rev.E_Cl
    inputs[:, E.IN_G_INH] = 0.0
    excitable = muscle_excitable(el, sc.temperature_C)
    inputs[:, E.IN_MUSCLE_OK] = float(excitable)
    transmits = nmj_release_factor(el) * NMJ_SAFETY_FACTOR >= 1.0
    inputs[:, E.IN_NMJ_OK] = float(transmits and excitable)
    if sc.length is None:
        inputs[:, E.IN_LENGTH] = 1.0
    else:
        inputs[:, E.IN_LENGTH] = sc.length.sample(t_ms)
        inputs[:, E.IN_VELOCITY] = sc.length.velocity(t_ms)

    props = pool_properties(sc.n_units, sc.pool)
    fibres = unit_fibre_params(props, sc.fibre)
    n = sc.n_units
    p = sc.neuron
    upar = np.zeros((n, E.N_UNIT_PARAMS))
    upar[:, E.U_AREA] = props.area_cm2
    upar[:, E.U_GPIC] = p.g_pic_mS_cm2 * props.pic_scale
    upar[:, E.U_GAHP] = p.g_ahp_mS_cm2
    upar[:, E.U_TAUAHP] = props.tau_ahp_ms
    upar[:, E.U_AHPRATE] = p.ahp_ca_per_ms
    upar[:, E.U_KDAHP] = p.kd_ahp
    upar[:, E.U_DELAY] = props.delay_ms
    upar[:, E.U_WEIGHT] = props.force_weight
    stim_times = np.zeros(0)
    if sc.stimulus is not None:
        stim_times = sc.stimulus.times_ms()
        # Electrical threshold falls with axon size: a stimulus of strength a excites the
        # largest fraction a of the axons (see protocols.Stimulus).
        upar[:, E.U_STIM] = (np.arange(n)[::-1] + 0.5) / n <= sc.stimulus.amplitude + 1e-12
    gpar = np.zeros(E.N_GLOBAL)
    gpar[E.G_CM] = p.c_m_uF_cm2
    gpar[E.G_NA] = p.g_na_mS_cm2
    gpar[E.G_K] = p.g_k_mS_cm2
    gpar[E.G_LK] = p.g_leak_k_mS_cm2
    gpar[E.G_LNA] = p.g_leak_na_mS_cm2
    fpar = np.vstack([f.as_array() for f in fibres])
    sn0 = _neuron_rest_state(sc, inputs[0], upar)
    sf0 = np.vstack([fibre_rest_state(f) for f in fibres])
    noise = _background_noise(sc, n_ms)
    return E.EngineInput(
        duration_ms=sc.duration_s * 1000.0, gpar=gpar, upar=upar, fpar=fpar,
        rpar=sc.reflex.as_array(), inputs=inputs,
        noise=noise, stim_times_ms=stim_times, neuron_params=p,
        temperature_C=sc.temperature_C, sn0=sn0, sf0=sf0,
    )  # fmt: skip


def _background_noise(sc: Scenario, n_ms: int) -> np.ndarray:
    """Ornstein–Uhlenbeck synaptic noise, µA/cm², one column per unit, sampled per ms."""
    sd = sc.synaptic_noise_uA_cm2
    out = np.zeros((n_ms, sc.n_units), dtype=np.float32)
    if sd == 0.0:
        return out
    rng = np.random.default_rng(sc.seed)
    a = np.exp(-E.INPUT_DT_MS / NOISE_TAU_MS)
    kicks = rng.standard_normal((n_ms, sc.n_units)) * sd * np.sqrt(1.0 - a * a)
    x = rng.standard_normal(sc.n_units) * sd
    from scipy.signal import lfilter

    out[:] = lfilter([1.0], [1.0, -a], kicks, axis=0, zi=(a * x)[None, :])[0]
    return out


def _neuron_rest_state(sc: Scenario, row: np.ndarray, upar: np.ndarray) -> np.ndarray:
    """Resting membrane state: solve the steady-state current balance for V by bisection.

    Hyperkalaemia or hypocalcaemia move rest; starting the run at the true rest avoids a
    spurious transient at t = 0. With a PIC the balance can have several roots (the
    bistable cell); the lowest (quiescent) one is taken.
    """
    p = sc.neuron
    n = sc.n_units
    out = np.zeros((n, E.N_NEURON_STATES))
    v_grid = np.arange(-120.0, 0.0, 0.05)
    rates = gate_rates(v_grid - row[E.IN_SHIFT_MV], p)
    m, h, nn, pic = (rates[k][0] for k in ("m", "h", "n", "pic"))
    ks = row[E.IN_K_SCALE]
    # Steady-state currents shared by every unit; only the PIC density and the injected
    # current density differ between units.
    i_na = (p.g_na_mS_cm2 * m**3 * h + p.g_leak_na_mS_cm2) * (v_grid - row[E.IN_E_NA])
    i_k = (p.g_k_mS_cm2 * ks * nn**4 + p.g_leak_k_mS_cm2 * ks) * (v_grid - row[E.IN_E_K])
    for i in range(n):
        i_ion = (
            i_na
            + i_k
            + upar[i, E.U_GPIC] * pic * (v_grid - row[E.IN_E_NA])
            - row[E.IN_DRIVE_NA] * 1e-3 / upar[i, E.U_AREA]
        )
        k = np.flatnonzero((i_ion[:-1] < 0.0) & (i_ion[1:] >= 0.0))
        v0 = v_grid[k[0]] if k.size else -70.0
        r0 = gate_rates(np.array([v0 - row[E.IN_SHIFT_MV]]), p)
        out[i] = [v0, r0["m"][0][0], r0["h"][0][0], r0["n"][0][0], r0["pic"][0][0], 0.0]
    return out


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
    from .presets import scenario as preset

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
