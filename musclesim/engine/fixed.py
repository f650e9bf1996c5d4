"""The compiled fixed-step integrator.

Per step of ``dt_ms`` every motor neuron takes :func:`musclesim.neuron.membrane_step`
(Rush–Larsen gates from tables, Crank–Nicolson membrane; five sub-steps during a spike),
every fibre :func:`musclesim.contraction.fibre_step` each ``FIBRE_DT_MS``, and the reflex
loop (:func:`musclesim.reflex.reflex_block`) is closed once per input block. The event
rules are the layers' own: a spike is an upward crossing of
:data:`musclesim.neuron.SPIKE_DETECT_MV`; if the junction transmits, its muscle action
potential arrives the axon's conduction delay later; a nerve stimulus makes it arrive
:data:`musclesim.nmj.STIM_LATENCY_MS` after the pulse; a muscle AP outside the fibre's
refractory period (:func:`musclesim.nmj.fibre_accepts`) opens the SR release channels
(:func:`musclesim.contraction.open_release_channels`) at the start of the fibre step it
falls in (up to one fibre step early).

Everything runs inside compiled loops over units: no Python call and no allocation per
step. Units advance in lockstep groups (:func:`_advance_group`), so the processor overlaps
the dependent chain of one unit's membrane step with those of the others. A pool large
enough runs on numba's thread count: one Python thread per share of the groups, each in
the same compiled kernel without the GIL, meeting at a barrier twice per stretch of blocks
(:func:`_team_wait`).
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from typing import Any, NamedTuple

import numba
import numpy as np
from numba import njit, types

from .. import reflex
from ..axon import A_KICK, AxonParams, axon_step, irritated_unit
from ..axon import gate_tables as axon_gate_tables
from ..contraction import (
    P_CA_REST,
    P_TAU_REL,
    fibre_force,
    fibre_force_scaled,
    fibre_step,
    max_attached_fraction,
    open_release_channels,
    sr_leak_rate,
)
from ..errors import SimulationError
from ..neuron import (
    SPIKE_DETECT_MV,
    TABLE_DV_MV,
    TABLE_V_MIN_MV,
    U_KDAHP,
    NeuronParams,
    gate_tables,
    membrane_step,
    pump_after_block,
    unit_cell,
)
from ..nmj import STIM_LATENCY_MS, fibre_accepts
from ..reflex import R_IA_DELAY, R_IB_DELAY, afferent_input, afferent_noise_sd
from ..sarcolemma import conducting_mean
from ..synapses import synaptic_input
from .layout import (
    AH,
    AI,
    AM,
    AN,
    AS,
    AV,
    F_CA,
    F_PI,
    F_REL,
    FIBRE,
    IN_AX_E_K,
    IN_AX_E_NA,
    IN_AX_IRR,
    IN_AX_SHIFT_MV,
    IN_CONDUCTING,
    IN_DRIVE_NA,
    IN_E_CL,
    IN_E_K,
    IN_E_NA,
    IN_G_INH,
    IN_IA_MULT,
    IN_IB_ADD,
    IN_IB_GATE,
    IN_IB_MULT,
    IN_LENGTH,
    IN_NMJ_OK,
    IN_SHIFT_MV,
    IN_VELOCITY,
    INPUT_DT_MS,
    NC,
    NEURON,
    NH,
    NM,
    NN,
    NP,
    NPCNT,
    NPUMP,
    NV,
    U_AREA,
    U_AXNOISE,
    U_DELAY,
    U_DRIVE_SAT,
    U_STIM,
    U_TAUAHP,
    U_WEIGHT,
    EngineInput,
    EngineOutput,
    Layout,
)

#: Largest believable |V| (mV); beyond it the integration has diverged.
V_DIVERGED_MV = 250.0
#: Above this membrane potential (mV) a step is split into N_FINE sub-steps (the spike).
FINE_ABOVE_MV = -40.0
N_FINE = 5
#: Below this node potential (mV, ~6 mV above rest and as far below threshold) the axon
#: takes one step of AXON_QUIET_STEPS·dt every AXON_QUIET_STEPS steps: between spikes it
#: relaxes with the node's ~1-ms time constant and its slow K's tens of ms, which 0.1-ms
#: Rush–Larsen/Crank–Nicolson steps follow (tests/test_numerics.py holds it to the Radau
#: reference); a kick from the soma or a depolarisation above it returns to every step.
AXON_QUIET_BELOW_MV = -76.0
AXON_QUIET_STEPS = 4
#: A soma at rest — below this potential (mV; a resting soma sits near −72 mV; the trough
#: after a spike is deeper, but its AHP is then open) and with its AHP Ca signal below
#: SOMA_QUIET_AHP·kd_ahp (the SK channels < 1 % open: no after-hyperpolarisation is still
#: decaying) — likewise takes one step of AXON_QUIET_STEPS·dt at every
#: AXON_QUIET_STEPS-th step and skips the steps between, so it stays on the clock's grid.
#: Its synaptic input is constant within a 1-ms block, so this is done only where a block
#: holds a whole number of such steps (dt = 0.025 ms and most other steps). Resting somata
#: are most of a pool at rest or in a spasm, whose discharges start in the axons; a firing
#: soma never qualifies, so spike timing keeps the full step (tests/test_numerics.py holds
#: both to the Radau reference, and the firing soma to its convergence in dt). Numerical
#: choices, not physiology: SOMA_QUIET_BELOW_MV in mV, SOMA_QUIET_AHP a fraction of each
#: unit's kd_ahp; −62 mV, or no AHP condition, lets a firing soma's AHP trough take long
#: steps and breaks the convergence bounds of tests/test_numerics.py.
SOMA_QUIET_BELOW_MV = -69.0
SOMA_QUIET_AHP = 0.1
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
#: Simulated time between progress reports of :func:`run_fixed_step`, ms (rounded to whole
#: stretches). Teaching choice: a few reports per second of wall time at the speed of a
#: 100-unit pool, while the ~0.1 ms cost of each extra kernel call stays negligible.
PROGRESS_CHUNK_MS = 250.0
#: Ring-buffer length for muscle APs in flight along an axon (ample for < 500 Hz × 20 ms).
PENDING = 16
#: Longest stretch of 1-ms blocks that units advance without synchronising (it is also
#: bounded by the shorter afferent delay); bounds the per-stretch buffers.
MAX_STRETCH_BLOCKS = 32

#: Columns of the lockstep work array (one row per unit): the soma's and the axon's state
#: while a group advances, this block's synaptic input, the time the earliest muscle AP in
#: flight is due (ms), the unit's weighted force and Ca, whether its fibre step is deferred,
#: whether a soma spike is on its way into the axon, and this block's axon membrane
#: (slow-K, persistent-Na and node–internode conductances, mS/cm², and the current into
#: the node, µA/cm²: :func:`musclesim.axon.irritated_unit`), and whether the soma is in a
#: quiet step (SOMA_QUIET_BELOW_MV). Rows are N_WORK values (256 bytes, four cache lines)
#: so that units on different threads rarely write to the same cache line.
WORK = Layout((
    "v_mV", "m", "h", "n", "pic", "ahp_ca",
    "axon_v_mV", "axon_m", "axon_h", "axon_n", "axon_s", "axon_v_internode_mV",
    "g_exc_mS_cm2", "g_inh_mS_cm2", "i_syn_uA_cm2", "next_ap_ms", "force", "ca_uM",
    "fibre_deferred", "axon_kick", "axon_g_ks", "axon_g_nap", "axon_g_c", "axon_i_inj",
    "soma_quiet",
))  # fmt: skip
W_V, W_M, W_H, W_N, W_P, W_C = (WORK.index(n) for n in WORK.names[:6])
W_AV, W_AM, W_AH, W_AN, W_AS, W_AI = (WORK.index(n) for n in WORK.names[6:12])
W_GEXC = WORK.index("g_exc_mS_cm2")
W_GINH = WORK.index("g_inh_mS_cm2")
W_IINJ = WORK.index("i_syn_uA_cm2")
W_DUE = WORK.index("next_ap_ms")
W_F = WORK.index("force")
W_CA = WORK.index("ca_uM")
W_SKIP = WORK.index("fibre_deferred")
W_KICK = WORK.index("axon_kick")
W_SQUIET = WORK.index("soma_quiet")
W_AGKS, W_AGNAP, W_AGC, W_AINJ = (WORK.index(n) for n in WORK.names[20:24])
N_WORK = 32
assert len(WORK) <= N_WORK
# The neuron and axon columns that the work array mirrors, in the same order.
_MIRROR = tuple(NEURON.index(n) for n in WORK.names[:6])
assert _MIRROR == (NV, NM, NH, NN, NP, NC)
_AX_MIRROR = (AV, AM, AH, AN, AS, AI)

# The step loop and the functions it calls are compiled without numba's reference counting
# (``_nrt=False``): they read their arrays from the records above, and every such read
# would otherwise count a reference up and down again (measured: 7× slower). Safe because
# nothing in them allocates or keeps an array beyond the call: run_fixed_step makes every
# array.
_UNCOUNTED: dict[str, Any] = {"cache": True, "error_model": "numpy", "_nrt": False}

# Columns of the per-unit release factors: the release channels' decay factor e^(−Δ/τ)
# and mean open fraction τ/Δ·(1 − e^(−Δ/τ)) over one fibre step (Δ = dt_f) and over a
# double step (Δ = 2·dt_f).
R_KEEP, R_MEAN, R_KEEP2, R_MEAN2 = range(4)


class Config(NamedTuple):
    """Sizes and steps of one run (scalars)."""

    n_steps: int
    steps_per_block: int
    dt: float
    fibre_every: int
    record_every: int
    quiet_rel: float
    soma_quiet_mv: float
    afferent_sd: float
    ia_delay_blocks: int
    ib_delay_blocks: int
    ca_rest_uM: float


class Tables(NamedTuple):
    """Gate tables of soma and axon for the step, the spike sub-step and the quiet step
    (AXON_QUIET_STEPS·dt), and their voltage grid."""

    coarse: np.ndarray
    fine: np.ndarray
    ax_coarse: np.ndarray
    ax_fine: np.ndarray
    ax_quiet: np.ndarray
    quiet: np.ndarray
    v_min: float
    inv_dv: float


class Params(NamedTuple):
    """Parameters and per-unit constants hoisted out of the step loop."""

    gpar: np.ndarray
    upar: np.ndarray
    apar: np.ndarray
    gks: np.ndarray
    fpar: np.ndarray
    rpar: np.ndarray
    k_leak: np.ndarray
    xb_max: np.ndarray
    c_keep: np.ndarray
    c_keep_fine: np.ndarray
    c_keep_quiet: np.ndarray
    rel_fac: np.ndarray
    groups: np.ndarray


class Drive(NamedTuple):
    """Inputs per block, noise per block and unit, the irritated axons' current per block,
    nerve stimuli handled per block."""

    inputs: np.ndarray
    noise: np.ndarray
    axon_noise: np.ndarray
    stim_times: np.ndarray
    stim_lo: np.ndarray
    stim_hi: np.ndarray


class State(NamedTuple):
    """Neuron, axon and fibre rows, the work array and the muscle APs in flight."""

    sn: np.ndarray
    sa: np.ndarray
    sf: np.ndarray
    ws: np.ndarray
    pending: np.ndarray
    n_pend: np.ndarray
    last_ap: np.ndarray


class Events(NamedTuple):
    """Spike and muscle-AP times (ms) per unit, with their counts."""

    spikes: np.ndarray
    n_spikes: np.ndarray
    maps: np.ndarray
    n_maps: np.ndarray


class Stretch(NamedTuple):
    """Buffers of one stretch of blocks: afferent input per block, each unit's force and
    Pi at each block start and its recorded samples, and each group's status."""

    g_ia: np.ndarray
    g_ib: np.ndarray
    aff_sd: np.ndarray
    f_start: np.ndarray
    pi_start: np.ndarray
    fbuf: np.ndarray
    cbuf: np.ndarray
    status: np.ndarray


