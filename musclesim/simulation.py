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
from .neuron import drive_density, drive_split, gate_rates
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


def _set_electrolyte_channels(inputs: np.ndarray, rows: slice, el, temperature_C: float) -> None:
    """Fill the ion-dependent input channels of ``rows`` from plasma values ``el``."""
    rev = reversal_potentials(el, MOTOR_NEURON_INSIDE, temperature_C)
    inputs[rows, E.IN_SHIFT_MV] = gating_shift_mV(el)
    inputs[rows, E.IN_E_NA] = rev.E_Na
    inputs[rows, E.IN_E_K] = rev.E_K
    inputs[rows, E.IN_K_SCALE] = k_conductance_scale(el)
    inputs[rows, E.IN_E_CL] = rev.E_Cl
    excitable = muscle_excitable(el, temperature_C)
    inputs[rows, E.IN_MUSCLE_OK] = float(excitable)
    transmits = nmj_release_factor(el) * NMJ_SAFETY_FACTOR >= 1.0
    inputs[rows, E.IN_NMJ_OK] = float(transmits and excitable)


#: Fatigue (0–1) adds fusimotor drive of FUSIMOTOR_HZ_PER_FATIGUE·fatigue Hz per unit active
#: force to the spindles (metabolite-sensitive afferents excite gamma motor neurons;
#: Ljubisavljevic et al. 1992, cat) and multiplies tendon-organ discharge by
#: 1 − IB_PER_FATIGUE·fatigue (Hutton & Nelson 1986 found fatigue raised spindle and lowered
#: tendon-organ activity). Sizes are teaching choices: with them a fatigued, shortened
#: muscle can hold a self-sustained discharge after a strong contraction (the cramp), a
#: fresh one cannot. The loop gain is this drive times the force a unit's rate buys:
#: 120 Hz was set (from 300) when the fibres' force–frequency curve moved to the human
#: range (half force at ~14 Hz instead of ~21 Hz), which keeps the thresholds where they
#: were (measured, seed 0): after the cramp preset's trigger fatigue 0.6 leaves no firing
#: after 9 s and 0.7 cramps; the trigger table's bench (fatigue 0.5, 30 nA) relaxes, as
#: with 300 Hz before (at 160 Hz it after-discharged for ~1.3 s).
FUSIMOTOR_HZ_PER_FATIGUE = 120.0
IB_PER_FATIGUE = 0.6
#: Tendon slack: below optimal length the tendon-organ discharge per unit tension falls by
#: TENDON_SLACK_PER_L0 per L0 of shortening (×0.7 at 0.9 L0). The cramp hypothesis holds
#: that tendon organs are less active when a muscle contracts in a shortened position
#: (Schwellnus 2009), and human muscle–tendon units fall slack at short lengths (Herbert
#: et al. 2002, J Physiol 539:637). Teaching choice for the size.
TENDON_SLACK_PER_L0 = 3.0
#: A fatigued muscle that contracts sends a noisy barrage of small-afferent input to its
#: motor neurons: an Ornstein–Uhlenbeck current of SD
#: AFFERENT_NOISE_UA_CM2·fatigue·√(active force), µA/cm² (τ NOISE_TAU_MS). Discharge
#: variability rises in fatigue (Contessa, Adam & De Luca 2009, J Appl Physiol 107:235);
#: the size is a teaching choice that brings the ISI CV of the cramp preset near the
#: ~45 % recorded in cramps (Minetto et al. 2009), so that number is a calibration, not a
#: prediction.
AFFERENT_NOISE_UA_CM2 = 12.0
#: Pi (mM above rest) at the start of a run with fatigue 1: a muscle that has worked hard
#: (Allen et al. 2008: Pi reaches ~20–30 mM in fatigue; teaching choice 15 mM).
PI_PER_FATIGUE_MM = 15.0
#: Nerve irritation (0–1) gives each affected motor neuron an Ornstein–Uhlenbeck current
#: density of mean IRRITATION_MEAN·irritation and SD IRRITATION_SD·irritation (µA/cm²),
#: correlation time IRRITATION_TAU_MS: a noisy, ectopic depolarising drive. As a density it
#: reaches small and large units alike (ectopic excitation of an irritated nerve is not
#: ordered by size). Teaching choice: the fluctuations (SD) dominate the mean, so units
#: fire irregularly when the noise crosses threshold, the way ectopic discharges do, and the
#: spasm preset (irritation 0.6 reaching half the pool) gives ~3 Hz, ISI CV > 1 and a
#: moderate (~5–10 %), unfused force.
IRRITATION_MEAN_UA_CM2 = 0.6
IRRITATION_SD_UA_CM2 = 1.2
IRRITATION_TAU_MS = 50.0
#: Inhibitory conductance added by heat and by massage at full effect, mS/cm². Teaching
#: choice: both are thought to act partly through afferent inhibition of the motor pool
#: (cutaneous and muscle afferents; e.g. Weerapong et al. 2005, Sports Med 35:235 for
#: massage); 0.01 mS/cm² (~12 % of the K leak) lowers spasm firing without silencing a
#: voluntary contraction. Their main effect here is on irritation (see interventions).
HEAT_INHIBITION_MS_CM2 = 0.01
#: A relaxant (baclofen-like) also halves the fatigue-driven fusimotor drive: GABA-B
#: agonists depress spinal reflex excitation, including the spindle pathway (teaching
#: choice for the size: a half).
RELAXANT_FUSIMOTOR_CUT = 0.5


