"""From a scenario to the engine's input arrays: causes, protocols and treatments in time.

Every input that changes during a run is sampled once per millisecond
(:data:`musclesim.engine.INPUT_DT_MS`): the descending drive, what the plasma ions do to
the membranes (reversal potentials, gating shift, K-conductance scale, junction and fibre
excitability), muscle length and velocity, the fatigue multipliers of the afferents,
added inhibition from treatments, and the per-unit noise and ectopic currents. The
physiology of each input lives in its layer module; this module only lays them out in
time.
"""

from __future__ import annotations

import numpy as np

from . import axon, nmj
from . import engine as E
from .contraction import PI_PER_FATIGUE_MM, fibre_rest_state
from .contraction import STATE as FIBRE_STATE
from .electrolytes import (
    MOTOR_NEURON_INSIDE,
    Electrolytes,
    gating_shift_mV,
    reversal_potentials,
    soma_fluid,
)
from .interventions import Intervention
from .neuron import UNIT_PARAMS, global_params, rest_state, unit_params
from .pool import PoolProperties, pool_properties, unit_fibre_params
from .reflex import (
    AFFERENT_NOISE_REF_AREA_CM2,
    AFFERENT_NOISE_UA_CM2,
    FUSIMOTOR_HZ_PER_FATIGUE,
    IB_PER_FATIGUE,
    tendon_organ_sensitivity,
)
from .sarcolemma import conducting_fraction
from .scenarios import Scenario
from .synapses import (
    NOISE_TAU_MS,
    drive_density,
    ornstein_uhlenbeck,
    shot_noise_sd,
)


def _set_electrolyte_channels(inputs: np.ndarray, rows: slice, el, temperature_C: float) -> None:
    """Fill the ion-dependent input channels of ``rows`` from plasma values ``el``: the
    soma sees CNS fluid (:func:`~musclesim.electrolytes.soma_fluid`), the axon, junction and
    fibres plasma."""
    soma = soma_fluid(el)
    rev = reversal_potentials(soma, MOTOR_NEURON_INSIDE, temperature_C)
    inputs[rows, E.IN_SHIFT_MV] = gating_shift_mV(soma)
    inputs[rows, E.IN_E_NA] = rev.E_Na
    inputs[rows, E.IN_E_K] = rev.E_K
    inputs[rows, E.IN_E_CL] = rev.E_Cl
    # The axon's cytoplasm is the soma's; its outside is plasma, K aside (axon.axon_fluid).
    ax = axon.axon_fluid(el)
    rev_axon = reversal_potentials(ax, MOTOR_NEURON_INSIDE, temperature_C)
    inputs[rows, E.IN_AX_SHIFT_MV] = gating_shift_mV(ax)
    inputs[rows, E.IN_AX_E_NA] = rev_axon.E_Na
    inputs[rows, E.IN_AX_E_K] = rev_axon.E_K
    inputs[rows, E.IN_CONDUCTING] = conducting_fraction(el, temperature_C)
    inputs[rows, E.IN_NMJ_OK] = float(nmj.transmits(el))


def _in_time_order(interventions: tuple[Intervention, ...]) -> list[Intervention]:
    """Interventions sorted by start time (a stable sort: ties keep the listed order)."""
    return sorted(interventions, key=lambda iv: iv.at_s)