class Record(NamedTuple):
    """Recorded traces and the per-block history of the reflex loop."""

    rec_col: np.ndarray
    voltage: np.ndarray
    force: np.ndarray
    calcium: np.ndarray
    ia: np.ndarray
    ib: np.ndarray
    pi: np.ndarray
    ia_hist: np.ndarray
    ib_hist: np.ndarray
    act_hist: np.ndarray
    met_hist: np.ndarray


# The threads of one run meet at a barrier built from a POSIX mutex and condition variable
# (called by name from the compiled kernel, so the kernel stays cacheable): a waiting
# thread sleeps rather than spins, which matters on a machine shared with other work.
# Windows has no pthreads: there the kernel runs on one thread.
TEAM_THREADS = os.name == "posix"
if TEAM_THREADS:
    _mutex_lock = types.ExternalFunction("pthread_mutex_lock", types.int32(types.intp))
    _mutex_unlock = types.ExternalFunction("pthread_mutex_unlock", types.int32(types.intp))
    _cond_wait = types.ExternalFunction("pthread_cond_wait", types.int32(types.intp, types.intp))
    _cond_broadcast = types.ExternalFunction("pthread_cond_broadcast", types.int32(types.intp))

#: Slots of a team's shared sync array: threads arrived at the barrier, barrier
#: generation, thread count, and the addresses of the mutex and the condition variable.
S_COUNT, S_GEN, S_THREADS, S_MUTEX, S_COND = range(5)


