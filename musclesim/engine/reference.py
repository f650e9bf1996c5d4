"""The reference integrator: the same equations handed to ``scipy.integrate.solve_ivp``.

The right-hand side is built from the layers' own compiled functions
(:func:`musclesim.neuron.membrane_current`, :func:`musclesim.neuron.ahp_ca_derivative`,
:func:`musclesim.contraction.fibre_derivatives`) with exact gate rates
(:func:`musclesim.neuron.gate_kinetics`) instead of tables; the reflex loop, synaptic
input, pump and event rules are the same functions the fixed-step kernel calls. Radau
stops at every input block, every spike and every muscle action potential. Slow (a Python
loop around a compiled right-hand side): for tests and benchmarks on short runs.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .. import axon, reflex
from ..contraction import (
    P_CA_REST,
    fibre_derivatives,
    fibre_force,
    open_release_channels,
    sr_leak_rate,
)
from ..errors import SimulationError
from ..neuron import (
    G_CM,
    SPIKE_DETECT_MV,
    ahp_ca_derivative,
    ahp_ca_influx,
    gate_kinetics,
    membrane_current,
    pump_after_block,
)
from ..nmj import STIM_LATENCY_MS, fibre_accepts
from ..reflex import R_IA_DELAY, R_IB_DELAY, afferent_input, afferent_noise_sd
from ..sarcolemma import conducting_mean
from ..synapses import synaptic_input
from .fixed import V_DIVERGED_MV
from .layout import (
    AV,
    F_CA,
    F_PI,
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
    N_FIBRE_STATES,
    N_NEURON_STATES,
    NC,
    NH,
    NM,
    NN,
    NP,
    NV,
    U_AREA,
    U_AXNOISE,
    U_DELAY,
    U_DRIVE_SAT,
    U_STIM,
    U_WEIGHT,
    EngineInput,
    EngineOutput,
    PoolLayout,
)

#: Columns of the four gates (:data:`musclesim.neuron.GATE_NAMES`) in a neuron row.
_GATE_COLUMNS = (NM, NH, NN, NP)


@njit(cache=True, error_model="numpy")
def _neuron_rhs(sn, kin, influx, env, syn, gp, up, out):
    """Time derivatives of every unit's neuron state (``out``, per ms).

    ``kin`` is :func:`musclesim.neuron.gate_kinetics` and ``influx`` the AHP Ca influx at
    each unit's present V; ``syn`` rows are (inhibitory, excitatory conductance, injected
    current) per unit.
    """
    x_inf, tau, phi = kin
    for i in range(sn.shape[0]):
        v = sn[i, NV]
        gates = (sn[i, NM], sn[i, NH], sn[i, NN], sn[i, NP])
        i_ion = membrane_current(v, gates, sn[i, NC], env, (syn[i, 0], syn[i, 1]), gp, up[i])
        out[i, :] = 0.0
        out[i, NV] = (syn[i, 2] - i_ion) / gp[G_CM]
        for k in range(4):
            out[i, _GATE_COLUMNS[k]] = (x_inf[k, i] - gates[k]) * phi[k] / tau[k, i]
        out[i, NC] = ahp_ca_derivative(sn[i, NC], influx[i], up[i])


@njit(cache=True, error_model="numpy")
def _fibre_rhs(sf, fpar, k_leak, out):
    """Time derivatives of every unit's fibre state (``out``, per ms)."""
    dy = np.empty(N_FIBRE_STATES)
    lam = np.empty(N_FIBRE_STATES)
    for i in range(sf.shape[0]):
        fibre_derivatives(sf[i], fpar[i], k_leak[i], dy, lam)
        out[i, :] = dy


@njit(cache=True, error_model="numpy")
def _pool_force(sf, fpar, w):
    """Active force of the pool: each unit's fibre force times its share."""
    f = 0.0
    for i in range(sf.shape[0]):
        f += w[i] * fibre_force(sf[i], fpar[i])
    return f


