"""Where each quantity lives in the engine's arrays, built from the layers' declarations.

Each layer module declares the names (with units) of its state variables and parameters:
:data:`musclesim.neuron.STATE`, :data:`musclesim.contraction.STATE`,
:data:`musclesim.neuron.UNIT_PARAMS`. A :class:`Layout` turns such a declaration into
column indices, so that the integrators read ``sn[i, NV]`` and a student reads ``"v_mV"``;
nothing is numbered by hand. The module-level indices below are plain integers, which the
compiled kernels treat as constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .. import axon, contraction, neuron

#: Sampling interval of the input channels, ms: drive, ions, length and noise change once
#: per block of this length, and the reflex loop is closed at block boundaries.
INPUT_DT_MS = 1.0


@dataclass(frozen=True)
class Layout:
    """Named columns of an engine array.

    Attributes
    ----------
    names : tuple of str
        Column names in order, units in the names (``"v_mV"``, ``"ca_uM"``).
    """

    names: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"layout names must be unique; got {self.names}")

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        """Column of ``name``."""
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(  # noqa: B904 - the ValueError of tuple.index says nothing more
                f"{name!r} is not in this layout; names: {', '.join(self.names)}"
            )

    def pack(self, values: Mapping[str, float | np.ndarray], n_rows: int) -> np.ndarray:
        """An ``(n_rows, len(self))`` array with every named column filled from ``values``
        (scalars or arrays of length ``n_rows``); every name must be given."""
        missing = set(self.names) - set(values)
        extra = set(values) - set(self.names)
        if missing or extra:
            raise ValueError(f"pack needs exactly {self.names}; missing {sorted(missing)}, "
                             f"unknown {sorted(extra)}")  # fmt: skip
        out = np.zeros((n_rows, len(self.names)))
        for name, value in values.items():
            out[:, self.index(name)] = value
        return out

    def unpack(self, array: np.ndarray) -> dict[str, np.ndarray]:
        """The columns of ``array`` (last axis) by name."""
        return {name: array[..., k] for k, name in enumerate(self.names)}


#: One row per motor neuron: :data:`musclesim.neuron.STATE`.
NEURON = Layout(neuron.STATE)
#: One row per motor axon: :data:`musclesim.axon.STATE`.
AXON = Layout(axon.STATE)
#: One row per motor unit's fibres: :data:`musclesim.contraction.STATE`.
FIBRE = Layout(contraction.STATE)
#: Per-unit parameters: the membrane's (:data:`musclesim.neuron.UNIT_PARAMS`), then the
#: axon's conduction delay to the muscle (ms), the unit's share of maximal force, whether a
#: nerve stimulus excites its axon (1/0), and the column of its irritated node's noise in
#: :attr:`EngineInput.axon_noise` (−1: the irritation does not reach this axon).
UNIT = Layout((*neuron.UNIT_PARAMS, "axon_delay_ms", "force_weight", "stimulated",
               "axon_noise_column"))  # fmt: skip
#: Input channels, one row per block of INPUT_DT_MS: descending drive (nA); what the fluid around
#: the somata does to them (divalent gating shift, E_Na, E_K, E_Cl in mV); what the plasma does to
#: the peripheral axons (gating shift, E_Na, E_K in mV);
#: inhibitory conductance added by treatments (mS/cm²); whether a spike crosses the junction (1/0);
#: muscle length (L0) and velocity (L0/s); the fraction of muscle fibres that conduct action
#: potentials (0–1, :func:`musclesim.sarcolemma.conducting_fraction`); fatigue's extra fusimotor
#: drive (Hz per unit active force) and factor on tendon-organ discharge; transmission through the
#: Ib interneuron (0–1); the irritation of the irritated axons (0–1,
#: :func:`musclesim.inputs.irritation_level`); the tendon-afferent discharge added by
#: electrical tendon stimulation (Hz,
#: :meth:`musclesim.interventions.Intervention.tendon_afferent_hz`).
INPUTS = Layout((
    "drive_nA", "gating_shift_mV", "e_na_mV", "e_k_mV", "e_cl_mV",
    "axon_gating_shift_mV", "axon_e_na_mV", "axon_e_k_mV", "axon_irritation",
    "g_inh_mS_cm2", "nmj_ok", "length_l0", "velocity_l0_s", "fibre_conducting", "fusimotor_hz",
    "ib_mult", "ib_gate", "ib_added_hz",
))  # fmt: skip

NV = NEURON.index("v_mV")
NM = NEURON.index("m")
NH = NEURON.index("h")
NN = NEURON.index("n")
NP = NEURON.index("pic")
NC = NEURON.index("ahp_ca")
NPUMP = NEURON.index("pump_uA_cm2")
NPCNT = NEURON.index("pump_spikes")
N_NEURON_STATES = len(NEURON)

AV = AXON.index("v_mV")
AM = AXON.index("m")
AH = AXON.index("h")
AN = AXON.index("n")
AS = AXON.index("s")
AI = AXON.index("v_internode_mV")
N_AXON_STATES = len(AXON)

F_REL = FIBRE.index("rel")
F_CA = FIBRE.index("ca_uM")
F_PI = FIBRE.index("pi_mM")
N_FIBRE_STATES = len(FIBRE)

U_AREA = UNIT.index("area_cm2")
U_GPIC = UNIT.index("g_pic_mS_cm2")
U_TAUAHP = UNIT.index("tau_ahp_ms")
U_DRIVE_SAT = UNIT.index("drive_saturation_uA_cm2")
U_DELAY = UNIT.index("axon_delay_ms")
U_WEIGHT = UNIT.index("force_weight")
U_STIM = UNIT.index("stimulated")
U_AXNOISE = UNIT.index("axon_noise_column")
N_UNIT_PARAMS = len(UNIT)

IN_DRIVE_NA = INPUTS.index("drive_nA")
IN_SHIFT_MV = INPUTS.index("gating_shift_mV")
IN_E_NA = INPUTS.index("e_na_mV")
IN_E_K = INPUTS.index("e_k_mV")
IN_E_CL = INPUTS.index("e_cl_mV")
IN_AX_SHIFT_MV = INPUTS.index("axon_gating_shift_mV")
IN_AX_E_NA = INPUTS.index("axon_e_na_mV")
IN_AX_E_K = INPUTS.index("axon_e_k_mV")
IN_AX_IRR = INPUTS.index("axon_irritation")
IN_G_INH = INPUTS.index("g_inh_mS_cm2")
IN_NMJ_OK = INPUTS.index("nmj_ok")
IN_LENGTH = INPUTS.index("length_l0")
IN_VELOCITY = INPUTS.index("velocity_l0_s")
IN_CONDUCTING = INPUTS.index("fibre_conducting")
IN_IA_MULT = INPUTS.index("fusimotor_hz")
IN_IB_MULT = INPUTS.index("ib_mult")
IN_IB_GATE = INPUTS.index("ib_gate")
IN_IB_ADD = INPUTS.index("ib_added_hz")
N_INPUTS = len(INPUTS)


@dataclass(frozen=True)
class PoolLayout:
    """The flat state vector of a whole pool (the reference integrator's ``y``): every
    unit's :data:`NEURON` row, then every unit's :data:`AXON` row, then every unit's
    :data:`FIBRE` row."""

    n_units: int

    @property
    def size(self) -> int:
        return self.n_units * (N_NEURON_STATES + N_AXON_STATES + N_FIBRE_STATES)

    def pack(self, sn: np.ndarray, sa: np.ndarray, sf: np.ndarray) -> np.ndarray:
        """``y`` from neuron rows ``sn``, axon rows ``sa`` and fibre rows ``sf``."""
        return np.concatenate((np.ravel(sn), np.ravel(sa), np.ravel(sf)))

    def unpack(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Views ``(sn, sa, sf)`` of ``y``, shaped ``(n_units, …)``; ``y`` may carry leading
        axes (samples)."""
        k1 = self.n_units * N_NEURON_STATES
        k2 = k1 + self.n_units * N_AXON_STATES
        lead = y.shape[:-1]
        sn = y[..., :k1].reshape(*lead, self.n_units, N_NEURON_STATES)
        sa = y[..., k1:k2].reshape(*lead, self.n_units, N_AXON_STATES)
        sf = y[..., k2:].reshape(*lead, self.n_units, N_FIBRE_STATES)
        return sn, sa, sf

    def offset(self, unit: int, layer: str, name: str) -> int:
        """Position in ``y`` of variable ``name`` of layer ``"neuron"``, ``"axon"`` or
        ``"fibre"``."""
        n = self.n_units
        if layer == "neuron":
            return unit * N_NEURON_STATES + NEURON.index(name)
        if layer == "axon":
            return n * N_NEURON_STATES + unit * N_AXON_STATES + AXON.index(name)
        if layer == "fibre":
            return (
                n * (N_NEURON_STATES + N_AXON_STATES) + unit * N_FIBRE_STATES + FIBRE.index(name)
            )
        raise ValueError(f"layer = {layer!r}; valid layers: 'neuron', 'axon', 'fibre'")


@dataclass(frozen=True)
class EngineInput:
    """Everything the integrators need, as plain arrays (built by :mod:`musclesim.inputs`).

    Attributes
    ----------
    duration_ms : float
        Simulated time, ms.
    gpar : ndarray
        :func:`musclesim.neuron.global_params`.
    upar : ndarray (N, len(UNIT))
        Per-unit parameters (:data:`UNIT`).
    fpar : ndarray (N, n_fibre_params)
        Per-unit :meth:`~musclesim.FibreParams.as_array`.
    rpar : ndarray
        :meth:`~musclesim.ReflexParams.as_array`.
    inputs : ndarray (n_blocks, len(INPUTS))
        Input channels, one row per block of INPUT_DT_MS.
    noise : ndarray (n_blocks, N) or (n_blocks, 2N), float32
        Per-unit synaptic noise current density, µA/cm²; when there are 2N columns the
        second N are noise of SD √(reference area / cell area) that the integrators scale
        by the fatigue-afferent SD of each block (:func:`musclesim.reflex.afferent_noise_sd`).
    afferent_noise_uA_cm2 : float
        That SD at full active force and the reference area, µA/cm².
    stim_times_ms : ndarray
        Sorted nerve-stimulus times, ms.
    neuron_params : NeuronParams
        For the gate functions.
    temperature_C : float
        Model temperature, °C.
    sn0, sa0, sf0 : ndarray
        Initial neuron (:data:`NEURON`), axon (:data:`AXON`) and fibre (:data:`FIBRE`) rows.
    apar : ndarray
        :func:`musclesim.axon.global_params`.
    axon_gks : ndarray (N,)
        Each unit's slow-K conductance, mS/cm² (:func:`musclesim.axon.slow_k_conductances`).
    axon_params : AxonParams
        For the axon's gate functions.
    axon_noise : ndarray (n_blocks, n_irritated), float32
        Inward current into each irritated axon's node, µA/cm², per block
        (:func:`musclesim.axon.irritation_current_uA_cm2`); one column per axon the
        irritation reaches (:data:`UNIT` ``axon_noise_column``), none without irritation.
    """

    duration_ms: float
    gpar: np.ndarray
    upar: np.ndarray
    fpar: np.ndarray
    rpar: np.ndarray
    inputs: np.ndarray
    noise: np.ndarray
    afferent_noise_uA_cm2: float
    stim_times_ms: np.ndarray
    neuron_params: neuron.NeuronParams
    temperature_C: float
    sn0: np.ndarray
    sa0: np.ndarray
    sf0: np.ndarray
    apar: np.ndarray
    axon_gks: np.ndarray
    axon_params: axon.AxonParams
    axon_noise: np.ndarray


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
    spikes_ms: list[np.ndarray]
    muscle_aps_ms: list[np.ndarray]