if TEAM_THREADS:

    @njit(cache=True, error_model="numpy")
    def _team_wait(sync):
        """Wait until every thread of the team has arrived (a reusable barrier)."""
        _mutex_lock(sync[S_MUTEX])
        gen = sync[S_GEN]
        sync[S_COUNT] += 1
        if sync[S_COUNT] == sync[S_THREADS]:
            sync[S_COUNT] = 0
            sync[S_GEN] = gen + 1
            _cond_broadcast(sync[S_COND])
        else:
            while sync[S_GEN] == gen:  # a wake-up may be spurious
                _cond_wait(sync[S_COND], sync[S_MUTEX])
        _mutex_unlock(sync[S_MUTEX])

else:

    @njit(cache=True, error_model="numpy")
    def _team_wait(sync):
        """One thread only (no pthreads): nothing to wait for."""


@njit(cache=True, error_model="numpy", inline="always")
def _schedule_ap(i, t_ms, st):
    """Put a muscle AP of unit ``i`` due at ``t_ms`` into its ring buffer."""
    slot = st.n_pend[i] % PENDING
    st.pending[i, slot] = t_ms
    st.n_pend[i] += 1
    st.ws[i, W_DUE] = min(st.ws[i, W_DUE], t_ms)


@njit(**_UNCOUNTED)
def _spike(i, t_sp, nmj_ok, upar, st, ev):
    """Record a spike of unit ``i`` at ``t_sp`` ms and schedule its muscle AP. Not
    inlined: spikes are rare, and keeping their stores out of the step loop leaves the
    compiler free to schedule the membrane steps."""
    k = ev.n_spikes[i]
    if k < ev.spikes.shape[1]:
        ev.spikes[i, k] = t_sp
    ev.n_spikes[i] = k + 1
    if nmj_ok:
        _schedule_ap(i, t_sp + upar[i, U_DELAY], st)


@njit(**_UNCOUNTED)
def _sub_step(i, h_dt, table, env, syn, mem, c_keep, par, ws):
    """One soma membrane step of ``h_dt`` ms for unit ``i``; ``mem`` is ``(v, gates, c)``.
    Returns the new ``mem`` and whether V left the believable range. A soma spike is sent
    into the axon (its kick flag), which fires the unit's discharge. A real call, not
    inlined into the step loop: compiled once, it keeps the cold compile short and measured
    as fast."""
    v, gates, c = mem
    v_new, gates, c = membrane_step(v, gates, c, h_dt, table, env, syn, par.gpar,
                                    unit_cell(par.upar, i), c_keep)  # fmt: skip
    # No early exit: a loop with one exit lets the compiler schedule the interleaved units
    # freely. The caller reports the step after this step's units.
    bad = not (abs(v_new) < V_DIVERGED_MV)  # also catches NaN
    if v < SPIKE_DETECT_MV <= v_new:
        ws[i, W_KICK] = 1.0
    return (v_new, gates, c), bad


@njit(**_UNCOUNTED)
def _axon_sub_step(i, t, h_dt, table, env, mem, par, st_ev):
    """One axon step of ``h_dt`` ms from ``t`` for unit ``i``; ``mem`` is ``(v, gates, vi)``.
    An upward crossing of the spike threshold is the unit's discharge: recorded, and its
    muscle AP scheduled. Returns the new ``mem`` and whether V left the believable range."""
    v, gates, vi = mem
    ws = st_ev[0].ws
    unit = (ws[i, W_AGKS], ws[i, W_AGNAP], ws[i, W_AGC], ws[i, W_AINJ])
    v_new, gates, vi = axon_step(v, gates, vi, h_dt, table, env, unit, par.apar)
    bad = not (abs(v_new) < V_DIVERGED_MV)
    if v < SPIKE_DETECT_MV <= v_new:
        st, ev, nmj_ok = st_ev
        _spike(i, t + h_dt * (SPIKE_DETECT_MV - v) / (v_new - v), nmj_ok, par.upar, st, ev)
    return (v_new, gates, vi), bad


@njit(cache=True, error_model="numpy", inline="always")
def _unit_step(i, t, due, cfg, tabs, par, env, st_ev):
    """Advance the soma and then the axon of unit ``i`` by one step from ``t`` ms; return
    True if either diverged. ``due``: this step starts a quiet step (every
    AXON_QUIET_STEPS-th step). ``env`` is the soma's (shift, E_Na, E_K, E_Cl) and the
    axon's (shift, E_Na, E_K), mV."""
    ws = st_ev[0].ws
    env_soma, env_axon = env
    mem = (ws[i, W_V], (ws[i, W_M], ws[i, W_H], ws[i, W_N], ws[i, W_P]), ws[i, W_C])
    syn = (ws[i, W_GINH], ws[i, W_GEXC], ws[i, W_IINJ])
    # A soma at rest (SOMA_QUIET_BELOW_MV): one long step when ``due``, none until the next.
    if due:
        quiet = mem[0] < cfg.soma_quiet_mv and mem[2] < SOMA_QUIET_AHP * par.upar[i, U_KDAHP]
        ws[i, W_SQUIET] = 1.0 if quiet else 0.0
    else:
        quiet = ws[i, W_SQUIET] > 0.0
    bad = False
    if quiet:
        if due:
            table = (tabs.quiet, tabs.v_min, tabs.inv_dv)
            mem, bad = _sub_step(i, AXON_QUIET_STEPS * cfg.dt, table, env_soma, syn, mem,
                                 par.c_keep_quiet[i], par, ws)  # fmt: skip
    elif mem[0] < FINE_ABOVE_MV:
        # Between spikes: one step, straight-line code (the common case).
        table = (tabs.coarse, tabs.v_min, tabs.inv_dv)
        mem, bad = _sub_step(i, cfg.dt, table, env_soma, syn, mem, par.c_keep[i], par, ws)
    else:
        # During a spike the membrane moves ~10 mV per 0.025 ms; sub-steps there keep the
        # phase error per spike small without paying for them between spikes.
        h_dt = cfg.dt / N_FINE
        table = (tabs.fine, tabs.v_min, tabs.inv_dv)
        bad = False
        for _ in range(N_FINE):
            mem, b = _sub_step(i, h_dt, table, env_soma, syn, mem, par.c_keep_fine[i], par, ws)
            bad = bad or b
    v, gates, c = mem
    ws[i, W_V] = v
    ws[i, W_M], ws[i, W_H], ws[i, W_N], ws[i, W_P] = gates
    ws[i, W_C] = c
    # The axon: a soma spike of this step arrives as a depolarising kick.
    va = ws[i, W_AV]
    if ws[i, W_KICK] > 0.0:
        ws[i, W_KICK] = 0.0
        va += par.apar[A_KICK]
    amem = (va, (ws[i, W_AM], ws[i, W_AH], ws[i, W_AN], ws[i, W_AS]), ws[i, W_AI])
    if va < AXON_QUIET_BELOW_MV:
        # Well below threshold the node relaxes on a scale of ~1 ms: one step of
        # AXON_QUIET_STEPS·dt every AXON_QUIET_STEPS steps, none in between. The axon is then
        # up to AXON_QUIET_STEPS − 1 steps ahead of the clock; a kick in that window starts
        # from it (an error below 0.1 ms, held to the Radau reference by test_numerics).
        if due:
            table = (tabs.ax_quiet, tabs.v_min, tabs.inv_dv)
            amem, b = _axon_sub_step(i, t, AXON_QUIET_STEPS * cfg.dt, table, env_axon, amem,
                                     par, st_ev)  # fmt: skip
            bad = bad or b
    elif va < FINE_ABOVE_MV:
        table = (tabs.ax_coarse, tabs.v_min, tabs.inv_dv)
        amem, b = _axon_sub_step(i, t, cfg.dt, table, env_axon, amem, par, st_ev)
        bad = bad or b
    else:
        h_dt = cfg.dt / N_FINE
        table = (tabs.ax_fine, tabs.v_min, tabs.inv_dv)
        for sub in range(N_FINE):
            amem, b = _axon_sub_step(i, t + sub * h_dt, h_dt, table, env_axon, amem, par, st_ev)
            bad = bad or b
    va, agates, vi = amem
    ws[i, W_AV] = va
    ws[i, W_AM], ws[i, W_AH], ws[i, W_AN], ws[i, W_AS] = agates
    ws[i, W_AI] = vi
    return bad