def _move_to(trace: np.ndarray, t_ms: np.ndarray, iv: Intervention, target: float) -> np.ndarray:
    """``trace`` moved from its value at ``iv.at_s`` to ``target`` along ``iv.progress``,
    from ``iv.at_s`` on (earlier values unchanged)."""
    k0 = min(int(iv.at_s * 1000.0 / E.INPUT_DT_MS), t_ms.size - 1)
    start = trace[k0]
    moved = trace.copy()
    after = t_ms >= iv.at_s * 1000.0
    moved[after] = (start + (target - start) * iv.progress(t_ms))[after]
    return moved


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
    inputs[:, E.IN_AX_IRR] = irritation_level(sc, t_ms)
    # Each intervention's effect at full strength, scaled by its time course (the protocol
    # of musclesim.interventions; an effect left at its neutral value is skipped).
    for iv in sc.interventions:
        if iv.inhibition_mS_cm2 > 0.0:
            inputs[:, E.IN_G_INH] += iv.inhibition_mS_cm2 * iv.progress(t_ms)
        if iv.fusimotor_cut > 0.0:
            inputs[:, E.IN_IA_MULT] *= 1.0 - iv.fusimotor_cut * iv.progress(t_ms)
        if iv.cuts_drive:
            inputs[t_ms >= iv.at_s * 1000.0, E.IN_DRIVE_NA] = 0.0
        inputs[:, E.IN_IB_ADD] += iv.tendon_afferent_hz(t_ms)

    # Plasma changes apply in time order, each starting from the plasma of that moment.
    plasma = el
    for iv in _in_time_order(sc.interventions):
        if iv.plasma_target is not None:
            plasma = _move_plasma(inputs, t_ms, sc, iv, plasma)
    # Voluntary drive turns Ib inhibition down (ReflexParams.ib_voluntary_half_nA); after
    # "rest" has cut the drive, the gate follows the drive actually applied.
    inputs[:, E.IN_IB_GATE] = 1.0 / (1.0 + np.maximum(inputs[:, E.IN_DRIVE_NA], 0.0)
                                     / sc.reflex.ib_voluntary_half_nA)  # fmt: skip
    length = inputs[:, E.IN_LENGTH]
    inputs[:, E.IN_IB_MULT] *= tendon_organ_sensitivity(length)
    props = pool_properties(sc.n_units, sc.pool)
    fibres = unit_fibre_params(props, sc.fibre)
    n = sc.n_units
    p = sc.neuron
    gpar = global_params(p, E.INPUT_DT_MS)
    upar = np.zeros((n, E.N_UNIT_PARAMS))
    upar[:, : len(UNIT_PARAMS)] = unit_params(p, props)
    upar[:, E.U_DELAY] = props.delay_ms
    upar[:, E.U_WEIGHT] = props.force_weight
    stim_times = np.zeros(0)
    if sc.stimulus is not None:
        stim_times = sc.stimulus.times_ms()
        # Electrical threshold falls with axon size: a stimulus of strength a excites the
        # largest fraction a of the axons (see protocols.Stimulus).
        upar[:, E.U_STIM] = (np.arange(n)[::-1] + 0.5) / n <= sc.stimulus.amplitude + 1e-12
    fpar = np.vstack([f.as_array() for f in fibres])
    row = inputs[0]
    env = (row[E.IN_SHIFT_MV], row[E.IN_E_NA], row[E.IN_E_K], row[E.IN_E_CL])
    sn0 = rest_state(p, env, row[E.IN_DRIVE_NA], upar[:, : len(UNIT_PARAMS)], gpar)
    sf0 = np.vstack([fibre_rest_state(f) for f in fibres])
    gks = axon.slow_k_conductances(sc.axon, n)
    sa0 = axon.rest_state(
        sc.axon, (row[E.IN_AX_SHIFT_MV], row[E.IN_AX_E_NA], row[E.IN_AX_E_K]), gks
    )
    # A fatigued muscle starts with Pi raised.
    sf0[:, FIBRE_STATE.index("pi_mM")] += PI_PER_FATIGUE_MM * sc.fatigue
    # Synaptic noise in the first n columns; with fatigue, the fatigue-afferent noise in
    # the next n (filled below, in place: no second copy of a long run's noise).
    noise = np.zeros((n_ms, 2 * n if sc.fatigue > 0.0 else n), dtype=np.float32)
    if sc.synaptic_noise_uA_cm2 > 0.0:
        z = ornstein_uhlenbeck(np.random.default_rng(sc.seed), n_ms, n, NOISE_TAU_MS, 1.0,
                               E.INPUT_DT_MS)  # fmt: skip
        _scale_by_synaptic_sd(z, inputs[:, E.IN_DRIVE_NA], props,
                              upar[:, E.U_DRIVE_SAT],
                              sc.synaptic_noise_uA_cm2)  # fmt: skip
        noise[:, :n] = z
        del z  # the float64 copy is not kept while the other inputs are made
    upar[:, E.U_AXNOISE], axon_noise = _irritated_axons(sc, inputs[:, E.IN_AX_IRR])
    if sc.fatigue > 0.0:
        # Second half of the columns: noise of SD √(reference area / cell area) (the
        # barrage shakes small cells more; reflex.AFFERENT_NOISE_UA_CM2) that the engine
        # scales by the fatigue-afferent SD of each block (it depends on the force, known
        # only then).
        aff = ornstein_uhlenbeck(np.random.default_rng([sc.seed, 23]), n_ms, n, NOISE_TAU_MS,
                                 1.0, E.INPUT_DT_MS)  # fmt: skip
        aff *= np.sqrt(AFFERENT_NOISE_REF_AREA_CM2 / props.area_cm2)[None, :]
        noise[:, n:] = aff
    return E.EngineInput(
        duration_ms=sc.duration_s * 1000.0, gpar=gpar, upar=upar, fpar=fpar,
        rpar=sc.reflex.as_array(), inputs=inputs,
        noise=noise, afferent_noise_uA_cm2=AFFERENT_NOISE_UA_CM2 * sc.fatigue,
        stim_times_ms=stim_times, neuron_params=p,
        temperature_C=sc.temperature_C, sn0=sn0, sa0=sa0, sf0=sf0,
        apar=axon.global_params(sc.axon), axon_gks=gks, axon_params=sc.axon,
        axon_noise=axon_noise,
    )  # fmt: skip


