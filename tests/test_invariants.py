"""Invariants over the valid parameter space (hypothesis property tests).

Whatever valid scenario a student builds, the outputs must be physical: finite, Ca and
rates non-negative, force between 0 and its ceiling, spike trains ordered in time, and the
same seed must give the same result (in this process and in another), while a different
seed gives a different one.

Budget: the whole file runs in well under 40 s on the CI machine (small pools, short runs,
few examples). ``MUSCLESIM_HYPOTHESIS_EXAMPLES=500`` runs a deeper search locally.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import numba
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musclesim as ms
from musclesim.electrolytes import MOTOR_NEURON_INSIDE
from musclesim.reflex import passive_tension

EXAMPLES = int(os.environ.get("MUSCLESIM_HYPOTHESIS_EXAMPLES", "30"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
P = ms.protocols
IV = ms.interventions


@pytest.fixture(autouse=True, scope="module")
def one_numba_thread():
    """Run this module's simulations on one numba thread.

    The properties concern values, not speed. Pools of 8 or more units run as a team of
    threads that meet at a barrier twice per stretch of blocks; on an oversubscribed
    machine a thread waiting for a core slows many short runs for nothing. The code path
    is the same with one thread, and the cross-process test below checks that the thread
    count does not change a bit.
    """
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


def _f(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


# Hyperpolarising drive over its whole valid range: a negative drive is inhibition, a Cl
# conductance (neuron.drive_split); see test_hyperpolarising_drive_within_its_range_...
MAX_HYPERPOLARISING_NA = -P.MIN_DRIVE_NA

# Plausible plasma: the span of the named disorders in musclesim.electrolytes.DISORDERS
# (severe hypokalaemia 2.0 to severe hyperkalaemia 8.5 mmol/L K, and so on).
electrolytes = st.builds(
    ms.Electrolytes,
    Na=_f(125.0, 150.0),
    K=_f(2.0, 8.5),
    Cl=_f(90.0, 112.0),
    Ca=_f(0.6, 1.6),
    Mg=_f(0.3, 1.4),
)


@st.composite
def scenarios(draw: st.DrawFn, *, isometric: bool = False) -> ms.Scenario:
    """A valid scenario: small pool (1–10 units), 0.2–1 s, any cause and any protocol.

    ``isometric``: the muscle is held at or below its optimal length with no stretch, so
    there is neither passive tension nor lengthening, and force must stay within [0, 1].
    """
    duration = draw(_f(0.2, 1.0))
    t_in = _f(0.0, duration * 0.8)
    kind = draw(st.sampled_from(["none", "twitch", "train", "step", "ramp"]))
    stimulus = drive = None
    if kind == "twitch":
        stimulus = P.twitch(at_s=draw(t_in), amplitude=draw(_f(0.05, 1.0)))
    elif kind == "train":
        stimulus = P.train(
            frequency_hz=draw(_f(1.0, 200.0)),
            start_s=draw(t_in),
            duration_s=draw(_f(0.05, 1.0)),
            amplitude=draw(_f(0.05, 1.0)),
        )
    elif kind == "step":
        drive = P.current_step(draw(_f(-MAX_HYPERPOLARISING_NA, 20.0)), draw(t_in),
                               draw(_f(0.05, 1.0)))  # fmt: skip
    elif kind == "ramp":
        drive = P.ramp(draw(_f(-MAX_HYPERPOLARISING_NA, 20.0)), draw(t_in),
                       rise_s=draw(_f(0.01, 0.5)))  # fmt: skip
    interventions: tuple[ms.interventions.Intervention, ...] = ()
    if isometric:
        length = draw(st.none() | _f(0.6, 1.0).map(P.hold_length))
    else:
        length = draw(
            st.none()
            | _f(0.6, 1.4).map(P.hold_length)
            | st.builds(P.stretch, t_in, _f(0.01, 0.5), _f(0.6, 1.4), _f(0.6, 1.4))
        )
        at = draw(t_in)
        interventions = draw(
            st.lists(
                st.sampled_from(
                    [
                        IV.stretch(at_s=at, to_l0=1.3, ramp_s=0.1),
                        IV.replete(at_s=at, over_s=0.2),
                        IV.heat(at_s=at, over_s=0.1),
                        IV.massage(at_s=at, over_s=0.1),
                        IV.relaxant(at_s=at, over_s=0.1),
                        IV.quinine(at_s=at, over_s=0.1),
                        IV.rest(at_s=at),
                    ]
                ),
                max_size=2,
            ).map(tuple)
        )
    return ms.Scenario(
        name="hypothesis",
        electrolytes=draw(electrolytes),
        duration_s=duration,
        seed=draw(st.integers(0, 2**32 - 1)),
        n_units=draw(st.integers(1, 10)),
        stimulus=stimulus,
        drive=drive,
        length=length,
        irritation=draw(_f(0.0, 1.0)),
        irritation_fraction=draw(_f(0.0, 1.0)),
        fatigue=draw(_f(0.0, 1.0)),
        interventions=interventions,
        temperature_C=draw(_f(32.0, 40.0)),
        synaptic_noise_uA_cm2=draw(_f(0.0, 1.0)),
    )


def _max_length(sc: ms.Scenario) -> float:
    lengths = [1.0] if sc.length is None else list(sc.length.length_l0)
    lengths += [iv.length_target_L0 for iv in sc.interventions if iv.length_target_L0 is not None]
    return max(lengths)


def _force_ceiling(sc: ms.Scenario) -> float:
    """Largest physical tendon force, fraction of maximal isometric tetanic force.

    Active force is at most 1 (optimal length, unfatigued, fused tetanus); lengthening
    raises it to at most ``eccentric_max`` (Katz 1939) and a stretched muscle adds passive
    tension (see ``musclesim.reflex``).
    """
    r = sc.reflex
    return max(1.0, r.eccentric_max) + passive_tension(
        _max_length(sc), r.passive_scale, r.passive_shape
    )


def _check_physical(res: ms.Result, force_max: float) -> None:
    sc = res.scenario
    for name in ("time", "force", "calcium", "voltage", "ia_rate", "ib_rate", "metabolite",
                 "emg_time", "emg"):  # fmt: skip
        arr = getattr(res, name)
        assert np.all(np.isfinite(arr)), f"{name} has NaN/inf for {sc!r}"
    n = res.time.size
    assert n > 0 and res.force.shape == res.calcium.shape == (n,)
    assert res.voltage.shape == (n, len(res.recorded_units))
    assert np.all(np.diff(res.time) > 0)
    assert res.calcium.min() >= 0.0, f"negative Ca {res.calcium.min()} for {sc!r}"
    assert res.force.min() >= 0.0, f"negative force {res.force.min()} for {sc!r}"
    assert res.force.max() <= force_max, f"force {res.force.max()} > {force_max} for {sc!r}"
    assert res.ia_rate.min() >= 0.0 and res.ib_rate.min() >= 0.0
    assert res.metabolite.min() >= 0.0
    assert len(res.spike_times) == len(res.muscle_ap_times) == sc.n_units
    for unit, spikes in enumerate(res.spike_times):
        assert np.all(np.isfinite(spikes))
        assert np.all(np.diff(spikes) > 0), f"unit {unit} spike times not increasing"
        if spikes.size:
            assert 0.0 <= spikes[0] and spikes[-1] <= sc.duration_s + 1e-9
    for unit, aps in enumerate(res.muscle_ap_times):
        assert np.all(np.diff(aps) > 0), f"unit {unit} muscle AP times not increasing"


@SETTINGS
@given(sc=scenarios())
def test_outputs_are_physical_for_any_valid_scenario(sc):
    _check_physical(ms.simulate(sc), _force_ceiling(sc))


@SETTINGS
@given(sc=scenarios(isometric=True))
def test_isometric_force_is_a_fraction_of_maximal(sc):
    # Held at or below L0 and never lengthened: no passive tension, no eccentric boost,
    # so the force is a fraction (0–1) of the unfatigued maximal tetanic force.
    _check_physical(ms.simulate(sc), 1.0)


@pytest.mark.parametrize("k_mM", [2.0, 4.0, 8.0])
def test_hyperpolarising_drive_within_its_range_stays_physiological(k_mM):
    # Synaptic inhibition cannot push a membrane past the reversal potential of its Cl
    # channels (Coombs, Eccles & Fatt 1955: IPSPs reverse near -75 to -80 mV). Before the
    # negative drive became a Cl conductance, -4 nA took the smallest unit of this pool to
    # about -241 mV in hypokalaemia and -8 nA diverged. Asserted for the edge of Drive's
    # range (-100 nA), at low, normal and high K: the membrane stays within 1 mV of the
    # more negative of E_Cl and its starting (resting) potential, and above E_K - 30 mV.
    el = ms.Electrolytes(K=k_mM)
    sc = ms.Scenario(
        electrolytes=el, duration_s=1.0, n_units=2,
        synaptic_noise_uA_cm2=0.0, temperature_C=32.0, drive=P.ramp(P.MIN_DRIVE_NA, 0.0, 0.5),
    )  # fmt: skip
    res = ms.simulate(sc)
    _check_physical(res, 1.0)
    e_k = ms.nernst(z=1, c_out=el.K, c_in=140.0, temperature_C=32.0)
    e_cl = ms.nernst(z=-1, c_out=el.Cl, c_in=MOTOR_NEURON_INSIDE.Cl, temperature_C=32.0)
    assert res.voltage.min() > e_k - 30.0
    assert res.voltage.min() >= min(e_cl, res.voltage[0].min()) - 1.0
    # Inhibition this strong silences the pool, even the hyperkalaemic one that fires on
    # its own at first (the ramp passes -20 nA at 0.1 s).
    assert sum(int(np.sum(s > 0.2)) for s in res.spike_times) == 0


def test_repletion_from_the_edge_of_the_validity_range_runs():
    sc = ms.Scenario(
        electrolytes=ms.Electrolytes(K=1.0), duration_s=0.5,
        interventions=(IV.replete(at_s=0.1234, over_s=0.2),),
    )  # fmt: skip
    _check_physical(ms.simulate(sc), 1.0)


def _arrays(res: ms.Result) -> list[np.ndarray]:
    return [res.time, res.force, res.calcium, res.voltage, res.ia_rate, res.ib_rate,
            res.metabolite, res.emg, *res.spike_times, *res.muscle_ap_times]  # fmt: skip


@settings(SETTINGS, max_examples=max(5, EXAMPLES // 3))
@given(sc=scenarios())
def test_same_seed_gives_identical_results(sc):
    a, b = ms.simulate(sc), ms.simulate(sc)
    assert all(np.array_equal(x, y) for x, y in zip(_arrays(a), _arrays(b), strict=True))


@settings(SETTINGS, max_examples=max(5, EXAMPLES // 3))
@given(sc=scenarios(), other=st.integers(0, 2**32 - 1), noise=_f(0.05, 1.0))
def test_different_seeds_give_different_noise(sc, other, noise):
    sc = sc.replace(synaptic_noise_uA_cm2=noise)
    if other == sc.seed:
        other = (other + 1) % 2**32
    a, b = ms.simulate(sc), ms.simulate(sc.replace(seed=other))
    # The background synaptic noise reaches every motor neuron's membrane.
    assert not np.array_equal(a.voltage, b.voltage)


def _digest(res: ms.Result) -> str:
    h = hashlib.sha256()
    for a in _arrays(res):
        h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    return h.hexdigest()


_CHILD = """
import hashlib, sys
import numpy as np
import musclesim as ms
sys.path.insert(0, {tests!r})
from test_invariants import _digest
sc = ms.Scenario.from_json(text=sys.stdin.read())
print(_digest(ms.simulate(sc, record_units=(0, 3))))
"""


def test_same_seed_gives_identical_results_in_another_process():
    # A noisy, irritated 8-unit pool (the parallel path) driven by a ramp, run here on all
    # numba threads and in a child with another hash seed and one thread: the same bits.
    sc = ms.Scenario(
        n_units=8, duration_s=0.3, seed=2024, irritation=0.7, irritation_fraction=0.5,
        synaptic_noise_uA_cm2=0.6, drive=P.ramp(6.0, 0.05, 0.2),
    )  # fmt: skip
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    try:
        here = _digest(ms.simulate(sc, record_units=(0, 3)))
    finally:
        numba.set_num_threads(1)
    env = dict(os.environ, PYTHONHASHSEED="12345", NUMBA_NUM_THREADS="1")
    code = _CHILD.format(tests=os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        [sys.executable, "-c", code], input=sc.to_json(), capture_output=True, text=True,
        env=env, timeout=300, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == here
    assert json.loads(sc.to_json())["seed"] == 2024