@njit(cache=True, error_model="numpy")
def _fibre_step_called(s, par, k_leak, dt, rel_mean, rel_keep):
    """:func:`contraction.fibre_step` as a real call, for the rare deferred step of a
    quiet fibre (it is inlined where it is hot), which keeps the cold compile shorter."""
    fibre_step(s, par, k_leak, dt, rel_mean, rel_keep)


@njit(**_UNCOUNTED)
def _deliver_aps(i, t_end, par, st, ev):
    """Muscle APs of unit ``i`` due by ``t_end`` ms open the SR release channels (those
    the fibre accepts), as many as the Ca of that moment leaves available."""
    due = np.inf
    for slot in range(PENDING):
        ta = st.pending[i, slot]
        if ta <= t_end:
            st.pending[i, slot] = np.inf
            if fibre_accepts(ta, st.last_ap[i]):
                st.last_ap[i] = ta
                open_release_channels(st.sf[i], par.fpar[i])
                k = ev.n_maps[i]
                if k < ev.maps.shape[1]:
                    ev.maps[i, k] = ta
                ev.n_maps[i] = k + 1
        else:
            due = min(due, ta)
    st.ws[i, W_DUE] = due


@njit(cache=True, error_model="numpy", inline="always")
def _fibre_update(i, t_end, odd, cfg, par, st, ev):
    """Advance the fibre of unit ``i`` to ``t_end`` ms; return True if it diverged.

    Fibre steps end at multiples of dt_f; a quiet fibre skips the odd ones and covers two
    at the next even one (a recording that falls between the two halves shows that fibre
    one fibre step late)."""
    ws, sf = st.ws, st.sf
    dt_f = cfg.dt * cfg.fibre_every
    if odd and sf[i, F_REL] < cfg.quiet_rel and ws[i, W_DUE] > t_end + dt_f:
        ws[i, W_SKIP] = 1.0
        return False
    fp, kl, rf = par.fpar[i], par.k_leak[i], par.rel_fac[i]
    double = False
    if ws[i, W_SKIP] > 0.0:
        ws[i, W_SKIP] = 0.0
        double = ws[i, W_DUE] > t_end
        if not double:  # an AP due after all: the deferred step first, then as usual
            _fibre_step_called(sf[i], fp, kl, dt_f, rf[R_MEAN], rf[R_KEEP])
    span, mean, keep = dt_f, rf[R_MEAN], rf[R_KEEP]
    if double:
        span, mean, keep = 2.0 * dt_f, rf[R_MEAN2], rf[R_KEEP2]
    elif ws[i, W_DUE] <= t_end:
        # A muscle AP due by the end of this step acts at the start of the step.
        _deliver_aps(i, t_end, par, st, ev)
    fibre_step(sf[i], fp, kl, span, mean, keep)
    w = par.upar[i, U_WEIGHT]
    ws[i, W_F] = w * fibre_force_scaled(sf[i], fp, par.xb_max[i])
    ws[i, W_CA] = w * sf[i, F_CA]
    return not (sf[i, F_CA] >= 0.0 and sf[i, F_CA] < 1e5)


@njit(cache=True, error_model="numpy", inline="always")
def _block_start(i, b, kb, par, drv, st, ev, stb):
    """Inputs of unit ``i`` for block ``b`` (the ``kb``-th of its stretch): nerve stimuli,
    synaptic input, Na⁺/K⁺ pump; and its force and Pi at the block start for the loop."""
    ws, sn = st.ws, st.sn
    up = par.upar[i]
    row = min(b, drv.inputs.shape[0] - 1)
    stb.f_start[i, kb] = ws[i, W_F]
    stb.pi_start[i, kb] = up[U_WEIGHT] * st.sf[i, F_PI]
    # Nerve stimuli of this block: the muscle AP after the latency (the latency exceeds a
    # block, so scheduling at the block start changes nothing).
    if up[U_STIM] > 0.5 and drv.inputs[row, IN_CONDUCTING] > 0.0:
        for k in range(drv.stim_lo[b], drv.stim_hi[b]):
            _schedule_ap(i, drv.stim_times[k] + STIM_LATENCY_MS, st)
    n_u = sn.shape[0]
    aff = stb.aff_sd[kb] * drv.noise[row, n_u + i] if drv.noise.shape[1] > n_u else 0.0
    i_drive, g_exc, g_inh = synaptic_input(
        drv.inputs[row, IN_DRIVE_NA], stb.g_ia[kb], stb.g_ib[kb], drv.inputs[row, IN_G_INH],
        up[U_AREA], up[U_DRIVE_SAT], aff)  # fmt: skip
    ws[i, W_GEXC] = g_exc
    ws[i, W_GINH] = g_inh
    pump = pump_after_block(sn[i, NPUMP], ev.n_spikes[i] - sn[i, NPCNT], par.gpar)
    sn[i, NPUMP] = pump
    sn[i, NPCNT] = float(ev.n_spikes[i])
    ws[i, W_IINJ] = i_drive - pump + drv.noise[row, i]
    # The axon's membrane in this block: changed only where the irritation reaches it.
    col = int(up[U_AXNOISE])
    level = drv.inputs[row, IN_AX_IRR] if col >= 0 else 0.0
    ws[i, W_AGKS], ws[i, W_AGNAP], ws[i, W_AGC] = irritated_unit(level, par.gks[i], par.apar)
    ws[i, W_AINJ] = drv.axon_noise[row, col] if col >= 0 else 0.0


@njit(cache=True, error_model="numpy", inline="always")
def _load_group(g0, g1, st):
    """Copy the membrane state of units ``g0`` … ``g1 − 1`` into the work array."""
    for i in range(g0, g1):
        for k in range(len(_MIRROR)):
            st.ws[i, k] = st.sn[i, _MIRROR[k]]
        for k in range(len(_AX_MIRROR)):
            st.ws[i, W_AV + k] = st.sa[i, _AX_MIRROR[k]]
        # Earliest muscle AP in flight: the ring buffer is scanned only once one is due.
        due = np.inf
        for slot in range(PENDING):
            due = min(due, st.pending[i, slot])
        st.ws[i, W_DUE] = due


