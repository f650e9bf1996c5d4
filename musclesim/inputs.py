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

from . import engine as E
from . import nmj
from .contraction import PI_PER_FATIGUE_MM, fibre_rest_state, muscle_excitable
from .contraction import STATE as FIBRE_STATE
from .electrolytes import (
    MOTOR_NEURON_INSIDE,
    Electrolytes,
    gating_shift_mV,
    k_conductance_scale,
    reversal_potentials,
)
from .interventions import HEAT_INHIBITION_MS_CM2, RELAXANT_FUSIMOTOR_CUT
from .neuron import UNIT_PARAMS, global_params, rest_state, unit_params
from .pool import pool_properties, unit_fibre_params
from .reflex import (
    AFFERENT_NOISE_UA_CM2,
    FUSIMOTOR_HZ_PER_FATIGUE,
    IB_PER_FATIGUE,
    TENDON_SLACK_PER_L0,
)
from .scenarios import Scenario
from .synapses import NOISE_TAU_MS, irritation_current, ornstein_uhlenbeck


def _set_electrolyte_channels(inputs: np.ndarray, rows: slice, el, temperature_C: float) -> None:
    """Fill the ion-dependent input channels of ``rows`` from plasma values ``el``."""
    rev = reversal_potentials(el, MOTOR_NEURON_INSIDE, temperature_C)
    inputs[rows, E.IN_SHIFT_MV] = gating_shift_mV(el)
    inputs[rows, E.IN_E_NA] = rev.E_Na
    inputs[rows, E.IN_E_K] = rev.E_K
    inputs[rows, E.IN_K_SCALE] = k_conductance_scale(el)
    inputs[rows, E.IN_E_CL] = rev.E_Cl
    inputs[rows, E.IN_MUSCLE_OK] = float(muscle_excitable(el, temperature_C))
    inputs[rows, E.IN_NMJ_OK] = float(nmj.transmits(el, temperature_C))


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
    gpar = global_params(p, E.INPUT_DT_MS)
    upar = np.zeros((n, E.N_UNIT_PARAMS))
    upar[:, : len(UNIT_PARAMS)] = unit_params(p, props.area_cm2, props.pic_scale,
                                              props.tau_ahp_ms)  # fmt: skip
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
    env = (row[E.IN_SHIFT_MV], row[E.IN_E_NA], row[E.IN_E_K], row[E.IN_E_CL], row[E.IN_K_SCALE])
    sn0 = rest_state(p, env, row[E.IN_DRIVE_NA], upar[:, : len(UNIT_PARAMS)], gpar)
    sf0 = np.vstack([fibre_rest_state(f) for f in fibres])
    # A fatigued muscle starts with Pi raised.
    sf0[:, FIBRE_STATE.index("pi_mM")] += PI_PER_FATIGUE_MM * sc.fatigue
    noise = np.zeros((n_ms, n), dtype=np.float32)
    if sc.synaptic_noise_uA_cm2 > 0.0:
        noise[:] = ornstein_uhlenbeck(np.random.default_rng(sc.seed), n_ms, n, NOISE_TAU_MS,
                                      sc.synaptic_noise_uA_cm2, E.INPUT_DT_MS)  # fmt: skip
    # The irritation stream is independent of the synaptic noise stream.
    noise += irritation_current(np.random.default_rng([sc.seed, 11]), irritation, n,
                                sc.irritation_fraction, E.INPUT_DT_MS)  # fmt: skip
    if sc.fatigue > 0.0:
        # Second half of the columns: unit-variance noise the engine scales by the
        # fatigue-afferent SD of each block (it depends on the force, known only then).
        aff = ornstein_uhlenbeck(np.random.default_rng([sc.seed, 23]), n_ms, n, NOISE_TAU_MS,
                                 1.0, E.INPUT_DT_MS)  # fmt: skip
        noise = np.ascontiguousarray(np.hstack([noise, aff.astype(np.float32)]))
    return E.EngineInput(
        duration_ms=sc.duration_s * 1000.0, gpar=gpar, upar=upar, fpar=fpar,
        rpar=sc.reflex.as_array(), inputs=inputs,
        noise=noise, afferent_noise_uA_cm2=AFFERENT_NOISE_UA_CM2 * sc.fatigue,
        stim_times_ms=stim_times, neuron_params=p,
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


