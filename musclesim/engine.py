"""The integrators: one compiled fixed-step kernel and a scipy reference path.

Both integrate the same equations (``neuron`` for the membrane, ``contraction`` for the
fibre), driven by the same inputs sampled every millisecond, with the same event rules:

* a motor-neuron spike is an upward crossing of ``SPIKE_DETECT_MV``; if the neuromuscular
  junction transmits, the muscle action potential arrives ``conduction delay`` later;
* a supramaximal nerve stimulus makes every stimulated unit's muscle action potential
  arrive ``STIM_LATENCY_MS`` after the pulse;
* each muscle action potential (unless the fibre is still refractory) adds
  ``k/(k + Ca)`` to the fraction of open SR release channels, Ca-dependent inactivation at
  the free Ca of that moment (:func:`contraction.release_availability`); the fixed step
  applies it at the start of the fibre step the AP falls in (up to 0.1 ms early).

The fixed-step kernel (:func:`run_kernel`) uses, per step of ``dt_ms``: Rush–Larsen
updates of the gates from tables (exact for a voltage held over the step), backward Euler
for the membrane potential (as NEURON's default scheme), and a linearly implicit Euler step
for the fibre (stable for the fast Ca–troponin binding). It loops over units inside one
numba function: no Python call and no allocation per step. Units advance in lockstep
groups (:func:`_advance_group`), so the processor overlaps the dependent chain of one
unit's membrane step with those of the others.

The reference (:func:`run_reference`) hands the same right-hand side, with exact rate
functions, to :func:`scipy.integrate.solve_ivp` (Radau) and stops at every event.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

import numba
import numpy as np
from numba import njit, prange

from .contraction import (
    N_FIBRE_PARAMS,
    N_FIBRE_STATES,
    P_REL_INACT_K,
    P_TAU_REL,
    fibre_derivatives,
    fibre_force,
    fibre_force_scaled,
    fibre_step,
    max_attached_fraction,
    release_availability,
    sr_leak_rate,
)
from .errors import SimulationError
from .neuron import (
    TABLE_DV_MV,
    TABLE_V_MIN_MV,
    ahp_activation,
    ahp_ca_influx,
    gate_rates,
    q10_factor,
)
from .nmj import STIM_LATENCY_MS, fibre_accepts
from .reflex import (
    R_ECC,
    R_FL_W,
    R_HILL,
    R_IA_DELAY,
    R_IA_REST,
    R_IA_W,
    R_IB_DELAY,
    R_IB_W,
    R_P_SCALE,
    R_P_SHAPE,
    R_VMAX,
    force_length,
    force_velocity,
    passive_tension,
    spindle_ia_rate,
    tendon_ib_rate,
)
from .synapses import E_EXC_MV, drive_density, drive_split

# Pools run on all cores in stretches of ~20 ms of simulated time, a few ms of work each;
# between stretches OpenMP's default policy keeps idle threads spinning, which on a shared
# machine takes the CPU from the threads still working (100 units x 2 s at load 6.7:
# 1.59 s with spinning, 0.72 s with passive waiting). Set before numba first loads the
# OpenMP runtime; a value the user has set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

#: Membrane potential whose upward crossing counts as a spike, mV.
SPIKE_DETECT_MV = -20.0
#: Sampling interval of the input channels, ms.
INPUT_DT_MS = 1.0
#: Largest believable |V| (mV); beyond it the integration has diverged.
V_DIVERGED_MV = 250.0

# Neuron state columns. NPUMP: Na⁺/K⁺-pump current (µA/cm², outward), updated once per
# block from the spikes of the block before; NPCNT: the spike count at that update.
# NDAP: depolarising-afterpotential conductance (mS/cm², reversal E_EXC_MV).
NV, NM, NH, NN, NP, NC, NPUMP, NPCNT, NDAP = range(9)
N_NEURON_STATES = 9

# Columns of the lockstep work array ``ws`` (one row per unit): the membrane state while a
# group of units advances together (V, gates, AHP Ca signal, DAP conductance), this
# block's synaptic conductances and injected current, the time the earliest muscle AP in
# flight is due (ms), and the unit's weighted force and Ca. Rows are padded to N_WORK
# values (128 bytes, two cache lines) so that units on different threads rarely write to
# the same cache line: with one row per quantity instead, the two threads' neighbouring
# units shared lines that were written every step.
# W_SKIP is 1 while the unit's fibre step is deferred to the next one (FIBRE_QUIET_REL).
(W_V, W_M, W_H, W_N, W_P, W_C, W_DAP, W_GEXC, W_GINH, W_IINJ, W_DUE, W_F,
 W_CA, W_SKIP) = range(14)  # fmt: skip
N_WORK = 16

# Columns of the per-unit release factors ``rel_fac``: the release channels' decay factor
# e^(−Δ/τ) and mean open fraction τ/Δ·(1 − e^(−Δ/τ)) over one fibre step (Δ = dt_f) and
# over a double step (Δ = 2·dt_f).
R_KEEP, R_MEAN, R_KEEP2, R_MEAN2 = range(4)

# Input channels, one row per millisecond
# IN_NMJ_OK: a motor-neuron spike produces a muscle AP (junction transmits and the fibre
# membrane is excitable); IN_MUSCLE_OK: the fibre membrane is excitable (nerve stimuli).
# IN_IA_MULT, IN_IB_MULT: multipliers of spindle and tendon-organ discharge (fatigue).
# IN_IB_GATE: transmission through the Ib interneuron (1 = full; voluntary drive lowers it).
(IN_DRIVE_NA, IN_SHIFT_MV, IN_E_NA, IN_E_K, IN_K_SCALE, IN_E_CL, IN_G_INH, IN_NMJ_OK, IN_LENGTH,
 IN_VELOCITY, IN_MUSCLE_OK, IN_IA_MULT, IN_IB_MULT, IN_IB_GATE) = range(14)  # fmt: skip
N_INPUTS = 14

# Per-unit parameter columns
(U_AREA, U_GPIC, U_GAHP, U_TAUAHP, U_AHPRATE, U_KDAHP, U_DELAY, U_WEIGHT, U_STIM) = range(9)
N_UNIT_PARAMS = 9

# Global neuron parameter columns
# G_PUMP_PER_SPIKE (µA/cm² per spike), G_PUMP_KEEP (pump decay factor per block),
# G_AFF_NOISE (SD of the fatigue-afferent noise at full active force, µA/cm²).
# G_DAP_PER_MV (DAP conductance added per spike per mV of negative divalent gating
# shift, mS/cm²/mV), G_DAP_TAU (its decay time, ms), G_DRIVE_SAT (ceiling of the
# descending drive's current density, µA/cm²; neuron.drive_density).
(G_CM, G_NA, G_K, G_LK, G_LNA, G_VHALF_CA, G_PUMP_PER_SPIKE, G_PUMP_KEEP,
 G_AFF_NOISE, G_DAP_PER_MV, G_DAP_TAU, G_DRIVE_SAT) = range(12)  # fmt: skip
N_GLOBAL = 12

#: Above this membrane potential (mV) a step is split into N_FINE sub-steps (the spike).
FINE_ABOVE_MV = -40.0
N_FINE = 5

#: Time step of the muscle-fibre equations, ms. Ca release lasts ~1.5 ms and the
#: linearly implicit step is stable for the fast Ca–troponin binding, so the fibre is
#: advanced every 0.1 ms while the membrane (sub-millisecond spikes) takes 0.025 ms steps.
FIBRE_DT_MS = 0.1

#: Release-channel open fraction below which a fibre may advance two fibre steps at once
#: (2 × FIBRE_DT_MS). The 0.1-ms step is needed while Ca is released (~1.5 ms after each
#: AP); between APs Ca is pumped back and unbinds on a scale of ms to tens of ms, and a
#: 0.2-ms step there keeps the fibre within the same distance of the Radau reference
#: (tests/test_numerics.py) at about half the cost. 1e-3 is reached ~10 ms after an AP in
#: the slowest fibre (τ 1.5 ms), ~6 ms in the fastest.
FIBRE_QUIET_REL = 1e-3

#: Pools at least this large run their units on all cores within each 1-ms block.
PARALLEL_MIN_UNITS = 8

#: Most units in one lockstep group (:func:`_advance_group`). Measured on a 2-core AMD
#: EPYC VM, a standalone loop of membrane steps took 41 ns per unit-step for one unit and
#: 27 ns for any group of 2 to 50 units; smaller groups balance the threads better.
GROUP_UNITS = 16

#: Ring-buffer length for muscle APs in flight along an axon (ample for < 500 Hz × 20 ms).
PENDING = 16

#: Longest stretch of 1-ms blocks that units advance without synchronising (it is also
#: bounded by the shorter afferent delay); bounds the per-stretch buffers.
MAX_STRETCH_BLOCKS = 32


@njit(cache=True, inline="always", error_model="numpy")
def _membrane_step(
    v, m, h, n, p, c, dt, tab, v_min, inv_dv, gpar, upar, i, shift, e_na, e_k, ks, e_cl, g_inh,
    g_exc, i_inj, c_keep,
):  # fmt: skip
    """Advance one membrane by ``dt`` ms; return the new ``(v, m, h, n, p, c)``.

    Gates: Rush–Larsen from tables at the present V (gates live at half steps, as in
    NEURON's staggered scheme). V: Crank–Nicolson with those gates (second order).
    AHP Ca signal: backward Euler, ``c_keep = 1/(1 + dt/τ)`` (measured: closer to the
    reference than exponential integration with the influx frozen over the step).
    """
    # Table row j holds, for each column, the value at V_j and the step to V_(j+1).
    x = (v - shift - v_min) * inv_dv
    if not (x >= 0.0):  # also NaN (a diverging run): never an index outside the table
        x = 0.0
    elif x > tab.shape[0] - 1.001:
        x = tab.shape[0] - 1.001
    j = int(x)
    fr = x - j
    r = tab[j]
    # Rush–Larsen: x ← x∞ + (x − x∞)·e^(−dt/τ), both factors interpolated.
    m_inf = r[0] + fr * r[1]
    h_inf = r[2] + fr * r[3]
    n_inf = r[4] + fr * r[5]
    p_inf = r[6] + fr * r[7]
    m = m_inf + (m - m_inf) * (r[10] + fr * r[11])
    h = h_inf + (h - h_inf) * (r[12] + fr * r[13])
    n = n_inf + (n - n_inf) * (r[14] + fr * r[15])
    p = p_inf + (p - p_inf) * (r[16] + fr * r[17])
    c = (c + dt * upar[i, U_AHPRATE] * (r[8] + fr * r[9])) * c_keep
    g_na = gpar[G_NA] * m * m * m * h
    g_k = gpar[G_K] * ks * n * n * n * n + gpar[G_LK] * ks
    g_pic = upar[i, U_GPIC] * p
    g_sum = g_na + g_k + gpar[G_LNA] + g_pic + g_inh + g_exc
    # Excitatory synapses reverse at E_EXC_MV (0 mV), inhibitory ones at E_Cl.
    ge = (g_na + gpar[G_LNA] + g_pic) * e_na + g_k * e_k + g_inh * e_cl + g_exc * E_EXC_MV
    c_m = gpar[G_CM]
    hdt = 0.5 * dt
    num = v * (c_m - hdt * g_sum) + dt * (ge + i_inj)
    den = c_m + hdt * g_sum
    # SK channels open cooperatively with Ca (Hill coefficient 2; Xia et al. 1998), so the
    # AHP stays small at low rates and grows steeply when spikes come fast. Their open
    # fraction q = x²/(1 + x²) enters num and den linearly; multiplying both by (1 + x²)
    # leaves one division per step on the path from V to V.
    x2 = c / upar[i, U_KDAHP]
    x2 = x2 * x2
    g_ahp = upar[i, U_GAHP]
    num = num * (1.0 + x2) + x2 * g_ahp * (dt * e_k - hdt * v)
    den = den * (1.0 + x2) + x2 * g_ahp * hdt
    v_new = num / den
    return v_new, m, h, n, p, c


@njit(cache=True, error_model="numpy")
def _fibre_step_called(s, par, k_leak, dt, rel_mean, rel_keep):
    """:func:`contraction.fibre_step` as a real call, for the rare deferred step of a
    quiet fibre (it is inlined where it is hot), which keeps the cold compile shorter."""
    fibre_step(s, par, k_leak, dt, rel_mean, rel_keep)


@njit(cache=True, error_model="numpy")
def _spike(i, t_sp, dap, shift, nmj_ok, gpar, upar, spikes, n_spikes, pending, n_pend, ws):
    """Record a spike of unit ``i`` at ``t_sp`` ms, schedule its muscle AP, and return the
    DAP conductance after it. Not inlined: spikes are rare, and keeping their stores out
    of the step loop leaves the compiler free to schedule the membrane steps."""
    # Depolarising afterpotential, larger as divalent screening falls.
    if shift < 0.0:
        dap += gpar[G_DAP_PER_MV] * -shift
    k = n_spikes[i]
    if k < spikes.shape[1]:
        spikes[i, k] = t_sp
    n_spikes[i] = k + 1
    if nmj_ok:
        slot = n_pend[i] % PENDING
        pending[i, slot] = t_sp + upar[i, U_DELAY]
        n_pend[i] += 1
        ws[i, W_DUE] = min(ws[i, W_DUE], pending[i, slot])
    return dap


@njit(cache=True, error_model="numpy")
def _advance_group(
    g0, g1, b0, b1, n_steps, spb, dt, fibre_every, record_every, tab, tab_fine, v_min, inv_dv,
    gpar, upar, fpar, k_leak, xb_max, c_keep, c_keep_fine, rel_fac, quiet_rel, inputs, noise,
    g_ia_blk, g_ib_blk, aff_blk, syn_density, stim_times, stim_lo, stim_hi,
    sn, sf,
    pending, n_pend, last_ap, spikes, n_spikes, maps, n_maps, f_start,
    pi_start, fbuf, cbuf, rec_col, out_v, ws,
):  # fmt: skip
    """Advance units ``g0`` to ``g1 − 1`` through blocks ``b0`` to ``b1 − 1``; return −1,
    or the step at which one of them diverged.

    Units do not interact within these blocks (every coupling between them, the reflex
    loop, acts through delays at least as long), so groups of units can run in parallel.
    Within a group the units advance in lockstep, one step for every unit before the next
    step: the step of one membrane is a chain of dependent operations (V → table → gates →
    one division → V), and interleaving the independent chains of several units lets the
    processor overlap them. Their states live in ``ws`` (one row per unit, ``W_*``
    columns); each unit's arithmetic is exactly that of a unit advanced alone.
    """
    dt_f = dt * fibre_every
    n_in = inputs.shape[0]
    dap_keep = np.exp(-dt / gpar[G_DAP_TAU])
    dap_keep_f = np.exp(-dt / N_FINE / gpar[G_DAP_TAU])
    n_u = sn.shape[0]
    has_aff = noise.shape[1] > n_u
    for i in range(g0, g1):
        ws[i, W_V] = sn[i, NV]
        ws[i, W_M] = sn[i, NM]
        ws[i, W_H] = sn[i, NH]
        ws[i, W_N] = sn[i, NN]
        ws[i, W_P] = sn[i, NP]
        ws[i, W_C] = sn[i, NC]
        ws[i, W_DAP] = sn[i, NDAP]
        # Earliest muscle AP in flight: the ring buffer is scanned only once one is due.
        due = np.inf
        for slot in range(PENDING):
            due = min(due, pending[i, slot])
        ws[i, W_DUE] = due
    rec_base = (b0 * spb) // record_every
    diverged = False
    for b in range(b0, b1):
        kb = b - b0
        s0 = b * spb
        s1 = min(s0 + spb, n_steps)
        row = min(b, n_in - 1)
        shift = inputs[row, IN_SHIFT_MV]
        e_na = inputs[row, IN_E_NA]
        e_k = inputs[row, IN_E_K]
        ks = inputs[row, IN_K_SCALE]
        e_cl = inputs[row, IN_E_CL]
        nmj_ok = inputs[row, IN_NMJ_OK] > 0.5
        muscle_ok = inputs[row, IN_MUSCLE_OK] > 0.5
        for i in range(g0, g1):
            f_start[i, kb] = ws[i, W_F]
            pi_start[i, kb] = upar[i, U_WEIGHT] * sf[i, 7]
            # Nerve stimuli of this block: the muscle AP after the latency (the latency
            # exceeds a block, so scheduling at the block start changes nothing).
            if upar[i, U_STIM] > 0.5 and muscle_ok:
                for k in range(stim_lo[b], stim_hi[b]):
                    slot = n_pend[i] % PENDING
                    pending[i, slot] = stim_times[k] + STIM_LATENCY_MS
                    n_pend[i] += 1
                    ws[i, W_DUE] = min(ws[i, W_DUE], pending[i, slot])
            # A negative drive is inhibition: a Cl conductance, not a current.
            drive_j, g_drive_inh = drive_split(drive_density(
                inputs[row, IN_DRIVE_NA], upar[i, U_AREA], gpar[G_DRIVE_SAT]))  # fmt: skip
            ws[i, W_GEXC] = g_ia_blk[kb] * syn_density[i]
            ws[i, W_GINH] = inputs[row, IN_G_INH] + g_ib_blk[kb] * syn_density[i] + g_drive_inh
            # Na⁺/K⁺ pump: decays over the block before, plus its spikes' Na⁺ load.
            pump = sn[i, NPUMP] * gpar[G_PUMP_KEEP] + gpar[G_PUMP_PER_SPIKE] * (
                n_spikes[i] - sn[i, NPCNT]
            )
            sn[i, NPUMP] = pump
            sn[i, NPCNT] = float(n_spikes[i])
            i_inj = drive_j - pump + noise[row, i]
            if has_aff:
                i_inj += aff_blk[kb] * noise[row, n_u + i]
            ws[i, W_IINJ] = i_inj
        # Phase counters instead of two integer modulos per step.
        f_phase = s0 % fibre_every
        r_phase = s0 % record_every
        for step in range(s0, s1):
            t = step * dt
            for i in range(g0, g1):
                v = ws[i, W_V]
                m = ws[i, W_M]
                h = ws[i, W_H]
                n = ws[i, W_N]
                p = ws[i, W_P]
                c = ws[i, W_C]
                dap = ws[i, W_DAP]
                g_exc = ws[i, W_GEXC]
                g_inh = ws[i, W_GINH]
                i_inj = ws[i, W_IINJ]
                if v < FINE_ABOVE_MV:
                    # Between spikes: one step, straight-line code (the common case).
                    v_new, m, h, n, p, c = _membrane_step(
                        v, m, h, n, p, c, dt, tab, v_min, inv_dv, gpar, upar, i, shift, e_na,
                        e_k, ks, e_cl, g_inh, g_exc + dap, i_inj, c_keep[i],
                    )  # fmt: skip
                    dap *= dap_keep
                    # No early exit here: a loop with one exit lets the compiler schedule
                    # the interleaved units freely (measured: an exit per unit-step costs
                    # ~40 % of the step). The step is reported after this step's units.
                    if not (abs(v_new) < V_DIVERGED_MV):  # also catches NaN
                        diverged = True
                    if v < SPIKE_DETECT_MV <= v_new:
                        t_sp = t + dt * (SPIKE_DETECT_MV - v) / (v_new - v)
                        dap = _spike(i, t_sp, dap, shift, nmj_ok, gpar, upar, spikes, n_spikes,
                                     pending, n_pend, ws)  # fmt: skip
                    v = v_new
                else:
                    # During a spike the membrane moves ~10 mV per 0.025 ms; sub-steps
                    # there keep the phase error per spike small without paying for them
                    # between spikes.
                    h_dt = dt / N_FINE
                    for sub in range(N_FINE):
                        v_new, m, h, n, p, c = _membrane_step(
                            v, m, h, n, p, c, h_dt, tab_fine, v_min, inv_dv, gpar, upar, i,
                            shift, e_na, e_k, ks, e_cl, g_inh, g_exc + dap, i_inj,
                            c_keep_fine[i],
                        )  # fmt: skip
                        dap *= dap_keep_f
                        if not (abs(v_new) < V_DIVERGED_MV):
                            diverged = True
                        if v < SPIKE_DETECT_MV <= v_new:
                            t_sp = t + sub * h_dt + h_dt * (SPIKE_DETECT_MV - v) / (v_new - v)
                            dap = _spike(i, t_sp, dap, shift, nmj_ok, gpar, upar, spikes,
                                         n_spikes, pending, n_pend, ws)  # fmt: skip
                        v = v_new
                ws[i, W_V] = v
                ws[i, W_M] = m
                ws[i, W_H] = h
                ws[i, W_N] = n
                ws[i, W_P] = p
                ws[i, W_C] = c
                ws[i, W_DAP] = dap
            if diverged:
                return step
            f_phase += 1
            if f_phase == fibre_every:
                f_phase = 0
                t_end = t + dt
                # Fibre steps end at multiples of dt_f; a quiet fibre skips the odd ones and
                # covers two at the next even one (run_fixed_step allows skipping only when
                # the 1-ms blocks start on even fibre steps; a recording that falls between
                # the two halves shows that fibre 0.1 ms late).
                odd = ((step + 1) // fibre_every) % 2 == 1
                for i in range(g0, g1):
                    if (odd and sf[i, 0] < quiet_rel
                            and ws[i, W_DUE] > t_end + dt_f):  # fmt: skip
                        ws[i, W_SKIP] = 1.0
                        continue
                    stepped = False
                    if ws[i, W_SKIP] > 0.0:
                        ws[i, W_SKIP] = 0.0
                        if ws[i, W_DUE] > t_end:
                            fibre_step(sf[i], fpar[i], k_leak[i], 2.0 * dt_f,
                                       rel_fac[i, R_MEAN2], rel_fac[i, R_KEEP2])  # fmt: skip
                            stepped = True
                        else:  # an AP due after all: the deferred step first, then as usual
                            _fibre_step_called(sf[i], fpar[i], k_leak[i], dt_f,
                                               rel_fac[i, R_MEAN], rel_fac[i, R_KEEP])  # fmt: skip
                    if not stepped:
                        # A muscle AP due by the end of this step opens the SR release
                        # channels at the start of the step (up to one fibre step early),
                        # as many as the Ca of that moment leaves available.
                        if ws[i, W_DUE] <= t_end:
                            due = np.inf
                            for slot in range(PENDING):
                                ta = pending[i, slot]
                                if ta <= t_end:
                                    pending[i, slot] = np.inf
                                    if fibre_accepts(ta, last_ap[i]):
                                        last_ap[i] = ta
                                        sf[i, 0] += release_availability(
                                            sf[i, 1], fpar[i, P_REL_INACT_K]
                                        )
                                        k = n_maps[i]
                                        if k < maps.shape[1]:
                                            maps[i, k] = ta
                                        n_maps[i] = k + 1
                                else:
                                    due = min(due, ta)
                            ws[i, W_DUE] = due
                        fibre_step(sf[i], fpar[i], k_leak[i], dt_f, rel_fac[i, R_MEAN],
                                   rel_fac[i, R_KEEP])  # fmt: skip
                    if not (sf[i, 1] >= 0.0 and sf[i, 1] < 1e5):
                        diverged = True
                    w = upar[i, U_WEIGHT]
                    ws[i, W_F] = w * fibre_force_scaled(sf[i], fpar[i], xb_max[i])
                    ws[i, W_CA] = w * sf[i, 1]
                if diverged:
                    return step
            r_phase += 1
            if r_phase == record_every:
                r_phase = 0
                k = (step + 1) // record_every - 1
                for i in range(g0, g1):
                    fbuf[i, k - rec_base] = ws[i, W_F]
                    cbuf[i, k - rec_base] = ws[i, W_CA]
                    if rec_col[i] >= 0:
                        out_v[k, rec_col[i]] = ws[i, W_V]
    for i in range(g0, g1):
        sn[i, NV] = ws[i, W_V]
        sn[i, NM] = ws[i, W_M]
        sn[i, NH] = ws[i, W_H]
        sn[i, NN] = ws[i, W_N]
        sn[i, NP] = ws[i, W_P]
        sn[i, NC] = ws[i, W_C]
        sn[i, NDAP] = ws[i, W_DAP]
    return -1


@njit(cache=True, error_model="numpy", parallel=True)
def _groups_parallel(
    groups, b0, b1, n_steps, spb, dt, fibre_every, record_every, tab, tab_fine, v_min, inv_dv,
    gpar, upar, fpar, k_leak, xb_max, c_keep, c_keep_fine, rel_fac, quiet_rel, inputs, noise,
    g_ia_blk, g_ib_blk, aff_blk, syn_density, stim_times, stim_lo, stim_hi,
    sn, sf,
    pending, n_pend, last_ap, spikes, n_spikes, maps, n_maps, f_start,
    pi_start, fbuf, cbuf, rec_col, out_v, ws, status,
):  # fmt: skip
    for k in prange(groups.shape[0] - 1):
        g = np.int64(k)  # prange counts in uint64: one signature of _advance_group, not two
        status[g] = _advance_group(
            groups[g], groups[g + 1], b0, b1, n_steps, spb, dt, fibre_every, record_every,
            tab, tab_fine, v_min, inv_dv, gpar, upar, fpar, k_leak, xb_max, c_keep, c_keep_fine,
            rel_fac, quiet_rel, inputs, noise, g_ia_blk, g_ib_blk, aff_blk, syn_density,
            stim_times, stim_lo, stim_hi, sn, sf, pending, n_pend, last_ap, spikes,
            n_spikes, maps, n_maps, f_start, pi_start, fbuf, cbuf, rec_col,
            out_v, ws,
        )  # fmt: skip


@njit(cache=True, error_model="numpy")
def _reflex_block(b, active, inputs, rpar, ia_hist, ib_hist):
    """Afferent rates of block ``b`` from the length, velocity and active force at its
    start; return the force–length–velocity scale and the passive tension."""
    row = min(b, inputs.shape[0] - 1)
    length = inputs[row, IN_LENGTH]
    vel = inputs[row, IN_VELOCITY]
    scale = force_length(length, rpar[R_FL_W]) * force_velocity(
        vel, rpar[R_VMAX], rpar[R_HILL], rpar[R_ECC]
    )
    passive = passive_tension(length, rpar[R_P_SCALE], rpar[R_P_SHAPE])
    ia_hist[b] = spindle_ia_rate(length, vel, active, rpar, inputs[row, IN_IA_MULT])
    ib_hist[b] = tendon_ib_rate(active * scale + passive, rpar, inputs[row, IN_IB_MULT])
    return scale, passive


@njit(cache=True, error_model="numpy")
def run_kernel(
    n_steps, dt, record_every, fibre_every, steps_per_input, parallel, tab, tab_fine, v_min,
    inv_dv, gpar, upar, fpar, k_leak, rpar, inputs, noise, stim_times, sn, sf, rec_col,
    out_force, out_ca, out_v, out_ia, out_ib, out_pi, spikes, n_spikes, maps, n_maps,
    pending, n_pend, last_ap, syn_density, c_keep, c_keep_fine,
    rel_fac, quiet_rel, ia_hist, ib_hist, act_hist, stim_lo, stim_hi,
    g_ia_blk, g_ib_blk, aff_blk, f_start, pi_start, fbuf, cbuf, ws, groups, xb_max, status,
):  # fmt: skip
    """Advance the pool ``n_steps`` steps of ``dt`` ms in place.

    The inputs change once per 1-ms block. The reflex loop couples the units only through
    afferent delays of at least ``d`` blocks, so the units are advanced independently (in
    parallel when ``parallel``) through stretches of up to ``d`` blocks; after each stretch
    the pool-level quantities (force, afferent rates, recorded samples) are summed block by
    block, exactly as if the loop were closed at every block.
    Returns ``(status, step)``: status 0 on success, 1 if a state became non-finite or
    diverged at ``step``.

    Every work array is allocated by the caller (:func:`run_fixed_step`): array creation
    inside compiled code costs seconds of compilation for nothing at run time.
    """
    n_units = sn.shape[0]
    n_groups = groups.shape[0] - 1
    spb = steps_per_input
    for i in range(n_units):
        ws[i, W_F] = upar[i, U_WEIGHT] * fibre_force(sf[i], fpar[i])
        ws[i, W_CA] = upar[i, U_WEIGHT] * sf[i, 1]
    n_blocks = ia_hist.shape[0]
    d_ia = max(1, int(rpar[R_IA_DELAY] / INPUT_DT_MS + 0.5))
    d_ib = max(1, int(rpar[R_IB_DELAY] / INPUT_DT_MS + 0.5))
    # Blocks per stretch (chosen by the caller): no longer than the shorter afferent delay.
    n_stretch = g_ia_blk.shape[0]
    active = 0.0
    for i in range(n_units):
        active += ws[i, W_F]
    b_first = 0  # a variable, not the literal 0: one signature of _reflex_block
    _reflex_block(b_first, active, inputs, rpar, ia_hist, ib_hist)
    act_hist[0] = active
    for b0 in range(0, n_blocks, n_stretch):
        b1 = min(b0 + n_stretch, n_blocks)
        # Afferent input of each block of the stretch, from rates at least one delay old.
        for b in range(b0, b1):
            ia_d = ia_hist[b - d_ia] if b >= d_ia else ia_hist[0]
            ib_d = ib_hist[b - d_ib] if b >= d_ib else ib_hist[0]
            g_ia_blk[b - b0] = rpar[R_IA_W] * max(ia_d - rpar[R_IA_REST], 0.0)
            ib_gate = inputs[min(b, inputs.shape[0] - 1), IN_IB_GATE]
            g_ib_blk[b - b0] = rpar[R_IB_W] * ib_d * ib_gate
            # Fatigue-afferent noise grows with the contraction, reported after the Ia delay.
            act_d = act_hist[b - d_ia] if b >= d_ia else act_hist[0]
            aff_blk[b - b0] = gpar[G_AFF_NOISE] * np.sqrt(act_d if act_d > 0.0 else 0.0)
        if parallel:
            _groups_parallel(
                groups, b0, b1, n_steps, spb, dt, fibre_every, record_every, tab, tab_fine,
                v_min, inv_dv, gpar, upar, fpar, k_leak, xb_max, c_keep, c_keep_fine, rel_fac,
                quiet_rel, inputs, noise, g_ia_blk, g_ib_blk, aff_blk, syn_density,
                stim_times, stim_lo, stim_hi, sn, sf, pending, n_pend, last_ap, spikes,
                n_spikes, maps, n_maps, f_start, pi_start, fbuf, cbuf,
                rec_col, out_v, ws, status,
            )  # fmt: skip
        else:
            for g in range(n_groups):
                status[g] = _advance_group(
                    groups[g], groups[g + 1], b0, b1, n_steps, spb, dt, fibre_every,
                    record_every, tab, tab_fine, v_min, inv_dv, gpar, upar, fpar, k_leak,
                    xb_max, c_keep, c_keep_fine, rel_fac, quiet_rel, inputs, noise, g_ia_blk,
                    g_ib_blk, aff_blk, syn_density, stim_times, stim_lo, stim_hi, sn, sf,
                    pending, n_pend, last_ap, spikes, n_spikes, maps, n_maps,
                    f_start, pi_start, fbuf, cbuf, rec_col, out_v, ws,
                )  # fmt: skip
        bad = -1
        for g in range(n_groups):
            if status[g] >= 0 and (bad < 0 or status[g] < bad):
                bad = status[g]
        if bad >= 0:
            return 1, bad
        # Close the loop block by block: pool force, afferent rates, recorded samples.
        rec0 = (b0 * spb) // record_every
        for b in range(b0, b1):
            active = 0.0
            pi_pool = 0.0
            for i in range(n_units):
                active += f_start[i, b - b0]
                pi_pool += pi_start[i, b - b0]
            scale, passive = _reflex_block(b, active, inputs, rpar, ia_hist, ib_hist)
            act_hist[b] = active
            s0 = b * spb
            s1 = min(s0 + spb, n_steps)
            for k in range(s0 // record_every, s1 // record_every):
                fs = 0.0
                cs = 0.0
                for i in range(n_units):
                    fs += fbuf[i, k - rec0]
                    cs += cbuf[i, k - rec0]
                out_force[k] = fs * scale + passive
                out_ca[k] = cs
                out_ia[k] = ia_hist[b]
                out_ib[k] = ib_hist[b]
                out_pi[k] = pi_pool
    return 0, n_steps


@dataclass(frozen=True)
class EngineInput:
    """Everything the integrators need, as plain arrays (built by ``simulate``).

    Attributes
    ----------
    duration_ms : float
        Simulated time, ms.
    gpar : ndarray (N_GLOBAL,)
        Global neuron parameters (capacitance and conductance densities).
    upar : ndarray (N, N_UNIT_PARAMS)
        Per-unit neuron and axon parameters.
    fpar : ndarray (N, N_FIBRE_PARAMS)
        Per-unit fibre parameters.
    rpar : ndarray
        Reflex and mechanics parameters (:meth:`~musclesim.reflex.ReflexParams.as_array`).
    inputs : ndarray (n_ms, N_INPUTS)
        Input channels, one row per millisecond.
    noise : ndarray (n_ms, N) or (n_ms, 2N), float32
        Per-unit synaptic noise current density, µA/cm², one row per millisecond; when
        there are 2N columns the second N are unit-variance noise that the integrators
        scale by the fatigue-afferent SD of each block (``G_AFF_NOISE``).
    stim_times_ms : ndarray
        Sorted nerve-stimulus times, ms.
    neuron_params : object
        The :class:`~musclesim.neuron.NeuronParams` (for the gate functions).
    temperature_C : float
        Model temperature, °C.
    sn0, sf0 : ndarray
        Initial neuron and fibre states.
    """

    duration_ms: float
    gpar: np.ndarray
    upar: np.ndarray
    fpar: np.ndarray
    rpar: np.ndarray
    inputs: np.ndarray
    noise: np.ndarray
    stim_times_ms: np.ndarray
    neuron_params: object
    temperature_C: float
    sn0: np.ndarray
    sf0: np.ndarray


@dataclass
class EngineOutput:
    """Raw output of an integrator: traces on a regular grid and event times (ms)."""

    time_ms: np.ndarray
    force: np.ndarray
    calcium: np.ndarray
    voltage: np.ndarray
    ia_hz: np.ndarray
    ib_hz: np.ndarray
    pi_mM: np.ndarray
    spikes_ms: list
    muscle_aps_ms: list


@lru_cache(maxsize=8)
def _gate_tables(params: object, temperature_C: float, dt_ms: float) -> tuple:
    """Rush–Larsen tables of the kernel for steps of ``dt_ms`` and ``dt_ms / N_FINE``.

    One row per grid voltage (:func:`musclesim.neuron.gate_tables`), 18 columns: x∞ of
    m, h, n and the PIC gate, the AHP Ca influx, then e^(−dt/τ) of the four gates, each
    as (value at V_j, value at V_(j+1) − value at V_j), so that a lookup reads one row
    (144 bytes) and interpolates with one multiply–add per column. Cached: building them
    costs ~1 ms and every run at the same parameters, temperature and dt shares them
    (the kernel only reads them).
    """
    from .neuron import gate_tables

    out = []
    for step in (dt_ms, dt_ms / N_FINE):
        x_inf, decay = gate_tables(params, temperature_C, step)
        cols = np.vstack((x_inf, decay)).T
        tab = np.zeros((cols.shape[0], 2 * cols.shape[1]))
        tab[:, 0::2] = cols
        tab[:-1, 1::2] = np.diff(cols, axis=0)
        tab.setflags(write=False)
        out.append(tab)
    return out[0], out[1]


def _unit_groups(n_units: int, parallel: bool) -> np.ndarray:
    """Bounds of the groups of units that advance in lockstep: group g is units
    ``groups[g]`` to ``groups[g + 1] − 1``.

    Groups hold at most ``GROUP_UNITS`` units and, when the pool runs in parallel, come in
    a multiple of the thread count (unless there are fewer units than threads), as equal
    as possible, so that every thread gets the same number of units.
    """
    threads = numba.get_num_threads() if parallel else 1
    n_groups = threads * -(-n_units // (threads * GROUP_UNITS))
    n_groups = max(1, min(n_groups, n_units))
    return np.linspace(0, n_units, n_groups + 1).round().astype(np.int64)


def run_fixed_step(
    inp: EngineInput,
    dt_ms: float,
    record_dt_ms: float,
    record_units: np.ndarray,
    label: str,
) -> EngineOutput:
    """Integrate with the compiled fixed-step kernel.

    Raises
    ------
    SimulationError
        If a state becomes non-finite or diverges, naming ``label`` and the time.
    """
    tab, tab_fine = _gate_tables(inp.neuron_params, inp.temperature_C, dt_ms)
    n_steps = round(inp.duration_ms / dt_ms)
    record_every = max(1, round(record_dt_ms / dt_ms))
    fibre_every = max(1, round(FIBRE_DT_MS / dt_ms))
    n_rec = n_steps // record_every
    n_units = inp.upar.shape[0]
    # Room for 400 spikes per simulated second per unit: far above any physiological rate.
    max_events = int(inp.duration_ms * 0.4) + 16
    spikes = np.zeros((n_units, max_events))
    n_spikes = np.zeros(n_units, dtype=np.int64)
    maps = np.zeros((n_units, max_events))
    n_maps = np.zeros(n_units, dtype=np.int64)
    out_force = np.zeros(n_rec)
    out_ca = np.zeros(n_rec)
    out_ia = np.zeros(n_rec)
    out_ib = np.zeros(n_rec)
    out_pi = np.zeros(n_rec)
    rec = np.asarray(record_units, dtype=np.int64)
    out_v = np.zeros((n_rec, rec.size))
    sn = inp.sn0.copy()
    sf = inp.sf0.copy()
    k_leak = np.array([sr_leak_rate(inp.fpar[i]) for i in range(n_units)])
    xb_max = np.array([max_attached_fraction(inp.fpar[i]) for i in range(n_units)])
    steps_per_input = round(INPUT_DT_MS / dt_ms)
    rec_col = np.full(n_units, -1, dtype=np.int64)
    for col, u in enumerate(rec):
        rec_col[u] = col
    # Threads pay off only when there are enough units to share (measured: ≥ 8).
    parallel = n_units >= PARALLEL_MIN_UNITS
    # Per-unit constants hoisted out of the step loop (no division per step for them).
    up, fp = inp.upar, inp.fpar
    dt_f = dt_ms * fibre_every
    syn_density = 1e-6 / up[:, U_AREA]  # nS → mS/cm² on this unit's membrane
    c_keep = 1.0 / (1.0 + dt_ms / up[:, U_TAUAHP])
    c_keep_fine = 1.0 / (1.0 + dt_ms / N_FINE / up[:, U_TAUAHP])
    rel_fac = np.empty((n_units, 4))
    for k, span in ((R_KEEP, dt_f), (R_KEEP2, 2.0 * dt_f)):
        rel_fac[:, k] = np.exp(-span / fp[:, P_TAU_REL])
        rel_fac[:, k + 1] = fp[:, P_TAU_REL] / span * (1.0 - rel_fac[:, k])
    n_blocks = (n_steps + steps_per_input - 1) // steps_per_input
    d_ia = max(1, int(inp.rpar[R_IA_DELAY] / INPUT_DT_MS + 0.5))
    d_ib = max(1, int(inp.rpar[R_IB_DELAY] / INPUT_DT_MS + 0.5))
    # Blocks per stretch: no longer than the shorter afferent delay.
    n_stretch = max(1, min(d_ia, d_ib, MAX_STRETCH_BLOCKS))
    # Nerve stimuli handled in block b: stim_lo[b] to stim_hi[b] − 1, those before the
    # middle of the block's last step.
    block_end = np.minimum((np.arange(n_blocks) + 1) * steps_per_input, n_steps)
    stim_hi = np.searchsorted(inp.stim_times_ms, block_end * dt_ms - 0.5 * dt_ms, side="left")
    stim_lo = np.concatenate(([0], stim_hi[:-1])).astype(np.int64)
    per_stretch = n_stretch * steps_per_input // record_every + 2
    ws = np.zeros((n_units, N_WORK))
    # Double fibre steps end on even fibre steps, so they may be taken only when the 1-ms
    # blocks (where the reflex loop reads each unit's force) start on even fibre steps. Not
    # tied to the recording interval: sampling the traces more finely must not change the
    # trajectory (a sample between the halves of a double step shows that fibre 0.1 ms late).
    double_ok = steps_per_input % (2 * fibre_every) == 0
    quiet_rel = FIBRE_QUIET_REL if double_ok else -1.0  # −1: never quiet
    status, step = run_kernel(
        n_steps, dt_ms, record_every, fibre_every, steps_per_input, parallel, tab, tab_fine,
        TABLE_V_MIN_MV, 1.0 / TABLE_DV_MV, inp.gpar, up, fp, k_leak, inp.rpar, inp.inputs,
        inp.noise, inp.stim_times_ms, sn, sf, rec_col,
        out_force, out_ca, out_v, out_ia, out_ib, out_pi, spikes, n_spikes, maps, n_maps,
        np.full((n_units, PENDING), np.inf), np.zeros(n_units, dtype=np.int64),
        np.full(n_units, -1e9), syn_density, c_keep, c_keep_fine,
        rel_fac, quiet_rel, np.zeros(n_blocks),
        np.zeros(n_blocks), np.zeros(n_blocks), stim_lo, stim_hi.astype(np.int64),
        np.zeros(n_stretch), np.zeros(n_stretch), np.zeros(n_stretch),
        np.zeros((n_units, n_stretch)), np.zeros((n_units, n_stretch)),
        np.zeros((n_units, per_stretch)), np.zeros((n_units, per_stretch)),
        ws, _unit_groups(n_units, parallel), xb_max,
        np.full(n_units, -1, dtype=np.int64),
    )  # fmt: skip
    if status != 0:
        raise SimulationError(
            f"scenario {label!r}: the fixed-step integration diverged at t = "
            f"{step * dt_ms / 1000.0:.4f} s (dt = {dt_ms} ms): a membrane potential left "
            f"±{V_DIVERGED_MV:g} mV or a state became non-finite. No valid scenario is known to "
            f"do this; try a smaller dt_ms and please report the scenario"
        )
    if np.any(n_spikes > max_events) or np.any(n_maps > max_events):
        raise SimulationError(
            f"scenario {label!r}: a unit fired more than 400 spikes per second; the "
            f"integration is not physiological"
        )
    time_ms = (np.arange(n_rec) + 1) * record_every * dt_ms
    return EngineOutput(
        time_ms=time_ms,
        force=out_force,
        calcium=out_ca,
        voltage=out_v,
        ia_hz=out_ia,
        ib_hz=out_ib,
        pi_mM=out_pi,
        spikes_ms=[spikes[i, : n_spikes[i]].copy() for i in range(n_units)],
        muscle_aps_ms=[maps[i, : n_maps[i]].copy() for i in range(n_units)],
    )


@njit(cache=True, error_model="numpy")
def _fibre_rhs_all(sf, fpar, k_leak, out):
    dy = np.empty(N_FIBRE_STATES)
    lam = np.empty(N_FIBRE_STATES)
    for i in range(sf.shape[0]):
        fibre_derivatives(sf[i], fpar[i], k_leak[i], dy, lam)
        out[i, :] = dy


@njit(cache=True, error_model="numpy")
def _force_all(sf, fpar, w):
    f = 0.0
    for i in range(sf.shape[0]):
        f += w[i] * fibre_force(sf[i], fpar[i])
    return f


def run_reference(
    inp: EngineInput,
    record_dt_ms: float,
    record_units: np.ndarray,
    label: str,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_step_ms: float = 0.1,
) -> EngineOutput:
    """Integrate the same equations with ``solve_ivp`` (Radau), exact rate functions.

    Slow (a Python right-hand side): meant for tests and benchmarks on short runs.
    """
    # Imported here: scipy.integrate costs ~0.5 s of import time and only this path needs it.
    from scipy.integrate import solve_ivp

    p = inp.neuron_params
    n_units = inp.upar.shape[0]
    nsn, nsf = N_NEURON_STATES, N_FIBRE_STATES
    phi = q10_factor(inp.temperature_C, p.q10)
    g = inp.gpar
    up = inp.upar
    k_leak = np.array([sr_leak_rate(inp.fpar[i]) for i in range(n_units)])
    n_in = inp.inputs.shape[0]
    dfib = np.empty((n_units, nsf))
    rp = inp.rpar
    syn_density = 1e-6 / up[:, U_AREA]
    n_blocks = int(np.ceil(inp.duration_ms / INPUT_DT_MS)) + 1
    # Per-block reflex quantities, filled as the integration reaches each block start.
    ia_hist = np.zeros(n_blocks)
    ib_hist = np.zeros(n_blocks)
    g_ia = np.zeros(n_blocks)
    g_ib = np.zeros(n_blocks)
    act_hist = np.zeros(n_blocks)
    aff_sd = np.zeros(n_blocks)
    pump = np.zeros(n_units)
    p_cnt = np.zeros(n_units)
    noise_own = inp.noise[:, :n_units]
    noise_aff = inp.noise[:, n_units:] if inp.noise.shape[1] > n_units else None
    scale = np.ones(n_blocks)
    passive = np.zeros(n_blocks)
    d_ia = max(1, int(rp[R_IA_DELAY] / INPUT_DT_MS + 0.5))
    d_ib = max(1, int(rp[R_IB_DELAY] / INPUT_DT_MS + 0.5))
    w = up[:, U_WEIGHT]

    def start_block(b: int, y: np.ndarray) -> None:
        sf = np.ascontiguousarray(y[n_units * nsn :].reshape(n_units, nsf))
        active = _force_all(sf, inp.fpar, w)
        r = inp.inputs[min(b, n_in - 1)]
        length, vel = r[IN_LENGTH], r[IN_VELOCITY]
        scale[b] = force_length(length, rp[R_FL_W]) * force_velocity(
            vel, rp[R_VMAX], rp[R_HILL], rp[R_ECC]
        )
        passive[b] = passive_tension(length, rp[R_P_SCALE], rp[R_P_SHAPE])
        ia_hist[b] = spindle_ia_rate(length, vel, active, rp, r[IN_IA_MULT])
        ib_hist[b] = tendon_ib_rate(active * scale[b] + passive[b], rp, r[IN_IB_MULT])
        ia_d = ia_hist[b - d_ia] if b >= d_ia else ia_hist[0]
        ib_d = ib_hist[b - d_ib] if b >= d_ib else ib_hist[0]
        g_ia[b] = rp[R_IA_W] * max(0.0, ia_d - rp[R_IA_REST])
        g_ib[b] = rp[R_IB_W] * ib_d * r[IN_IB_GATE]
        act_hist[b] = active
        act_d = act_hist[b - d_ia] if b >= d_ia else act_hist[0]
        aff_sd[b] = g[G_AFF_NOISE] * np.sqrt(max(act_d, 0.0))
        counts = np.array([len(s) for s in spikes], dtype=float)
        pump[:] = pump * g[G_PUMP_KEEP] + g[G_PUMP_PER_SPIKE] * (counts - p_cnt)
        p_cnt[:] = counts

    def row_index(t: float) -> int:
        return min(int(t / INPUT_DT_MS), n_in - 1)

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        sn = y[: n_units * nsn].reshape(n_units, nsn)
        sf = y[n_units * nsn :].reshape(n_units, nsf)
        k_row = row_index(t)
        r = inp.inputs[k_row]
        v = sn[:, NV]
        ve = v - r[IN_SHIFT_MV]
        rates = gate_rates(ve, p)
        m, h, n, pp, c = sn[:, NM], sn[:, NH], sn[:, NN], sn[:, NP], sn[:, NC]
        q = ahp_activation(c, up[:, U_KDAHP])
        ks = r[IN_K_SCALE]
        g_na = g[G_NA] * m**3 * h
        g_k = g[G_K] * ks * n**4 + g[G_LK] * ks + up[:, U_GAHP] * q
        g_pic = up[:, U_GPIC] * pp
        i_drive, g_drive_inh = drive_split(
            drive_density(r[IN_DRIVE_NA], up[:, U_AREA], g[G_DRIVE_SAT]))  # fmt: skip
        g_inh = r[IN_G_INH] + g_ib[k_row] * syn_density + g_drive_inh
        g_exc = g_ia[k_row] * syn_density + sn[:, NDAP]
        i_ion = (
            (g_na + g[G_LNA] + g_pic) * (v - r[IN_E_NA])
            + g_k * (v - r[IN_E_K])
            + g_inh * (v - r[IN_E_CL])
            + g_exc * (v - E_EXC_MV)
        )
        i_inj = i_drive + noise_own[k_row] - pump
        if noise_aff is not None:
            i_inj = i_inj + aff_sd[k_row] * noise_aff[k_row]
        dn = np.zeros((n_units, nsn))
        dn[:, NV] = (i_inj - i_ion) / g[G_CM]
        for name, col in (("m", NM), ("h", NH), ("n", NN)):
            inf, tau = rates[name]
            dn[:, col] = (inf - sn[:, col]) * phi / tau
        inf, tau = rates["pic"]
        dn[:, NP] = (inf - pp) / tau
        influx = ahp_ca_influx(ve)
        dn[:, NC] = up[:, U_AHPRATE] * influx - c / up[:, U_TAUAHP]
        dn[:, NDAP] = -sn[:, NDAP] / g[G_DAP_TAU]
        _fibre_rhs_all(np.ascontiguousarray(sf), inp.fpar, k_leak, dfib)
        return np.concatenate((dn.ravel(), dfib.ravel()))

    def make_event(i: int):
        def ev(t: float, y: np.ndarray) -> float:
            return y[i * nsn + NV] - SPIKE_DETECT_MV

        ev.terminal = True
        ev.direction = 1.0
        return ev

    events = [make_event(i) for i in range(n_units)]
    y = np.concatenate((inp.sn0.ravel(), inp.sf0.ravel()))
    t_end = inp.duration_ms
    # Times at which the right-hand side changes: input rows that differ from the last.
    # The right-hand side may change at every block (inputs, noise, reflex), so stop there.
    breaks = [float(k * INPUT_DT_MS) for k in range(1, n_blocks) if k * INPUT_DT_MS < t_end]
    arrivals: list[tuple[float, int]] = [
        (ts + STIM_LATENCY_MS, i)
        for ts in inp.stim_times_ms
        for i in range(n_units)
        if up[i, U_STIM] > 0.5 and inp.inputs[min(int(ts), n_in - 1), IN_MUSCLE_OK] > 0.5
    ]
    spikes: list[list[float]] = [[] for _ in range(n_units)]
    maps: list[list[float]] = [[] for _ in range(n_units)]
    last_ap = np.full(n_units, -1e9)
    dap_add = np.zeros(n_units)
    ts_out: list[np.ndarray] = []
    ys_out: list[np.ndarray] = []
    t = 0.0
    next_block = 0
    while t < t_end:
        while next_block < n_blocks and next_block * INPUT_DT_MS <= t + 1e-9:
            start_block(next_block, y)
            next_block += 1
        nxt = min([a for a, _ in arrivals if a > t] + [b for b in breaks if b > t] + [t_end])
        sol = solve_ivp(
            rhs,
            (t, nxt),
            y,
            method="Radau",
            rtol=rtol,
            atol=atol,
            max_step=max_step_ms,
            events=events,
            dense_output=True,
        )
        if sol.status == -1:
            raise SimulationError(
                f"scenario {label!r}: reference integration failed at t = {t / 1000:.4f} s: "
                f"{sol.message}"
            )
        t_stop = float(sol.t[-1])
        # Record-grid indices, not times: a segment that ends exactly on a grid point (an
        # AP arrival) must neither drop nor repeat that sample through rounding.
        k_lo = int(np.floor(t / record_dt_ms + 1e-7)) + 1
        k_hi = int(np.floor(t_stop / record_dt_ms + 1e-7))
        grid = np.arange(k_lo, k_hi + 1) * record_dt_ms
        if grid.size:
            ts_out.append(grid)
            ys_out.append(sol.sol(grid).T)
        y = sol.y[:, -1].copy()
        v_now = y[: n_units * nsn : nsn]
        if not np.all(np.abs(v_now) < V_DIVERGED_MV):  # also catches NaN
            raise SimulationError(
                f"scenario {label!r}: the reference integration left the physiological range "
                f"at t = {float(sol.t[-1]) / 1000.0:.4f} s (|V| > {V_DIVERGED_MV:g} mV or "
                f"non-finite). No valid scenario is known to do this; please report the "
                f"scenario"
            )
        if sol.status == 1:
            for i, te in enumerate(sol.t_events):
                if te.size:
                    spikes[i].append(float(te[0]))
                    shift_now = inp.inputs[min(int(te[0]), n_in - 1), IN_SHIFT_MV]
                    dap_add[i] = g[G_DAP_PER_MV] * max(0.0, -shift_now)
                    if inp.inputs[min(int(te[0]), n_in - 1), IN_NMJ_OK] > 0.5:
                        arrivals.append((float(te[0]) + up[i, U_DELAY], i))
            # Step just past the crossing so the same event is not found again.
            y = sol.sol(t_stop + 1e-6)
            t_stop += 1e-6
            for i in range(n_units):
                y[i * nsn + NDAP] += dap_add[i]
                dap_add[i] = 0.0
        for a, i in arrivals:
            if t < a <= t_stop + 1e-12 and fibre_accepts(a, last_ap[i]):
                last_ap[i] = a
                ca_now = y[n_units * nsn + i * nsf + 1]
                y[n_units * nsn + i * nsf] += release_availability(
                    ca_now, inp.fpar[i, P_REL_INACT_K])  # fmt: skip
                maps[i].append(a)
        t = t_stop
    time_ms = np.concatenate(ts_out) if ts_out else np.zeros(0)
    ys = np.vstack(ys_out) if ys_out else np.zeros((0, y.size))
    sf_all = ys[:, n_units * nsn :].reshape(-1, n_units, nsf)
    active = np.array([_force_all(np.ascontiguousarray(s), inp.fpar, w) for s in sf_all])
    # A sample at the end of a step belongs to the block that step was in.
    blk = np.clip(np.ceil(time_ms / INPUT_DT_MS - 1e-9).astype(int) - 1, 0, n_blocks - 1)
    force = active * scale[blk] + passive[blk]
    calcium = sf_all[:, :, 1] @ w
    rec = np.asarray(record_units, dtype=np.int64)
    voltage = ys[:, rec * nsn + NV]
    return EngineOutput(
        time_ms=time_ms,
        force=force,
        calcium=calcium,
        voltage=voltage,
        ia_hz=ia_hist[blk],
        ib_hz=ib_hist[blk],
        pi_mM=sf_all[:, :, 7] @ w,
        spikes_ms=[np.array(s) for s in spikes],
        muscle_aps_ms=[np.array(sorted(s)) for s in maps],
    )


__all__ = ["N_FIBRE_PARAMS", "EngineInput", "EngineOutput", "run_fixed_step", "run_reference"]