@njit(cache=True, error_model="numpy", inline="always")
def _store_group(g0, g1, st):
    """Copy the membrane state of units ``g0`` … ``g1 − 1`` back from the work array."""
    for i in range(g0, g1):
        for k in range(len(_MIRROR)):
            st.sn[i, _MIRROR[k]] = st.ws[i, k]
        for k in range(len(_AX_MIRROR)):
            st.sa[i, _AX_MIRROR[k]] = st.ws[i, W_AV + k]


@njit(cache=True, error_model="numpy", inline="always")
def _record(step, g0, g1, rec_base, cfg, st, stb, rec):
    """Samples of units ``g0`` … ``g1 − 1`` at the end of ``step`` (a recording step);
    return True if one of them is not finite (:func:`run_fixed_step` then finds which
    state variable of which unit)."""
    k = (step + 1) // cfg.record_every - 1
    bad = False
    for i in range(g0, g1):
        stb.fbuf[i, k - rec_base] = st.ws[i, W_F]
        stb.cbuf[i, k - rec_base] = st.ws[i, W_CA]
        if rec.rec_col[i] >= 0:
            rec.voltage[k, rec.rec_col[i]] = st.ws[i, W_V]
        if not (np.isfinite(st.ws[i, W_F]) and np.isfinite(st.ws[i, W_CA])):
            bad = True
    return bad