def _irritated_axons(sc: Scenario, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which axons the irritation reaches, and the inward current into their nodes.

    ``irritation_fraction`` of the units, chosen by the seed (a stream of its own,
    independent of the synaptic noise), each with its own fluctuating current
    (:func:`musclesim.axon.irritation_current_uA_cm2`) on the input grid.

    Returns
    -------
    column : ndarray (n_units,)
        Each unit's column in ``current`` (−1: not reached).
    current : ndarray (n_blocks, n_reached), float32
        µA/cm²; no columns without irritation.
    """
    n = sc.n_units
    column = np.full(n, -1.0)
    if float(level.max(initial=0.0)) == 0.0 or sc.irritation_fraction == 0.0:
        return column, np.zeros((level.size, 0), dtype=np.float32)
    rng = np.random.default_rng([sc.seed, 11])
    n_hit = max(1, round(sc.irritation_fraction * n))
    hit = np.sort(rng.choice(n, size=n_hit, replace=False))
    column[hit] = np.arange(n_hit)
    z = ornstein_uhlenbeck(rng, level.size, n_hit, sc.axon.irritation_noise_tau_ms, 1.0,
                           E.INPUT_DT_MS)  # fmt: skip
    current = axon.irritation_current_uA_cm2(level[:, None], z, sc.axon)
    return column, current.astype(np.float32)


def _scale_by_synaptic_sd(
    z: np.ndarray, drive_nA: np.ndarray, props: PoolProperties, ceiling_uA_cm2: np.ndarray,
    base_sd_uA_cm2: float,
) -> None:  # fmt: skip
    """In place: unit-variance noise ``z`` (samples × units) times each unit's synaptic
    noise SD at each sample (:func:`~musclesim.synapses.shot_noise_sd` of the drive density
    it receives), in blocks of rows so that no full-size temporary is made."""
    if not np.any(drive_nA > 0.0):
        z *= base_sd_uA_cm2
        return
    for k0 in range(0, z.shape[0], 4096):
        rows = slice(k0, k0 + 4096)
        density = drive_density(
            drive_nA[rows, None], props.area_cm2[None, :], ceiling_uA_cm2[None, :]
        )
        z[rows] *= shot_noise_sd(density, base_sd_uA_cm2)


def length_trace(sc: Scenario, t_ms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Muscle length and velocity on the input grid.

    The length protocol, then each intervention with a ``length_target_L0`` (a stretch),
    in the order listed, moving the length from its value at the stretch's start.

    Parameters
    ----------
    sc : Scenario
        The scenario.
    t_ms : ndarray
        Times, ms: the 1-ms input grid from 0 (a stretch starts from the sample at index
        ``int(at_s * 1000)``).

    Returns
    -------
    length : ndarray
        Muscle length, L0.
    velocity : ndarray
        Lengthening velocity, L0/s.
    """
    n_ms = t_ms.size
    if sc.length is None:
        length, vel = np.ones(n_ms), np.zeros(n_ms)
    else:
        length, vel = sc.length.sample(t_ms), sc.length.velocity(t_ms)
    for iv in sc.interventions:
        if iv.length_target_L0 is not None:
            length = _move_to(length, t_ms, iv, iv.length_target_L0)
            vel = np.append(np.diff(length), 0.0) * 1000.0
    return length, vel


def irritation_level(sc: Scenario, t_ms: np.ndarray) -> np.ndarray:
    """Nerve irritation on the input grid, 0–1.

    The scenario's level, moved by each intervention with an ``irritation_target``
    (:class:`~musclesim.interventions.ChangeIrritation`) in time order, then lowered by
    each ``irritation_cut`` (heat, massage) as it takes effect.

    Parameters
    ----------
    sc : Scenario
        The scenario.
    t_ms : ndarray
        Times, ms: the 1-ms input grid from 0 (a change starts from the sample at index
        ``int(at_s * 1000)``).

    Returns
    -------
    ndarray
        Irritation level, 0–1, at ``t_ms``.
    """
    level = np.full(t_ms.size, float(sc.irritation))
    for iv in _in_time_order(sc.interventions):
        if iv.irritation_target is not None:
            level = _move_to(level, t_ms, iv, iv.irritation_target)
    for iv in sc.interventions:
        if iv.irritation_cut > 0.0:
            level *= 1.0 - iv.irritation_cut * iv.progress(t_ms)
    return level


def _between(a: float, b: float, frac: float) -> float:
    """``a`` moved the fraction ``frac`` of the way to ``b``, never beyond either end
    (``a + frac·(b − a)`` can land one rounding step past ``b``, e.g. Ca
    0.19999999999999996 for a target of 0.2, outside the valid range)."""
    return min(max(a + frac * (b - a), min(a, b)), max(a, b))


def _move_plasma(
    inputs: np.ndarray, t_ms: np.ndarray, sc: Scenario, iv: Intervention, start: Electrolytes
) -> Electrolytes:
    """Move the ion channels linearly from ``start`` (the plasma when ``iv`` begins) to
    ``iv.plasma_target`` over ``iv.onset_s``, in 100-ms steps (the derived quantities
    change slowly; 100 ms keeps the cost small). Returns the target plasma."""
    target = iv.plasma_target
    if target is None:  # a treatment that leaves the plasma alone
        return start
    step_ms = 100.0
    t0 = iv.at_s * 1000.0
    n_ms = len(t_ms)
    k = int(t0 / E.INPUT_DT_MS)
    while k < n_ms:
        # Clamped at 0: a repletion starting between two 1-ms samples must not first move
        # the plasma away from its target (found by tests/test_invariants.py).
        frac = min(1.0, max(0.0, (k * E.INPUT_DT_MS - t0) / (iv.onset_s * 1000.0)) + 1e-12)
        el = Electrolytes(**{ion: _between(getattr(start, ion), getattr(target, ion), frac)
                             for ion in ("Na", "K", "Cl", "Ca", "Mg")})  # fmt: skip
        k1 = n_ms if frac >= 1.0 else min(n_ms, k + int(step_ms / E.INPUT_DT_MS))
        _set_electrolyte_channels(inputs, slice(k, k1), el, sc.temperature_C)
        k = k1
    return target
