"""Treatments as timed events on a scenario: stretch, repletion, heat, massage, drugs, rest.

Each function returns an :class:`Intervention`; put them in ``Scenario.interventions``::

    sc = ms.scenario("cramp").replace(interventions=(ms.interventions.stretch(at_s=8.0),))

What each one changes in the model, and how strong the evidence is:

=============  ===========================================================  =================
intervention   acts on                                                      evidence
=============  ===========================================================  =================
stretch        muscle length ramps up → passive tension → Ib inhibition      strong for cramp
               (and Ia excitation)                                           (Ross & Thomas
                                                                             1995; Khan &
                                                                             Burne 2007)
replete        plasma ions move back to normal over ``over_s``               for true
                                                                             deficiencies
heat, massage  nerve irritation falls; mild added inhibition                 weak (teaching
                                                                             choice)
relaxant       GABAergic inhibition of motor neurons; less Ia transmission   drugs such as
                                                                             baclofen
quinine        lowers motor-neuron and end-plate excitability (modelled as   modest benefit,
               an inhibitory shunt); serious adverse effects                 not recommended
rest           voluntary drive stops                                         —
=============  ===========================================================  =================

.. warning::
   Quinine is no longer recommended for routine muscle cramps: regulators (e.g. the US
   FDA, 2010) warned of serious and life-threatening haematological reactions and
   arrhythmias for a small benefit (El-Tawil et al. 2015, Cochrane review). This library is
   a teaching model, not medical advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._validation import check_real
from .electrolytes import Electrolytes
from .protocols import MAX_TIME_S

#: Inhibitory conductance added by heat and by massage at full effect, mS/cm². Teaching
#: choice: both are thought to act partly through afferent inhibition of the motor pool
#: (cutaneous and muscle afferents; e.g. Weerapong et al. 2005, Sports Med 35:235 for
#: massage); 0.01 mS/cm² (~12 % of the K leak) lowers spasm firing without silencing a
#: voluntary contraction. Their main effect here is on irritation (see :func:`heat`).
HEAT_INHIBITION_MS_CM2 = 0.01
#: A relaxant (baclofen-like) also halves the fatigue-driven fusimotor drive: GABA-B
#: agonists depress spinal reflex excitation, including the spindle pathway (teaching
#: choice for the size: a half).
RELAXANT_FUSIMOTOR_CUT = 0.5

#: Kinds of intervention, in the order they are documented.
KINDS = ("stretch", "replete", "heat", "massage", "relaxant", "quinine", "rest")
#: Not a treatment but the same mechanism: plasma moving to new values (a disorder
#: developing). Kept apart from KINDS so that treatment lists stay treatments.
CHANGES = ("electrolytes", "irritation")


@dataclass(frozen=True)
class Intervention:
    """A treatment applied at ``at_s`` seconds.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS` (treatments) or :data:`CHANGES` (a disorder developing).
    at_s : float
        Start time, s.
    over_s : float
        Time over which it takes full effect, s (ramp of a stretch, repletion time,
        onset of a drug, warming).
    amount : float
        Size of the effect; meaning depends on ``kind`` (target length in L0 for a stretch;
        fraction of irritation removed for heat and massage; inhibitory conductance in
        mS/cm² for relaxant and quinine; unused for replete and rest).
    target : Electrolytes or None
        For ``replete``: the plasma values to move to (normal plasma if None).
    """

    kind: str
    at_s: float
    over_s: float = 1.0
    amount: float = 0.0
    target: Electrolytes | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS + CHANGES:
            raise ValueError(
                f"unknown intervention {self.kind!r}; valid kinds: {', '.join(KINDS + CHANGES)}"
            )
        check_real("at_s", self.at_s, "s", 0.0, MAX_TIME_S, f"{self.kind} start time")
        check_real("over_s", self.over_s, "s", 0.0, MAX_TIME_S, f"{self.kind} onset time",
                   lo_open=True)  # fmt: skip
        check_real("amount", self.amount, "", 0.0, 10.0, f"{self.kind} size")
        if self.target is not None and not isinstance(self.target, Electrolytes):
            raise TypeError(f"target must be an Electrolytes; got {type(self.target).__name__}")


def stretch(at_s: float, to_l0: float = 1.4, ramp_s: float = 1.0) -> Intervention:
    """Passive stretch: the muscle is lengthened to ``to_l0`` over ``ramp_s`` and held.

    The classic first aid for a cramp. Passive tension excites tendon organs, whose Ib
    input inhibits the motor neurons (Khan & Burne 2007); a forcible stretch ends a cramp
    discharge (Ross & Thomas 1995). Parameters: start (s), final length (L0, 0.6–1.4),
    ramp time (s).
    """
    L = check_real("to_l0", to_l0, "L0", 0.6, 1.4, "stretched muscle length")
    check_real("ramp_s", ramp_s, "s", 0.0, MAX_TIME_S, "stretch ramp time", lo_open=True)
    return Intervention("stretch", at_s, over_s=ramp_s, amount=L)


def replete(at_s: float, over_s: float = 60.0, target: Electrolytes | None = None) -> Intervention:
    """Electrolyte replacement / rehydration: plasma ions move linearly to ``target``.

    Oral repletion takes tens of minutes in reality; the default 60 s compresses it for a
    lesson (teaching choice). Parameters: start (s), time to reach the target (s), target
    plasma (normal if None).
    """
    return Intervention("replete", at_s, over_s=over_s, target=target)


def change_electrolytes(at_s: float, over_s: float, target: Electrolytes) -> Intervention:
    """Plasma ions move linearly to ``target`` over ``over_s`` s from ``at_s``: a disorder
    developing (e.g. ionised Ca falling into tetany), the mirror image of :func:`replete`."""
    if not isinstance(target, Electrolytes):
        raise TypeError(f"target must be an Electrolytes; got {type(target).__name__}")
    return Intervention("electrolytes", at_s, over_s=over_s, target=target)


def change_irritation(at_s: float, over_s: float, level: float) -> Intervention:
    """Nerve irritation moves linearly to ``level`` (0–1) over ``over_s`` s from ``at_s``:
    the time course of a cause, not a treatment. ``Scenario.irritation`` is the level at
    the start; e.g. irritation 0 with ``change_irritation(2.0, 5.0, 0.6)`` gives a spasm
    that builds over 5 s, and ``change_irritation(15.0, 1.0, 0.0)`` one whose cause then
    stops (the units it reaches are still ``Scenario.irritation_fraction`` of the pool,
    chosen by the seed)."""
    lv = check_real("level", level, "", 0.0, 1.0, "nerve irritation level")
    return Intervention("irritation", at_s, over_s=over_s, amount=lv)


def heat(at_s: float, over_s: float = 10.0, amount: float = 0.5) -> Intervention:
    """Local heat: nerve irritation falls by ``amount`` (fraction) over ``over_s`` s and a
    small inhibitory conductance is added. Teaching choice: evidence that heat relieves
    spasm is weak and mechanisms (reduced spindle and nociceptor drive) are uncertain."""
    check_real("amount", amount, "fraction", 0.0, 1.0, "irritation removed by heat")
    return Intervention("heat", at_s, over_s=over_s, amount=amount)


def massage(at_s: float, over_s: float = 10.0, amount: float = 0.4) -> Intervention:
    """Massage: like heat, irritation falls by ``amount`` and inhibition rises a little
    (teaching choice; evidence for lasting effects is weak)."""
    check_real("amount", amount, "fraction", 0.0, 1.0, "irritation removed by massage")
    return Intervention("massage", at_s, over_s=over_s, amount=amount)


def relaxant(at_s: float, over_s: float = 5.0, amount: float = 0.05) -> Intervention:
    """A centrally acting muscle relaxant (GABAergic, e.g. baclofen or a benzodiazepine):
    an inhibitory conductance of ``amount`` mS/cm² on every motor neuron and halved Ia
    transmission (presynaptic inhibition), reached over ``over_s`` s (compressed onset)."""
    check_real("amount", amount, "mS/cm²", 0.0, 1.0, "relaxant inhibitory conductance")
    return Intervention("relaxant", at_s, over_s=over_s, amount=amount)


def quinine(at_s: float, over_s: float = 5.0, amount: float = 0.03) -> Intervention:
    """Quinine-like drug: lowers motor-neuron and end-plate excitability, modelled as an
    inhibitory shunt of ``amount`` mS/cm² (teaching simplification of its membrane-
    stabilising action). Not recommended for routine cramps: see the module warning."""
    check_real("amount", amount, "mS/cm²", 0.0, 1.0, "quinine-like shunt conductance")
    return Intervention("quinine", at_s, over_s=over_s, amount=amount)


def rest(at_s: float) -> Intervention:
    """Rest: all voluntary (injected) drive stops at ``at_s``."""
    return Intervention("rest", at_s, over_s=0.001)
