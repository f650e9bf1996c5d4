"""The integrators: one compiled fixed-step kernel and a scipy reference path.

Both integrate the equations of the layer modules (:mod:`musclesim.neuron`,
:mod:`musclesim.contraction`, :mod:`musclesim.reflex`, :mod:`musclesim.synapses`,
:mod:`musclesim.nmj`) by calling the same compiled functions; :mod:`.layout` builds the
arrays' columns from the layers' declared state names, :mod:`.fixed` is the fixed-step
kernel, :mod:`.reference` the ``solve_ivp`` (Radau) path that tests compare it with.
"""

from .fixed import PARALLEL_MIN_UNITS, run_fixed_step
from .layout import (
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
    N_INPUTS,
    N_UNIT_PARAMS,
    U_AXNOISE,
    U_DELAY,
    U_STIM,
    U_WEIGHT,
    EngineInput,
    EngineOutput,
)
from .reference import run_reference

__all__ = [
    "INPUT_DT_MS",
    "IN_AX_E_K",
    "IN_AX_E_NA",
    "IN_AX_IRR",
    "IN_AX_SHIFT_MV",
    "IN_CONDUCTING",
    "IN_DRIVE_NA",
    "IN_E_CL",
    "IN_E_K",
    "IN_E_NA",
    "IN_G_INH",
    "IN_IA_MULT",
    "IN_IB_ADD",
    "IN_IB_GATE",
    "IN_IB_MULT",
    "IN_LENGTH",
    "IN_NMJ_OK",
    "IN_SHIFT_MV",
    "IN_VELOCITY",
    "N_INPUTS",
    "N_UNIT_PARAMS",
    "PARALLEL_MIN_UNITS",
    "U_AXNOISE",
    "U_DELAY",
    "U_STIM",
    "U_WEIGHT",
    "EngineInput",
    "EngineOutput",
    "run_fixed_step",
    "run_reference",
]