class _Blocks:
    """Per-block quantities of the reflex loop and the synaptic input, filled as the
    integration reaches each block start (the fixed-step kernel's rules, block by block)."""

    def __init__(self, inp: EngineInput, n_blocks: int) -> None:
        n_units = inp.upar.shape[0]
        self.inp = inp
        self.ia = np.zeros(n_blocks)
        self.ib = np.zeros(n_blocks)
        self.act = np.zeros(n_blocks)
        self.met = np.zeros(n_blocks)
        self.scale = np.ones(n_blocks)
        self.passive = np.zeros(n_blocks)
        self.frac = np.ones(n_blocks)
        self.syn = np.zeros((n_blocks, n_units, 3))
        # Each axon's slow-K, persistent-Na and coupling conductances and node current.
        self.axon = np.zeros((n_blocks, 4, n_units))
        self.pump = np.zeros(n_units)
        self.p_cnt = np.zeros(n_units)
        self.delays = (reflex.delay_blocks(inp.rpar[R_IA_DELAY], INPUT_DT_MS),
                       reflex.delay_blocks(inp.rpar[R_IB_DELAY], INPUT_DT_MS))  # fmt: skip

    def start(self, b: int, sf: np.ndarray, counts: np.ndarray) -> None:
        """Block ``b`` begins with fibre states ``sf`` and ``counts`` spikes so far."""
        inp = self.inp
        r = inp.inputs[min(b, inp.inputs.shape[0] - 1)]
        self.frac[b] = r[IN_CONDUCTING]
        active = conducting_mean(_pool_force(sf, inp.fpar, inp.upar[:, U_WEIGHT]), 0.0,
                                 self.frac[b])  # fmt: skip
        self.scale[b], self.passive[b], self.ia[b], self.ib[b], self.met[b] = (
            reflex.reflex_block(r[IN_LENGTH], r[IN_VELOCITY], active, inp.rpar,
                                r[IN_IA_MULT], r[IN_IB_MULT],
                                self.met[b - 1] if b > 0 else 0.0, INPUT_DT_MS,
                                r[IN_IB_ADD]))  # fmt: skip
        self.act[b] = active
        g_ia, g_ib = afferent_input(b, self.ia, self.ib, self.delays, inp.rpar, r[IN_IB_GATE])
        aff_sd = afferent_noise_sd(b, self.met, self.delays[0], inp.afferent_noise_uA_cm2)
        n_units = inp.upar.shape[0]
        row = min(b, inp.noise.shape[0] - 1)
        for i in range(n_units):
            self.pump[i] = pump_after_block(self.pump[i], counts[i] - self.p_cnt[i], inp.gpar)
            aff = aff_sd * inp.noise[row, n_units + i] if inp.noise.shape[1] > n_units else 0.0
            i_drive, g_exc, g_inh = synaptic_input(
                r[IN_DRIVE_NA], g_ia, g_ib, r[IN_G_INH], inp.upar[i, U_AREA],
                inp.upar[i, U_DRIVE_SAT], aff)  # fmt: skip
            i_inj = i_drive - self.pump[i] + inp.noise[row, i]
            self.syn[b, i] = (g_inh, g_exc, i_inj)
            col = int(inp.upar[i, U_AXNOISE])
            level = r[IN_AX_IRR] if col >= 0 else 0.0
            g_ks, g_nap, g_c = axon.irritated_unit(level, inp.axon_gks[i], inp.apar)
            i_ax = float(inp.axon_noise[row, col]) if col >= 0 else 0.0
            self.axon[b, :, i] = (g_ks, g_nap, g_c, i_ax)
        self.p_cnt[:] = counts


def _arrivals_of_stimuli(inp: EngineInput) -> list[tuple[float, int]]:
    """Muscle APs that nerve stimuli cause: (time in ms, unit)."""
    n_in = inp.inputs.shape[0]
    return [
        (ts + STIM_LATENCY_MS, i)
        for ts in inp.stim_times_ms
        for i in range(inp.upar.shape[0])
        if inp.upar[i, U_STIM] > 0.5 and inp.inputs[min(int(ts), n_in - 1), IN_CONDUCTING] > 0.0
    ]


