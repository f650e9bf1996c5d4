"""Invariants of the compiled fibre step (issue 6): Ca ≥ 0, buffer occupancies and the
cross-bridge fractions within their bounds, for any valid fibre type and any train of
muscle action potentials. Result does not expose these states, so the step is driven here
directly, exactly as the engine calls it (0.1-ms steps, one release per AP)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from musclesim.contraction import (
    P_PARV_TOT,
    P_TAU_REL,
    P_TROP_TOT,
    FibreParams,
    fibre_force,
    fibre_rest_state,
    fibre_step,
    sr_leak_rate,
)

DT_MS = 0.1  # the engine's FIBRE_DT_MS


@settings(max_examples=25, deadline=None)
@given(
    speed=st.floats(1.0, 3.0),  # slowest to fastest unit of the default pool
    rate_hz=st.floats(1.0, 150.0),
    jitter=st.floats(0.0, 0.9),
    pi_extra=st.floats(0.0, 20.0),
    seed=st.integers(0, 2**31 - 1),
)
def test_fibre_states_stay_within_their_bounds(speed, rate_hz, jitter, pi_extra, seed):
    fp = FibreParams().with_speed(speed)
    par = fp.as_array()
    s = fibre_rest_state(fp)
    s[7] += pi_extra
    k_leak = sr_leak_rate(par)
    rel_keep = np.exp(-DT_MS / par[P_TAU_REL])
    rel_mean = par[P_TAU_REL] / DT_MS * (1.0 - rel_keep)
    rng = np.random.default_rng(seed)
    isi_steps = 1000.0 / rate_hz / DT_MS
    next_ap = 0.0
    for k in range(10_000):  # 1 s
        if k >= next_ap:
            s[0] += 1.0
            next_ap = k + max(20.0, isi_steps * (1.0 + jitter * rng.uniform(-1.0, 1.0)))
        fibre_step(s, par, k_leak, DT_MS, rel_mean, rel_keep)
        assert np.all(np.isfinite(s))
        assert s[1] >= 0.0 and s[2] >= 0.0  # free and SR Ca, µM
        assert -1e-9 <= s[3] <= par[P_TROP_TOT] * (1 + 1e-9)  # Ca-bound troponin
        assert -1e-9 <= s[4] <= par[P_PARV_TOT] * (1 + 1e-9)  # Ca-bound parvalbumin
        assert -1e-12 <= s[5] and -1e-12 <= s[6] and s[5] + s[6] <= 1.0 + 1e-9
        assert 0.0 <= fibre_force(s, par) <= 1.0 + 1e-9
