"""The descending drive: its saturating share per unit and its gating of Ib inhibition."""

from __future__ import annotations

import numpy as np

import musclesim as ms
from musclesim import engine as E
from musclesim.inputs import build_engine_input
from musclesim.neuron import NeuronParams
from musclesim.reflex import ReflexParams
from musclesim.synapses import INHIBITORY_DRIVE_REF_MV, drive_density, drive_split

SAT = NeuronParams().drive_saturation_uA_cm2
HALF_NA = ReflexParams().ib_voluntary_half_nA


def test_weak_drive_is_current_over_area_so_small_cells_are_recruited_first():
    # Size principle: the same 0.3 nA is 10x the density in a cell of a tenth the area.
    small, large = drive_density(0.3, 3e-4, SAT), drive_density(0.3, 3e-3, SAT)
    assert abs(small - 1.0) < 0.01 and abs(large - 0.1) < 1e-4


def test_strong_drive_saturates_at_the_ceiling_in_every_cell_and_keeps_its_sign():
    # A ceiling of 30 µA/cm² for every cell, so that 500 nA saturates the smallest of
    # these areas and leaves the largest (500 nA / 9e-3 cm² = 1.9 ceilings) near it.
    sat = 30.0
    areas = np.array([3e-4, 1e-3, 9e-3])
    j = drive_density(500.0, areas, sat)
    assert j[0] > 0.999 * sat and 0.9 * sat < j[-1] < 0.99 * sat  # near, not past, the ceiling
    assert np.all(np.diff(j) < 0)  # still ordered by size below the ceiling
    assert drive_density(-500.0, 3e-4, sat) == -drive_density(500.0, 3e-4, sat)
    # An electrode (no saturation) is the large-ceiling limit: I / A.
    assert abs(drive_density(64.0, 1.64e-3, 1e6) - 64e-3 / 1.64e-3) < 1e-3


def test_negative_drive_is_a_cl_conductance_and_positive_drive_a_current():
    # Inhibitory synapses open Cl channels (Coombs, Eccles & Fatt 1955): a negative drive
    # becomes a conductance that passes its nominal density 20 mV from E_Cl.
    cur, g = drive_split(np.array([-10.0, 0.0, 10.0]))
    assert np.array_equal(cur, [0.0, 0.0, 10.0])
    assert np.allclose(g, [10.0 / INHIBITORY_DRIVE_REF_MV, 0.0, 0.0])


def test_inhibitory_drive_shunts_a_firing_pool_and_stops_at_e_cl():
    # A 20-unit pool that fires under +3 nA is silent under -100 nA (the edge of the range),
    # and that inhibition holds the smallest unit at E_Cl (about -74 mV at normal plasma Cl,
    # 37 °C) instead of driving it far below, as a current would.
    def run(d: float):
        sc = ms.Scenario(n_units=20, duration_s=0.6, synaptic_noise_uA_cm2=0.0,
                         drive=ms.protocols.current_step(d, 0.1, 0.5))  # fmt: skip
        return ms.simulate(sc)

    assert sum(s.size for s in run(3.0).spike_times) > 20
    res = run(-100.0)
    assert sum(s.size for s in res.spike_times) == 0
    v_inhibited = res.voltage[(res.time > 0.3) & (res.time < 0.5), 0]
    assert -76.0 < v_inhibited.min() and v_inhibited.max() < -72.0


def test_voluntary_drive_lowers_ib_transmission_only_while_it_lasts():
    sc = ms.Scenario(n_units=2, duration_s=1.0,
                     drive=ms.protocols.current_step(HALF_NA, 0.2, 0.5))  # fmt: skip
    gate = build_engine_input(sc).inputs[:, E.IN_IB_GATE]
    t_ms = np.arange(gate.size) * E.INPUT_DT_MS
    assert np.allclose(gate[(t_ms > 250) & (t_ms < 650)], 0.5)
    assert np.all(gate[(t_ms < 150) | (t_ms > 750)] == 1.0)


def test_the_engine_applies_the_ib_gate():
    # A held 20-nA contraction of a muscle stretched to 1.3 L0 (tendon organs firing hard):
    # with the voluntary gate the pool fires more than with Ib passed in full.
    sc = ms.Scenario(n_units=20, duration_s=1.0, synaptic_noise_uA_cm2=0.0,
                     drive=ms.protocols.current_step(20.0, 0.1, 0.9),
                     length=ms.protocols.hold_length(1.3))  # fmt: skip

    def spikes(half_nA: float) -> int:
        reflex = ReflexParams(ib_voluntary_half_nA=half_nA)
        return sum(s.size for s in ms.simulate(sc.replace(reflex=reflex)).spike_times)

    gated = spikes(HALF_NA)
    ungated = spikes(1e6)  # gate ≈ 1: Ib in full
    assert gated > 1.2 * ungated