def _ramp(t_ms: np.ndarray, at_s: float, over_s: float) -> np.ndarray:
    """0 before ``at_s``, rising linearly to 1 over ``over_s``, then 1."""
    return np.clip((t_ms / 1000.0 - at_s) / over_s, 0.0, 1.0)


def build_engine_input(sc: Scenario) -> E.EngineInput:
    """Translate a scenario (causes, protocol, interventions) into the engine's arrays."""
    el = sc.electrolytes
    n_ms = int(np.ceil(sc.duration_s * 1000.0 / E.INPUT_DT_MS)) + 1
    t_ms = np.arange(n_ms) * E.INPUT_DT_MS
    inputs = np.zeros((n_ms, E.N_INPUTS))
    if sc.drive is not None:
        inputs[:, E.IN_DRIVE_NA] = sc.drive.sample(t_ms)
    _set_electrolyte_channels(inputs, slice(None), el, sc.temperature_C)
    # IN_IA_MULT carries the extra fusimotor drive of fatigue, Hz per unit active force.
    inputs[:, E.IN_IA_MULT] = FUSIMOTOR_HZ_PER_FATIGUE * sc.fatigue
    inputs[:, E.IN_IB_MULT] = 1.0 - IB_PER_FATIGUE * sc.fatigue
    inputs[:, E.IN_LENGTH], inputs[:, E.IN_VELOCITY] = length_trace(sc, t_ms)
    irritation = irritation_level(sc, t_ms)
    for iv in sc.interventions:
        ramp = _ramp(t_ms, iv.at_s, iv.over_s)
        if iv.kind in ("heat", "massage"):
            inputs[:, E.IN_G_INH] += HEAT_INHIBITION_MS_CM2 * ramp
        elif iv.kind == "relaxant":
            inputs[:, E.IN_G_INH] += iv.amount * ramp
            inputs[:, E.IN_IA_MULT] *= 1.0 - RELAXANT_FUSIMOTOR_CUT * ramp
        elif iv.kind == "quinine":
            inputs[:, E.IN_G_INH] += iv.amount * ramp
        elif iv.kind == "rest":
            inputs[t_ms >= iv.at_s * 1000.0, E.IN_DRIVE_NA] = 0.0

    # Plasma changes apply in time order, each starting from the plasma of that moment.
    plasma = el
    changes = sorted((iv for iv in sc.interventions if iv.kind in ("replete", "electrolytes")),
                     key=lambda iv: iv.at_s)  # fmt: skip
    for iv in changes:
        plasma = _apply_repletion(inputs, t_ms, sc, iv, plasma)
    # Voluntary drive turns Ib inhibition down (ReflexParams.ib_voluntary_half_nA); after
    # "rest" has cut the drive, the gate follows the drive actually applied.
    inputs[:, E.IN_IB_GATE] = 1.0 / (1.0 + np.maximum(inputs[:, E.IN_DRIVE_NA], 0.0)
                                     / sc.reflex.ib_voluntary_half_nA)  # fmt: skip
    length = inputs[:, E.IN_LENGTH]
    inputs[:, E.IN_IB_MULT] *= np.clip(1.0 + TENDON_SLACK_PER_L0 * np.minimum(length - 1.0, 0.0),
                                       0.0, 1.0)  # fmt: skip
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
    gpar[E.G_PUMP_PER_SPIKE] = p.pump_uA_cm2_per_spike
    gpar[E.G_PUMP_KEEP] = np.exp(-E.INPUT_DT_MS / p.pump_tau_ms)
    gpar[E.G_AFF_NOISE] = AFFERENT_NOISE_UA_CM2 * sc.fatigue
    gpar[E.G_DAP_PER_MV] = p.dap_mS_cm2_per_mV
    gpar[E.G_DAP_TAU] = p.dap_tau_ms
    gpar[E.G_DRIVE_SAT] = p.drive_saturation_uA_cm2
    fpar = np.vstack([f.as_array() for f in fibres])
    sn0 = _neuron_rest_state(sc, inputs[0], upar)
    sf0 = np.vstack([fibre_rest_state(f) for f in fibres])
    sf0[:, 7] += PI_PER_FATIGUE_MM * sc.fatigue  # a fatigued muscle starts with Pi raised
    noise = _background_noise(sc, n_ms)
    noise += _irritation_current(sc, irritation)
    if sc.fatigue > 0.0:
        # Second half of the columns: unit-variance noise the engine scales by the
        # fatigue-afferent SD of each block (it depends on the force, known only then).
        noise = np.ascontiguousarray(np.hstack([noise, _unit_ou(sc, n_ms, 23)]))
    return E.EngineInput(
        duration_ms=sc.duration_s * 1000.0, gpar=gpar, upar=upar, fpar=fpar,
        rpar=sc.reflex.as_array(), inputs=inputs,
        noise=noise, stim_times_ms=stim_times, neuron_params=p,
        temperature_C=sc.temperature_C, sn0=sn0, sf0=sf0,
    )  # fmt: skip


