"""Result: the surface EMG is synthesised when first read, and is the same EMG as one
synthesised straight from the engine's output."""

from __future__ import annotations

import numpy as np

import musclesim as ms
from musclesim import engine as E
from musclesim import result as result_module
from musclesim.emg import EMG_RATE_HZ, NOISE_MV, synthesize_emg
from musclesim.inputs import build_engine_input


def test_emg_is_synthesised_when_first_read_and_kept(monkeypatch):
    calls = []
    real = result_module.synthesize_emg

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(result_module, "synthesize_emg", counting)
    res = ms.simulate("twitch", n_units=10)
    ms.classify(res)
    res.to_dataframe()
    assert calls == []  # simulating, classifying and tabulating read no EMG
    emg = res.emg
    assert len(calls) == 1
    assert res.emg is emg and res.emg_time.size == emg.size
    res.metrics()  # reads the EMG again: the kept one
    assert len(calls) == 1
    assert not emg.flags.writeable and not res.emg_time.flags.writeable


def test_emg_equals_the_emg_synthesised_from_the_engine_output():
    sc = ms.scenario("cramp").replace(n_units=20, duration_s=3.0)
    res = ms.simulate(sc)
    out = E.run_fixed_step(build_engine_input(sc), res.dt_ms, 1.0, np.array([0]), sc.name)
    t, v = synthesize_emg(
        sc, [aps / 1000.0 for aps in out.muscle_aps_ms], out.time_ms / 1000.0, out.pi_mM
    )
    np.testing.assert_array_equal(res.emg_time, t)
    np.testing.assert_array_equal(res.emg, v)
    assert res.emg.size == round(sc.duration_s * EMG_RATE_HZ)
    assert np.abs(res.emg).max() > 10 * NOISE_MV  # motor-unit potentials, not only noise
