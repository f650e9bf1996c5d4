"""The engine's array layout is built from the layers' declarations and round-trips."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

import musclesim.axon as axon
import musclesim.contraction as contraction
import musclesim.neuron as neuron
import musclesim.reflex as reflex
from musclesim.engine import layout as L
from musclesim.engine.fixed import WORK


@pytest.mark.parametrize(
    ("lay", "declared"),
    [(L.NEURON, neuron.STATE), (L.AXON, axon.STATE), (L.FIBRE, contraction.STATE)],
    ids=["neuron", "axon", "fibre"],
)
def test_state_layout_is_the_layer_declaration(lay, declared):
    assert lay.names == declared
    values = {name: float(k + 1) for k, name in enumerate(declared)}
    packed = lay.pack(values, n_rows=3)
    assert packed.shape == (3, len(declared))
    assert {k: float(v[0]) for k, v in lay.unpack(packed).items()} == values


def test_every_variable_of_every_unit_round_trips_through_the_pool_vector():
    n = 4
    pool = L.PoolLayout(n)
    rng = np.random.default_rng(0)
    sn = rng.standard_normal((n, len(L.NEURON)))
    sa = rng.standard_normal((n, len(L.AXON)))
    sf = rng.standard_normal((n, len(L.FIBRE)))
    y = pool.pack(sn, sa, sf)
    assert y.size == pool.size
    sn2, sa2, sf2 = pool.unpack(y)
    np.testing.assert_array_equal(sn2, sn)
    np.testing.assert_array_equal(sa2, sa)
    np.testing.assert_array_equal(sf2, sf)
    for i in range(n):
        for name in L.NEURON.names:
            assert y[pool.offset(i, "neuron", name)] == sn[i, L.NEURON.index(name)]
        for name in L.AXON.names:
            assert y[pool.offset(i, "axon", name)] == sa[i, L.AXON.index(name)]
        for name in L.FIBRE.names:
            assert y[pool.offset(i, "fibre", name)] == sf[i, L.FIBRE.index(name)]
    # Samples stacked on a leading axis unpack the same way (the reference's dense output).
    sn3, sa3, _ = pool.unpack(np.vstack([y, 2 * y]))
    np.testing.assert_array_equal(sn3[1], 2 * sn)
    np.testing.assert_array_equal(sa3[1], 2 * sa)


def test_named_indices_point_at_their_names():
    assert L.NEURON.names[L.NV] == "v_mV" and L.NEURON.names[L.NC] == "ahp_ca"
    assert L.AXON.names[L.AV] == "v_mV" and L.AXON.names[L.AS] == "s"
    assert L.AXON.names[L.AI] == "v_internode_mV"
    assert L.FIBRE.names[L.F_CA] == "ca_uM" and L.FIBRE.names[L.F_PI] == "pi_mM"
    assert L.UNIT.names[: len(neuron.UNIT_PARAMS)] == neuron.UNIT_PARAMS
    assert L.UNIT.names[L.U_WEIGHT] == "force_weight"
    assert L.INPUTS.names[L.IN_E_K] == "e_k_mV"
    # The work array mirrors the neuron's membrane state and then the axon's, column for
    # column.
    for k, name in enumerate(("v_mV", "m", "h", "n", "pic", "ahp_ca")):
        assert WORK.index(name) == k
    for k, name in enumerate(axon.STATE):
        assert WORK.index("axon_" + name) == 6 + k
    assert L.INPUTS.names[L.IN_AX_SHIFT_MV] == "axon_gating_shift_mV"


def test_parameter_indices_follow_the_dataclass_fields():
    names = [f.name for f in fields(reflex.ReflexParams)]
    assert names[reflex.R_IA_DELAY] == "ia_delay_ms" and names[reflex.R_IA_MAX] == "ia_max_hz"
    assert neuron.UNIT_PARAMS[neuron.U_DRIVE_SAT] == "drive_saturation_uA_cm2"
    assert L.UNIT.names[L.U_DRIVE_SAT] == "drive_saturation_uA_cm2"


def test_layout_refuses_unknown_and_missing_names():
    with pytest.raises(KeyError, match="not in this layout"):
        L.NEURON.index("voltage")
    with pytest.raises(ValueError, match="missing"):
        L.FIBRE.pack({"ca_uM": 0.1}, n_rows=1)
    with pytest.raises(ValueError, match="unique"):
        L.Layout(("a", "a"))