def _rhs(inp: EngineInput, lay: PoolLayout, blocks: _Blocks):
    """The right-hand side ``f(t, y)`` of the whole pool for ``solve_ivp``."""
    n_units = lay.n_units
    n_in = inp.inputs.shape[0]
    k_leak = np.array([sr_leak_rate(inp.fpar[i]) for i in range(n_units)])
    dn = np.empty((n_units, N_NEURON_STATES))
    dfib = np.empty((n_units, N_FIBRE_STATES))

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        sn, sa, sf = lay.unpack(y)
        k_row = min(int(t / INPUT_DT_MS), n_in - 1)
        r = inp.inputs[k_row]
        v_eff = sn[:, NV] - r[IN_SHIFT_MV]
        kin = gate_kinetics(v_eff, inp.neuron_params, inp.temperature_C)
        env = (r[IN_E_NA], r[IN_E_K], r[IN_E_CL])
        _neuron_rhs(np.ascontiguousarray(sn), kin, ahp_ca_influx(v_eff), env,
                    blocks.syn[k_row], inp.gpar, inp.upar, dn)  # fmt: skip
        akin = axon.kinetics(sa[:, AV], r[IN_AX_SHIFT_MV], inp.axon_params, inp.temperature_C)
        ax = blocks.axon[k_row]
        da = axon.axon_derivatives(np.ascontiguousarray(sa), akin, (r[IN_AX_E_NA], r[IN_AX_E_K]),
                                   (ax[0], ax[1], ax[2], ax[3]), inp.apar)  # fmt: skip
        _fibre_rhs(np.ascontiguousarray(sf), inp.fpar, k_leak, dfib)
        return lay.pack(dn, da, dfib)

    return rhs


def _spike_events(lay: PoolLayout) -> list:
    """Terminal events: each unit's soma V crossing the spike threshold upward (it sends a
    spike into the axon), then each unit's axon V crossing it (the unit's discharge)."""

    def spike_event(i: int, layer: str):
        pos = lay.offset(i, layer, "v_mV")

        def ev(t: float, y: np.ndarray) -> float:
            return float(y[pos] - SPIKE_DETECT_MV)

        ev.terminal = True  # type: ignore[attr-defined]
        ev.direction = 1.0  # type: ignore[attr-defined]
        return ev

    return [spike_event(i, layer) for layer in ("neuron", "axon") for i in range(lay.n_units)]


