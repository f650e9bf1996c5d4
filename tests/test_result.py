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


def test_emg_signal_processing_equals_scipy_signal():
    # The EMG convolves and estimates its spectrum with scipy.fft (scipy.signal would add
    # ~0.6 s to every process that synthesises an EMG): the same numbers as
    # scipy.signal.fftconvolve(mode="same") and scipy.signal.welch with its defaults.
    from scipy.signal import fftconvolve, welch

    from musclesim.emg import _convolve_same, _welch, spectrum_frequencies

    rng = np.random.default_rng(3)
    for n in (2, 999, 1000, 12_345):
        x = rng.standard_normal(n)
        for m in (1, 96, 97):
            k = rng.standard_normal(m)
            np.testing.assert_allclose(_convolve_same(x, k), fftconvolve(x, k, mode="same"),
                                       rtol=0, atol=1e-12)  # fmt: skip
        nperseg = min(1000, n)
        f_ref, p_ref = welch(x, fs=EMG_RATE_HZ, nperseg=nperseg)
        f, p = _welch(x, EMG_RATE_HZ, nperseg)
        np.testing.assert_allclose(f, f_ref)
        np.testing.assert_allclose(p, p_ref, rtol=1e-10, atol=1e-15)
    assert all(np.isnan(spectrum_frequencies(np.zeros(1))))