def length_trace(sc: Scenario, t_ms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Muscle length (L0) and velocity (L0/s) at times ``t_ms`` (ms, a 1-ms grid): the
    length protocol, then any ``stretch`` interventions."""
    n_ms = t_ms.size
    if sc.length is None:
        length, vel = np.ones(n_ms), np.zeros(n_ms)
    else:
        length, vel = sc.length.sample(t_ms), sc.length.velocity(t_ms)
    for iv in sc.interventions:
        if iv.kind == "stretch":
            ramp = _ramp(t_ms, iv.at_s, iv.over_s)
            start = length.copy()
            k0 = min(int(iv.at_s * 1000.0 / E.INPUT_DT_MS), n_ms - 1)
            new = start[k0] + (iv.amount - start[k0]) * ramp
            after = t_ms >= iv.at_s * 1000.0
            length[after] = new[after]
            vel = np.append(np.diff(length), 0.0) * 1000.0
    return length, vel


def irritation_level(sc: Scenario, t_ms: np.ndarray) -> np.ndarray:
    """Nerve irritation (0–1) at times ``t_ms`` (ms): the scenario's level, moved by
    ``change_irritation`` events in time order, then lowered by heat and massage as they
    take effect."""
    level = np.full(t_ms.size, float(sc.irritation))
    changes = sorted((iv for iv in sc.interventions if iv.kind == "irritation"),
                     key=lambda iv: iv.at_s)  # fmt: skip
    for iv in changes:
        k0 = min(int(iv.at_s * 1000.0 / E.INPUT_DT_MS), t_ms.size - 1)
        start = level[k0]
        after = t_ms >= iv.at_s * 1000.0
        ramp = _ramp(t_ms, iv.at_s, iv.over_s)
        level[after] = (start + (iv.amount - start) * ramp)[after]
    for iv in sc.interventions:
        if iv.kind in ("heat", "massage"):
            level *= 1.0 - iv.amount * _ramp(t_ms, iv.at_s, iv.over_s)
    return level


def _apply_repletion(inputs: np.ndarray, t_ms: np.ndarray, sc: Scenario, iv, start):
    """Move the ion channels linearly from ``start`` (the plasma when ``iv`` begins) to its
    target, in 100-ms steps (the derived quantities change slowly; 100 ms keeps the cost
    small). Returns the target plasma."""
    from .electrolytes import Electrolytes

    target = iv.target or Electrolytes()
    step_ms = 100.0
    t0 = iv.at_s * 1000.0
    n_ms = len(t_ms)
    k = int(t0 / E.INPUT_DT_MS)
    while k < n_ms:
        # Clamped at 0: a repletion starting between two 1-ms samples must not first move
        # the plasma away from its target (found by tests/test_invariants.py).
        frac = min(1.0, max(0.0, (k * E.INPUT_DT_MS - t0) / (iv.over_s * 1000.0)) + 1e-12)
        el = Electrolytes(**{ion: getattr(start, ion) + frac * (getattr(target, ion)
                                                              - getattr(start, ion))
                             for ion in ("Na", "K", "Cl", "Ca", "Mg")})  # fmt: skip
        k1 = n_ms if frac >= 1.0 else min(n_ms, k + int(step_ms / E.INPUT_DT_MS))
        _set_electrolyte_channels(inputs, slice(k, k1), el, sc.temperature_C)
        k = k1
    return target


def _irritation_current(sc: Scenario, level: np.ndarray) -> np.ndarray:
    """Ectopic depolarising current of an irritated nerve, µA/cm², per ms and unit.

    A fraction ``irritation_fraction`` of the units (chosen by the seed) receives an
    Ornstein–Uhlenbeck current whose mean and SD scale with the irritation ``level`` at
    each millisecond (heat or massage lower it).
    """
    n_ms = level.size
    out = np.zeros((n_ms, sc.n_units), dtype=np.float32)
    if float(level.max(initial=0.0)) == 0.0 or sc.irritation_fraction == 0.0:
        return out
    rng = np.random.default_rng([sc.seed, 11])  # independent of the synaptic noise stream
    n_hit = max(1, round(sc.irritation_fraction * sc.n_units))
    hit = np.sort(rng.choice(sc.n_units, size=n_hit, replace=False))
    a = np.exp(-E.INPUT_DT_MS / IRRITATION_TAU_MS)
    from scipy.signal import lfilter

    kicks = rng.standard_normal((n_ms, n_hit)) * np.sqrt(1.0 - a * a)
    x0 = rng.standard_normal(n_hit)
    z = lfilter([1.0], [1.0, -a], kicks, axis=0, zi=(a * x0)[None, :])[0]
    out[:, hit] = level[:, None] * (IRRITATION_MEAN_UA_CM2 + IRRITATION_SD_UA_CM2 * z)
    return out


def _unit_ou(sc: Scenario, n_ms: int, stream: int) -> np.ndarray:
    """Unit-variance Ornstein–Uhlenbeck noise (τ NOISE_TAU_MS), per ms and unit."""
    from scipy.signal import lfilter

    rng = np.random.default_rng([sc.seed, stream])
    a = np.exp(-E.INPUT_DT_MS / NOISE_TAU_MS)
    kicks = rng.standard_normal((n_ms, sc.n_units)) * np.sqrt(1.0 - a * a)
    x0 = rng.standard_normal(sc.n_units)
    z = lfilter([1.0], [1.0, -a], kicks, axis=0, zi=(a * x0)[None, :])[0]
    return z.astype(np.float32)


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
        i_drive, g_drive_inh = drive_split(
            drive_density(row[E.IN_DRIVE_NA], upar[i, E.U_AREA], p.drive_saturation_uA_cm2)
        )
        i_ion = (
            i_na
            + i_k
            + upar[i, E.U_GPIC] * pic * (v_grid - row[E.IN_E_NA])
            + g_drive_inh * (v_grid - row[E.IN_E_CL])
            - i_drive
        )
        k = np.flatnonzero((i_ion[:-1] < 0.0) & (i_ion[1:] >= 0.0))
        v0 = v_grid[k[0]] if k.size else -70.0
        r0 = gate_rates(np.array([v0 - row[E.IN_SHIFT_MV]]), p)
        out[i, : E.NPUMP] = [v0, r0["m"][0][0], r0["h"][0][0], r0["n"][0][0],
                             r0["pic"][0][0], 0.0]  # fmt: skip
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