def _sample(sol, t: float, t_stop: float, record_dt_ms: float,
            out: tuple[list[np.ndarray], list[np.ndarray]]) -> None:  # fmt: skip
    """Append the record-grid samples of a segment ``(t, t_stop]`` to ``out``.

    Grid indices, not times: a segment that ends exactly on a grid point (an AP arrival)
    must neither drop nor repeat that sample through rounding."""
    k_lo = int(np.floor(t / record_dt_ms + 1e-7)) + 1
    k_hi = int(np.floor(t_stop / record_dt_ms + 1e-7))
    grid = np.arange(k_lo, k_hi + 1) * record_dt_ms
    if grid.size:
        out[0].append(grid)
        out[1].append(sol.sol(grid).T)


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

    Raises
    ------
    SimulationError
        If the integration fails or leaves the physiological range, naming ``label``.
    """
    # Imported here: scipy.integrate costs ~0.5 s of import time and only this path needs it.
    from scipy.integrate import solve_ivp

    n_units = inp.upar.shape[0]
    lay = PoolLayout(n_units)
    blocks = _Blocks(inp, int(np.ceil(inp.duration_ms / INPUT_DT_MS)) + 1)
    rhs, events = _rhs(inp, lay, blocks), _spike_events(lay)
    spikes: list[list[float]] = [[] for _ in range(n_units)]
    maps: list[list[float]] = [[] for _ in range(n_units)]
    y = lay.pack(inp.sn0, inp.sa0, inp.sf0)
    # The right-hand side may change at every block (inputs, noise, reflex): stop there.
    breaks = [float(k * INPUT_DT_MS) for k in range(1, blocks.ia.size)
              if k * INPUT_DT_MS < inp.duration_ms]  # fmt: skip
    arrivals = _arrivals_of_stimuli(inp)
    last_ap = np.full(n_units, -1e9)
    out: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])
    t = 0.0
    next_block = 0
    while t < inp.duration_ms:
        while next_block < blocks.ia.size and next_block * INPUT_DT_MS <= t + 1e-9:
            counts = np.array([len(s) for s in spikes], dtype=float)
            blocks.start(next_block, np.ascontiguousarray(lay.unpack(y)[2]), counts)
            next_block += 1
        nxt = min([a for a, _ in arrivals if a > t] + [b for b in breaks if b > t]
                  + [inp.duration_ms])  # fmt: skip
        sol = solve_ivp(rhs, (t, nxt), y, method="Radau", rtol=rtol, atol=atol,
                        max_step=max_step_ms, events=events, dense_output=True)  # fmt: skip
        if sol.status == -1:
            raise SimulationError(
                f"scenario {label!r}: reference integration failed at t = {t / 1000:.4f} s: "
                f"{sol.message}"
            )
        t_stop = float(sol.t[-1])
        _sample(sol, t, t_stop, record_dt_ms, out)
        y = sol.y[:, -1].copy()
        if not np.all(np.abs(lay.unpack(y)[0][:, NV]) < V_DIVERGED_MV):  # also catches NaN
            raise SimulationError(
                f"scenario {label!r}: the reference integration left the physiological range "
                f"at t = {t_stop / 1000.0:.4f} s (|V| > {V_DIVERGED_MV:g} mV or "
                f"non-finite). No valid scenario is known to do this; please report the "
                f"scenario"
            )
        if sol.status == 1:
            y, t_stop = _after_spikes(sol, t_stop, inp, lay, spikes, arrivals)
        for a, i in arrivals:
            if t < a <= t_stop + 1e-12 and fibre_accepts(a, last_ap[i]):
                last_ap[i] = a
                open_release_channels(lay.unpack(y)[2][i], inp.fpar[i])
                maps[i].append(a)
        t = t_stop
    return _output(inp, lay, blocks, out, record_units, spikes, maps)


def _after_spikes(sol, t_stop: float, inp: EngineInput, lay: PoolLayout,
                  spikes: list[list[float]], arrivals: list[tuple[float, int]]):  # fmt: skip
    """Handle the spikes that stopped a segment: a soma spike kicks its axon
    (:attr:`musclesim.axon.AxonParams.orthodromic_kick_mV`), an axon spike is the unit's
    discharge (recorded; its muscle AP scheduled). Return the state just past the crossing
    (so it is not found again) and its time."""
    n_in = inp.inputs.shape[0]
    n = lay.n_units
    kick = np.zeros(n)
    for k, te in enumerate(sol.t_events):
        if not te.size:
            continue
        i = k % n
        if k < n:
            kick[i] = inp.apar[axon.A_KICK]
            continue
        t_sp = float(te[0])
        spikes[i].append(t_sp)
        if inp.inputs[min(int(t_sp), n_in - 1), IN_NMJ_OK] > 0.5:
            arrivals.append((t_sp + inp.upar[i, U_DELAY], i))
    y = sol.sol(t_stop + 1e-6)
    sa = lay.unpack(y)[1]
    sa[:, AV] += kick
    return y, t_stop + 1e-6


def _output(inp: EngineInput, lay: PoolLayout, blocks: _Blocks,
            out: tuple[list[np.ndarray], list[np.ndarray]], record_units: np.ndarray,
            spikes: list[list[float]], maps: list[list[float]]) -> EngineOutput:  # fmt: skip
    """Traces on the record grid from the dense output (``out``: times and states of each
    segment), and the event lists."""
    ts_out, ys_out = out
    time_ms = np.concatenate(ts_out) if ts_out else np.zeros(0)
    ys = np.vstack(ys_out) if ys_out else np.zeros((0, lay.size))
    sn_all, _, sf_all = lay.unpack(ys)
    w = inp.upar[:, U_WEIGHT]
    active = np.array([_pool_force(np.ascontiguousarray(s), inp.fpar, w) for s in sf_all])
    # A sample at the end of a step belongs to the block that step was in.
    n_blocks = blocks.ia.size
    blk = np.clip(np.ceil(time_ms / INPUT_DT_MS - 1e-9).astype(int) - 1, 0, n_blocks - 1)
    rec = np.asarray(record_units, dtype=np.int64)
    ca_rest = float(w @ inp.fpar[:, P_CA_REST])
    frac = blocks.frac[blk]
    conducting = np.array(
        [conducting_mean(float(a), 0.0, float(f)) for a, f in zip(active, frac, strict=True)]
    )
    ca = np.array([conducting_mean(float(c), ca_rest, float(f))
                   for c, f in zip(sf_all[:, :, F_CA] @ w, frac, strict=True)])  # fmt: skip
    return EngineOutput(
        time_ms=time_ms,
        force=conducting * blocks.scale[blk] + blocks.passive[blk],
        calcium=ca,
        voltage=sn_all[:, rec, NV],
        ia_hz=blocks.ia[blk],
        ib_hz=blocks.ib[blk],
        pi_mM=sf_all[:, :, F_PI] @ w,
        spikes_ms=[np.array(s) for s in spikes],
        muscle_aps_ms=[np.array(sorted(s)) for s in maps],
    )