@njit(**_UNCOUNTED)
def _advance_group(span, cfg, tabs, par, drv, st, ev, stb, rec):
    """Advance units ``g0`` to ``g1 − 1`` through blocks ``b0`` to ``b1 − 1`` (``span``);
    return −1, or the step at which one of them diverged.

    Units do not interact within these blocks (every coupling between them, the reflex
    loop, acts through delays at least as long), so groups of units can run in parallel.
    Within a group the units advance in lockstep, one step for every unit before the next
    step: the step of one membrane is a chain of dependent operations (V → table → gates →
    one division → V), and interleaving the independent chains of several units lets the
    processor overlap them. Each unit's arithmetic is exactly that of a unit advanced alone.
    """
    g0, g1, b0, b1 = span
    _load_group(g0, g1, st)
    rec_base = (b0 * cfg.steps_per_block) // cfg.record_every
    inputs = drv.inputs
    for b in range(b0, b1):
        s0 = b * cfg.steps_per_block
        s1 = min(s0 + cfg.steps_per_block, cfg.n_steps)
        row = min(b, inputs.shape[0] - 1)
        env_soma = (inputs[row, IN_SHIFT_MV], inputs[row, IN_E_NA], inputs[row, IN_E_K],
                    inputs[row, IN_E_CL])  # fmt: skip
        env_axon = (inputs[row, IN_AX_SHIFT_MV], inputs[row, IN_AX_E_NA], inputs[row, IN_AX_E_K])
        env = (env_soma, env_axon)
        st_ev = (st, ev, inputs[row, IN_NMJ_OK] > 0.5)
        for i in range(g0, g1):
            _block_start(i, b, b - b0, par, drv, st, ev, stb)
        # Phase counters instead of integer modulos per step.
        f_phase = s0 % cfg.fibre_every
        r_phase = s0 % cfg.record_every
        q_phase = s0 % AXON_QUIET_STEPS
        for step in range(s0, s1):
            t = step * cfg.dt
            due = q_phase == 0
            q_phase += 1
            if q_phase == AXON_QUIET_STEPS:
                q_phase = 0
            diverged = False
            for i in range(g0, g1):
                if _unit_step(i, t, due, cfg, tabs, par, env, st_ev):
                    diverged = True
            if diverged:
                return step
            f_phase += 1
            if f_phase == cfg.fibre_every:
                f_phase = 0
                odd = ((step + 1) // cfg.fibre_every) % 2 == 1
                for i in range(g0, g1):
                    if _fibre_update(i, t + cfg.dt, odd, cfg, par, st, ev):
                        diverged = True
                if diverged:
                    return step
            r_phase += 1
            if r_phase == cfg.record_every:
                r_phase = 0
                if _record(step, g0, g1, rec_base, cfg, st, stb, rec):
                    return step
    _store_group(g0, g1, st)
    return -1


@njit(cache=True, error_model="numpy")
def _reflex_block(b, active, drv, par, rec):
    """Afferent rates of block ``b`` from the length, velocity and active force at its
    start, kept in the history; return the force–length–velocity scale and passive
    tension."""
    r = drv.inputs[min(b, drv.inputs.shape[0] - 1)]
    scale, passive, ia, ib, met = reflex.reflex_block(
        r[IN_LENGTH], r[IN_VELOCITY], active, par.rpar, r[IN_IA_MULT], r[IN_IB_MULT],
        rec.met_hist[b - 1] if b > 0 else 0.0, INPUT_DT_MS, r[IN_IB_ADD])  # fmt: skip
    rec.met_hist[b] = met
    rec.ia_hist[b] = ia
    rec.ib_hist[b] = ib
    rec.act_hist[b] = active
    return scale, passive


@njit(cache=True, error_model="numpy", inline="always")
def _stretch_afferents(b0, b1, cfg, par, drv, stb, rec):
    """Afferent input of each block of a stretch, from rates at least one delay old."""
    for b in range(b0, b1):
        ib_gate = drv.inputs[min(b, drv.inputs.shape[0] - 1), IN_IB_GATE]
        stb.g_ia[b - b0], stb.g_ib[b - b0] = afferent_input(
            b, rec.ia_hist, rec.ib_hist, (cfg.ia_delay_blocks, cfg.ib_delay_blocks), par.rpar,
            ib_gate)  # fmt: skip
        # Fatigue-afferent noise grows with the contraction, reported after the Ia delay.
        stb.aff_sd[b - b0] = afferent_noise_sd(b, rec.met_hist, cfg.ia_delay_blocks,
                                               cfg.afferent_sd)  # fmt: skip


@njit(cache=True, error_model="numpy", inline="always")
def _close_loop(b0, b1, cfg, par, drv, stb, rec):
    """Pool force, afferent rates and recorded samples of a stretch, block by block,
    exactly as if the loop were closed at every block."""
    n_units = stb.f_start.shape[0]
    rec0 = (b0 * cfg.steps_per_block) // cfg.record_every
    for b in range(b0, b1):
        active = 0.0
        pi_pool = 0.0
        for i in range(n_units):
            active += stb.f_start[i, b - b0]
            pi_pool += stb.pi_start[i, b - b0]
        # Fibres that do not conduct (hyperkalaemia) make no force and keep resting Ca.
        frac = drv.inputs[min(b, drv.inputs.shape[0] - 1), IN_CONDUCTING]
        active = conducting_mean(active, 0.0, frac)
        scale, passive = _reflex_block(b, active, drv, par, rec)
        s0 = b * cfg.steps_per_block
        s1 = min(s0 + cfg.steps_per_block, cfg.n_steps)
        for k in range(s0 // cfg.record_every, s1 // cfg.record_every):
            fs = 0.0
            cs = 0.0
            for i in range(n_units):
                fs += stb.fbuf[i, k - rec0]
                cs += stb.cbuf[i, k - rec0]
            rec.force[k] = conducting_mean(fs, 0.0, frac) * scale + passive
            rec.calcium[k] = conducting_mean(cs, cfg.ca_rest_uM, frac)
            rec.ia[k] = rec.ia_hist[b]
            rec.ib[k] = rec.ib_hist[b]
            rec.pi[k] = pi_pool


@njit(cache=True, error_model="numpy", nogil=True)
def run_kernel(cfg, tabs, par, drv, st, ev, stb, rec, b_start, b_stop, team):
    """Advance the pool from input block ``b_start`` to ``b_stop`` (1-ms blocks; the
    run has ``cfg.n_steps`` steps of ``cfg.dt`` ms) in place, as thread ``tid`` of a team
    (``team`` is ``(tid, sync)``; :data:`S_COUNT` … for ``sync``).

    ``b_start`` is 0 or a multiple of the stretch length (``stb.g_ia.shape[0]``), so that a
    run called in consecutive pieces (for a progress report between them) follows exactly
    the trajectory of one call over every block.

    The reflex loop couples the units only through afferent delays of at least the
    stretch length, so the units are advanced independently through each stretch of
    blocks, each thread its share of the groups, and then the pool-level quantities are
    summed block by block by thread 0. Every thread of the team calls this function with
    the same arguments but ``tid``; they meet at a barrier after the afferent input of a
    stretch and after its groups. Returns ``(status, step)``: status 0 on success, 1 if a
    state became non-finite or diverged at ``step`` (the same in every thread).

    Every work array is allocated by the caller (:func:`run_fixed_step`): array creation
    inside compiled code costs seconds of compilation for nothing at run time.
    """
    tid, sync = team
    n_threads = sync[S_THREADS]
    n_units = st.sn.shape[0]
    n_groups = par.groups.shape[0] - 1
    g_lo = tid * n_groups // n_threads
    g_hi = (tid + 1) * n_groups // n_threads
    if b_start == 0 and tid == 0:
        active = 0.0
        for i in range(n_units):
            st.ws[i, W_F] = par.upar[i, U_WEIGHT] * fibre_force(st.sf[i], par.fpar[i])
            st.ws[i, W_CA] = par.upar[i, U_WEIGHT] * st.sf[i, F_CA]
            active += st.ws[i, W_F]
        # b_start (0 here), not a literal 0: numba would compile _reflex_block a second
        # time for the argument type Literal[int](0) (~0.5 s of the cold start).
        _reflex_block(b_start, active, drv, par, rec)
    n_blocks = min(b_stop, rec.ia_hist.shape[0])
    n_stretch = stb.g_ia.shape[0]
    for b0 in range(b_start, n_blocks, n_stretch):
        b1 = min(b0 + n_stretch, n_blocks)
        if tid == 0:
            _stretch_afferents(b0, b1, cfg, par, drv, stb, rec)
        if n_threads > 1:
            _team_wait(sync)
        for g in range(g_lo, g_hi):
            stb.status[g] = _advance_group((par.groups[g], par.groups[g + 1], b0, b1), cfg,
                                           tabs, par, drv, st, ev, stb, rec)  # fmt: skip
        if n_threads > 1:
            _team_wait(sync)
        bad = -1
        for g in range(n_groups):
            if stb.status[g] >= 0 and (bad < 0 or stb.status[g] < bad):
                bad = stb.status[g]
        if bad >= 0:
            return 1, bad
        if tid == 0:
            _close_loop(b0, b1, cfg, par, drv, stb, rec)
    return 0, cfg.n_steps


#: The arguments of :func:`run_kernel` before the block range and the team.
KernelArgs = tuple[Config, Tables, Params, Drive, State, Events, Stretch, Record]


class _Team:
    """The threads of one run: its shared sync array and the mutex and condition variable
    it names (POSIX; :data:`TEAM_THREADS`)."""

    def __init__(self, n_threads: int) -> None:
        self.n_threads = n_threads if TEAM_THREADS else 1
        self.sync = np.zeros(5, dtype=np.int64)
        self.sync[S_THREADS] = self.n_threads
        self._objects: tuple[Any, ...] = ()
        if self.n_threads > 1:
            # Ample for pthread_mutex_t and pthread_cond_t on Linux (40, 48 bytes) and
            # macOS (64, 48 bytes).
            mutex, cond = ctypes.create_string_buffer(128), ctypes.create_string_buffer(128)
            _libc().pthread_mutex_init(mutex, None)
            _libc().pthread_cond_init(cond, None)
            self._objects = (mutex, cond)
            self.sync[S_MUTEX] = ctypes.addressof(mutex)
            self.sync[S_COND] = ctypes.addressof(cond)

    def run(self, args: KernelArgs, b_start: int, b_stop: int) -> tuple[int, int]:
        """:func:`run_kernel` from ``b_start`` to ``b_stop`` on every thread of the team;
        this thread is thread 0."""
        if self.n_threads == 1:
            return run_kernel(*args, b_start, b_stop, (0, self.sync))
        pool = _thread_pool()
        others: list[Future[tuple[int, int]]] = [
            pool.submit(run_kernel, *args, b_start, b_stop, (tid, self.sync))
            for tid in range(1, self.n_threads)
        ]
        result = run_kernel(*args, b_start, b_stop, (0, self.sync))
        for f in others:
            f.result()
        return result

    def close(self) -> None:
        """Release the mutex and the condition variable."""
        if self._objects:
            mutex, cond = self._objects
            _libc().pthread_mutex_destroy(mutex)
            _libc().pthread_cond_destroy(cond)
            self._objects = ()


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    """The C library of this process (POSIX), for the pthread objects of a team."""
    return ctypes.CDLL(None)


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _thread_pool() -> ThreadPoolExecutor:
    """The process's worker threads for teams: as many as numba may use, less the caller.
    Started on first use and kept: a run starts no thread of its own. Runs in several
    Python threads at once share it; a team's thread waits in the queue until a worker is
    free, which delays that run and never blocks the others."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max(1, numba.config.NUMBA_NUM_THREADS - 1),  # type: ignore[attr-defined]
                                       thread_name_prefix="musclesim-kernel")  # fmt: skip
        return _POOL


def _forget_pool() -> None:
    """In a forked child: the parent's worker threads do not exist there, so a team would
    wait for them forever; the child starts its own pool on first use."""
    global _POOL, _POOL_LOCK
    _POOL = None
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _interleaved(x_inf: np.ndarray, decay: np.ndarray) -> np.ndarray:
    """Rows per grid voltage: each column as (value at V_j, value at V_(j+1) − value at
    V_j), so that a lookup reads one row and interpolates with one multiply–add per
    column."""
    cols = np.vstack((x_inf, decay)).T
    tab = np.zeros((cols.shape[0], 2 * cols.shape[1]))
    tab[:, 0::2] = cols
    tab[:-1, 1::2] = np.diff(cols, axis=0)
    tab.setflags(write=False)
    return tab


@lru_cache(maxsize=8)
def _gate_tables(params: NeuronParams, axon_params: AxonParams, temperature_C: float,
                 dt_ms: float) -> Tables:  # fmt: skip
    """Rush–Larsen tables of the kernel for steps of ``dt_ms``, ``dt_ms / N_FINE`` and
    ``dt_ms · AXON_QUIET_STEPS``.

    Soma: one row per grid voltage (:func:`musclesim.neuron.gate_tables`), 18 columns: x∞ of
    m, h, n and the PIC gate, the AHP Ca influx, then e^(−dt/τ) of the four gates, each
    interleaved with its step to the next row. Axon: :func:`musclesim.axon.gate_tables`.
    Cached: every run at the same parameters, temperature and dt shares them (the kernel
    only reads them).
    """
    soma = [_interleaved(*gate_tables(params, temperature_C, step))
            for step in (dt_ms, dt_ms / N_FINE)]  # fmt: skip
    ax = [axon_gate_tables(axon_params, temperature_C, step)
          for step in (dt_ms, dt_ms / N_FINE, dt_ms * AXON_QUIET_STEPS)]  # fmt: skip
    quiet = _interleaved(*gate_tables(params, temperature_C, dt_ms * AXON_QUIET_STEPS))
    return Tables(soma[0], soma[1], ax[0], ax[1], ax[2], quiet, TABLE_V_MIN_MV,
                  1.0 / TABLE_DV_MV)  # fmt: skip


def _unit_groups(n_units: int, parallel: bool) -> np.ndarray:
    """Bounds of the groups of units that advance in lockstep: group g is units
    ``groups[g]`` to ``groups[g + 1] − 1``.

    Groups hold at most ``GROUP_UNITS`` units and, when the pool runs in parallel, come in
    a multiple of the thread count (unless there are fewer units than threads), as equal
    as possible, so that every thread gets the same number of units.
    """
    threads = _team_size(parallel)
    n_groups = threads * -(-n_units // (threads * GROUP_UNITS))
    n_groups = max(1, min(n_groups, n_units))
    return np.linspace(0, n_units, n_groups + 1).round().astype(np.int64)


def _team_size(parallel: bool) -> int:
    """Threads a run uses: numba's thread count (``numba.set_num_threads``), or 1."""
    return numba.get_num_threads() if parallel and TEAM_THREADS else 1


def _params(inp: EngineInput, dt_ms: float, fibre_every: int, parallel: bool) -> Params:
    """Parameters with the per-unit constants the step loop would otherwise recompute."""
    up, fp = inp.upar, inp.fpar
    n_units = up.shape[0]
    dt_f = dt_ms * fibre_every
    rel_fac = np.empty((n_units, 4))
    for k, span in ((R_KEEP, dt_f), (R_KEEP2, 2.0 * dt_f)):
        rel_fac[:, k] = np.exp(-span / fp[:, P_TAU_REL])
        rel_fac[:, k + 1] = fp[:, P_TAU_REL] / span * (1.0 - rel_fac[:, k])
    return Params(
        gpar=inp.gpar, upar=up, apar=inp.apar, gks=inp.axon_gks, fpar=fp, rpar=inp.rpar,
        k_leak=np.array([sr_leak_rate(fp[i]) for i in range(n_units)]),
        xb_max=np.array([max_attached_fraction(fp[i]) for i in range(n_units)]),
        c_keep=1.0 / (1.0 + dt_ms / up[:, U_TAUAHP]),
        c_keep_fine=1.0 / (1.0 + dt_ms / N_FINE / up[:, U_TAUAHP]),
        c_keep_quiet=1.0 / (1.0 + dt_ms * AXON_QUIET_STEPS / up[:, U_TAUAHP]),
        rel_fac=rel_fac, groups=_unit_groups(n_units, parallel),
    )  # fmt: skip


def _drive(inp: EngineInput, n_steps: int, steps_per_block: int, dt_ms: float) -> Drive:
    """Inputs with the nerve stimuli handled in each block: ``stim_lo[b]`` to
    ``stim_hi[b] − 1``, those before the middle of the block's last step."""
    n_blocks = (n_steps + steps_per_block - 1) // steps_per_block
    block_end = np.minimum((np.arange(n_blocks) + 1) * steps_per_block, n_steps)
    stim_hi = np.searchsorted(inp.stim_times_ms, block_end * dt_ms - 0.5 * dt_ms, side="left")
    stim_lo = np.concatenate(([0], stim_hi[:-1])).astype(np.int64)
    return Drive(inp.inputs, inp.noise, inp.axon_noise, inp.stim_times_ms, stim_lo,
                 stim_hi.astype(np.int64))  # fmt: skip


def _where_diverged(
    step: int, groups: np.ndarray, st: State, status: np.ndarray
) -> tuple[int, str, float]:
    """The unit, state variable and value that stopped the kernel at ``step``.

    The group that stopped there (``status``) returned before storing its membrane state,
    so its units' neuron and axon variables are still in the work array (axon variables
    named ``axon_…``); fibre variables are in
    ``st.sf``. The first variable that is not finite, or outside the ranges the kernel
    checks (|V| < :data:`V_DIVERGED_MV`, 0 ≤ Ca < 10⁵ µM), is named; failing that, the
    unit's force.
    """
    g = int(np.flatnonzero(status[: groups.size - 1] == step)[0])
    fibre_names = FIBRE.names
    for i in range(int(groups[g]), int(groups[g + 1])):
        for k, name in enumerate(WORK.names[: len(_MIRROR) + len(_AX_MIRROR)]):
            v = float(st.ws[i, k])
            if not np.isfinite(v) or (name.endswith("v_mV") and abs(v) >= V_DIVERGED_MV):
                return i, name, v
        for k, name in enumerate(fibre_names):
            v = float(st.sf[i, k])
            if not np.isfinite(v) or (k == F_CA and not 0.0 <= v < 1e5):
                return i, name, v
        if not np.isfinite(st.ws[i, W_F]):
            return i, "force", float(st.ws[i, W_F])
    i = int(groups[g])
    return i, "force", float(st.ws[i, W_F])


def run_fixed_step(
    inp: EngineInput,
    dt_ms: float,
    record_dt_ms: float,
    record_units: np.ndarray,
    label: str,
    progress: Callable[[float], None] | None = None,
) -> EngineOutput:
    """Integrate with the compiled fixed-step kernel.

    ``progress``, if given, is called with the simulated time reached (ms) after every
    :data:`PROGRESS_CHUNK_MS` of simulated time: the kernel is then called once per chunk
    (between compiled calls, never per step), on the same trajectory as a single call.

    Raises
    ------
    SimulationError
        If a state becomes non-finite or diverges, naming ``label`` and the time.
    """
    n_steps = round(inp.duration_ms / dt_ms)
    record_every = max(1, round(record_dt_ms / dt_ms))
    fibre_every = max(1, round(FIBRE_DT_MS / dt_ms))
    n_rec = n_steps // record_every
    n_units = inp.upar.shape[0]
    spb = round(INPUT_DT_MS / dt_ms)
    n_blocks = (n_steps + spb - 1) // spb
    delays = (reflex.delay_blocks(inp.rpar[R_IA_DELAY], INPUT_DT_MS),
              reflex.delay_blocks(inp.rpar[R_IB_DELAY], INPUT_DT_MS))  # fmt: skip
    n_stretch = max(1, min(delays[0], delays[1], MAX_STRETCH_BLOCKS))
    # Threads pay off only when there are enough units to share (measured: ≥ 8).
    parallel = n_units >= PARALLEL_MIN_UNITS
    # Double fibre steps end on even fibre steps, so they may be taken only when the
    # blocks (where the reflex loop reads each unit's force) start on even fibre steps. Not
    # tied to the recording interval: sampling the traces more finely must not change the
    # trajectory.
    double_ok = spb % (2 * fibre_every) == 0
    # Likewise a resting soma's long steps, so that none runs into the next block's input.
    soma_quiet_ok = spb % AXON_QUIET_STEPS == 0
    cfg = Config(n_steps, spb, dt_ms, fibre_every, record_every,
                 FIBRE_QUIET_REL if double_ok else -1.0,
                 SOMA_QUIET_BELOW_MV if soma_quiet_ok else -np.inf,
                 float(inp.afferent_noise_uA_cm2),
                 delays[0], delays[1],
                 float(inp.upar[:, U_WEIGHT] @ inp.fpar[:, P_CA_REST]))  # fmt: skip
    # Room for 400 spikes per simulated second per unit: far above any physiological rate.
    max_events = int(inp.duration_ms * 0.4) + 16
    ev = Events(np.zeros((n_units, max_events)), np.zeros(n_units, dtype=np.int64),
                np.zeros((n_units, max_events)), np.zeros(n_units, dtype=np.int64))  # fmt: skip
    st = State(inp.sn0.copy(), inp.sa0.copy(), inp.sf0.copy(), np.zeros((n_units, N_WORK)),
               np.full((n_units, PENDING), np.inf), np.zeros(n_units, dtype=np.int64),
               np.full(n_units, -1e9))  # fmt: skip
    per_stretch = n_stretch * spb // record_every + 2
    stb = Stretch(
        g_ia=np.zeros(n_stretch),
        g_ib=np.zeros(n_stretch),
        aff_sd=np.zeros(n_stretch),
        f_start=np.zeros((n_units, n_stretch)),
        pi_start=np.zeros((n_units, n_stretch)),
        fbuf=np.zeros((n_units, per_stretch)),
        cbuf=np.zeros((n_units, per_stretch)),
        status=np.full(n_units, -1, dtype=np.int64),
    )
    rec_units = np.asarray(record_units, dtype=np.int64)
    rec_col = np.full(n_units, -1, dtype=np.int64)
    rec_col[rec_units] = np.arange(rec_units.size)
    rec = Record(
        rec_col=rec_col,
        voltage=np.zeros((n_rec, rec_units.size)),
        force=np.zeros(n_rec),
        calcium=np.zeros(n_rec),
        ia=np.zeros(n_rec),
        ib=np.zeros(n_rec),
        pi=np.zeros(n_rec),
        ia_hist=np.zeros(n_blocks),
        ib_hist=np.zeros(n_blocks),
        act_hist=np.zeros(n_blocks),
        met_hist=np.zeros(n_blocks),
    )
    tabs = _gate_tables(inp.neuron_params, inp.axon_params, inp.temperature_C, dt_ms)
    par = _params(inp, dt_ms, fibre_every, parallel)
    drv = _drive(inp, n_steps, spb, dt_ms)
    args: KernelArgs = (cfg, tabs, par, drv, st, ev, stb, rec)
    team = _Team(min(_team_size(parallel), par.groups.size - 1))
    try:
        # The kernel is compiled (or loaded) before any thread waits for another, by a
        # call over an empty range of blocks (b_start > 0 skips the initial state too).
        empty = (*args, n_blocks + 1, n_blocks + 1, (0, _Team(1).sync))
        if not run_kernel.signatures:
            # The first time in a worker thread: numba's compiler recurses deeply, and
            # CPython 3.11 maps and unmaps a 16-KB frame-stack chunk every time a call
            # crosses a chunk boundary; how often depends on the caller's stack depth
            # (measured: 0.6–2.3 s of system time in the cold compile from a script).
            # A worker thread starts from the same depth whoever calls.
            _thread_pool().submit(run_kernel, *empty).result()
        elif team.n_threads > 1:
            run_kernel(*empty)
        if progress is None:
            status, step = team.run(args, 0, n_blocks)
        else:
            chunk = n_stretch * max(1, round(PROGRESS_CHUNK_MS / INPUT_DT_MS / n_stretch))
            status, step = 0, n_steps
            for b_start in range(0, n_blocks, chunk):
                b_stop = min(b_start + chunk, n_blocks)
                status, step = team.run(args, b_start, b_stop)
                if status != 0:
                    break
                progress(b_stop * INPUT_DT_MS)
    finally:
        team.close()
    if status != 0:
        t_s = (step + 1) * dt_ms / 1000.0
        unit, name, value = _where_diverged(step, par.groups, st, stb.status)
        raise SimulationError(
            f"scenario {label!r}: the fixed-step integration diverged at t = {t_s:.4f} s "
            f"(dt = {dt_ms} ms): unit {unit}, {name} = {value!r} "
            f"({'not finite' if not np.isfinite(value) else 'out of range'}). Every parameter "
            f"was inside its documented range; please report the scenario",
            scenario=label, time_s=t_s, unit=unit, variable=name,
        )  # fmt: skip
    if np.any(ev.n_spikes > max_events) or np.any(ev.n_maps > max_events):
        raise SimulationError(
            f"scenario {label!r}: a unit fired more than 400 spikes per second; the "
            f"integration is not physiological"
        )
    return EngineOutput(
        time_ms=(np.arange(n_rec) + 1) * record_every * dt_ms,
        force=rec.force, calcium=rec.calcium, voltage=rec.voltage, ia_hz=rec.ia, ib_hz=rec.ib,
        pi_mM=rec.pi,
        spikes_ms=[ev.spikes[i, : ev.n_spikes[i]].copy() for i in range(n_units)],
        muscle_aps_ms=[ev.maps[i, : ev.n_maps[i]].copy() for i in range(n_units)],
    )  # fmt: skip
