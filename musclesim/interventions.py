"""Treatments as timed events on a scenario: stretch, repletion, heat, massage, drugs, rest.

One small frozen class per treatment, each with its own fields in named units; put them in
``Scenario.interventions``. The lower-case functions build the same objects::

    sc = ms.scenario("cramp").replace(interventions=(ms.interventions.stretch(at_s=8.0),))
    sc = ms.scenario("cramp").replace(interventions=(ms.interventions.Stretch(at_s=8.0),))

What each one changes in the model, and how strong the evidence is:

===================  ===========================================================  =================
intervention         acts on                                                      evidence
===================  ===========================================================  =================
stretch              muscle length ramps up → Ia excitation first (a reflex        strong for cramp
                     volley), then tendon organs drawn taut and passive tension    (Ross & Thomas
                     → Ib inhibition                                               1995; Khan &
                                                                                   Burne 2007)
tendon_stimulation   electrical pulses to the Achilles tendon excite its Ib        inhibits cramp
                     afferents → transient autogenic inhibition after each pulse   EMG (Khan &
                                                                                   Burne 2007)
replete              plasma ions move back to normal over ``over_s``               for true
                                                                                   deficiencies
heat, massage        nerve irritation falls; mild added inhibition                 weak (teaching
                                                                                   choice)
relaxant             GABAergic inhibition of motor neurons; less Ia transmission   drugs such as
                                                                                   baclofen
quinine              lowers motor-neuron and end-plate excitability (modelled as   modest benefit,
                     an inhibitory shunt); serious adverse effects                 not recommended
rest                 voluntary drive stops                                         —
===================  ===========================================================  =================

:class:`ChangeElectrolytes` and :class:`ChangeIrritation` are not treatments but use the
same mechanism: a cause that develops or stops during the run (plasma Ca falling into
tetany, an irritated nerve root calming down).

How an intervention acts (the protocol :mod:`musclesim.inputs` reads)
---------------------------------------------------------------------
Every intervention starts at ``at_s`` and reaches full effect following
:meth:`Intervention.progress` (0 before ``at_s``, rising linearly to 1 over
:attr:`Intervention.onset_s`). What it does at full effect is a handful of attributes, each
neutral unless the treatment acts on that input:

==========================  ======================================================  =========
attribute                   at full effect                                          neutral
==========================  ======================================================  =========
``inhibition_mS_cm2``       inhibitory conductance added to every motor neuron,     0.0
                            mS/cm²
``fusimotor_cut``           fraction of the fatigue-driven fusimotor (spindle)      0.0
                            drive removed
``irritation_cut``          fraction of the nerve irritation removed                0.0
``cuts_drive``              voluntary drive is zero from ``at_s`` on                False
``length_target_L0``        muscle length moved to, L0                              None
``irritation_target``       nerve irritation moved to, 0–1                          None
``plasma_target``           plasma ion concentrations moved to                      None
``tendon_afferent_hz(t)``   Ib discharge added by tendon stimulation, Hz (a pulse    zeros
                            train, not scaled by ``progress``)
==========================  ======================================================  =========

A "moved to" target starts from the value at ``at_s``, as left by the events applied
before it (plasma and irritation changes in time order, stretches in the order listed),
and follows ``progress``. A new treatment is a new subclass that sets ``kind`` and
overrides the attributes it acts on (listed in :data:`TREATMENTS`, scenario files can
name it).

.. warning::
   Quinine is no longer recommended for routine muscle cramps: regulators (e.g. the US
   FDA, 2010) warned of serious and life-threatening haematological reactions and
   arrhythmias for a small benefit (El-Tawil et al. 2015, Cochrane review). This library is
   a teaching model, not medical advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ._validation import check_real
from .electrolytes import Electrolytes
from .protocols import MAX_TIME_S

#: Inhibitory conductance added by heat and by massage at full effect, mS/cm². Teaching
#: choice: both are thought to act partly through afferent inhibition of the motor pool
#: (cutaneous and muscle afferents; e.g. Weerapong et al. 2005, Sports Med 35:235 for
#: massage); 0.01 mS/cm² (~12 % of the K leak) lowers spasm firing without silencing a
#: voluntary contraction. Their main effect here is on irritation (see :class:`Heat`).
HEAT_INHIBITION_MS_CM2 = 0.01
#: A relaxant (baclofen-like) also halves the fatigue-driven fusimotor drive: GABA-B
#: agonists depress spinal reflex excitation, including the spindle pathway (teaching
#: choice for the size: a half).
RELAXANT_FUSIMOTOR_CUT = 0.5


def _check_target(target: object) -> None:
    if not isinstance(target, Electrolytes):
        raise TypeError(f"target must be an Electrolytes; got {type(target).__name__}")


@dataclass(frozen=True)
class Intervention:
    """Base class of every timed intervention; build one of its subclasses.

    Attributes
    ----------
    at_s : float
        Start time, s (0–3600).
    kind : str
        Class-level name of the intervention (``"stretch"``, ``"heat"``, ...), written as
        the ``kind`` key of a scenario file.

    The remaining attributes are the protocol of the module docstring: the effect at full
    strength on each model input (neutral here), and its time course (:meth:`progress`).
    """

    kind: ClassVar[str] = ""
    at_s: float

    def __post_init__(self) -> None:
        if not type(self).kind:
            raise TypeError(
                f"{type(self).__name__} is a base class with no effect of its own; build one of: "
                f"{', '.join(c.__name__ for c in TREATMENTS + CHANGES)}"
            )
        self._store_real("at_s", "s", 0.0, MAX_TIME_S, f"{self.kind} start time")

    def _store_real(
        self, name: str, unit: str, lo: float, hi: float, meaning: str, *, lo_open: bool = False
    ) -> None:
        """Validate field ``name`` (``check_real``) and store it as a float."""
        value = check_real(name, getattr(self, name), unit, lo, hi, meaning, lo_open=lo_open)
        object.__setattr__(self, name, value)

    # --- the protocol: how long it takes, and what it does at full effect --------------
    @property
    def onset_s(self) -> float:
        """Time from ``at_s`` to full effect, s (0: a step)."""
        return 0.0

    def progress(self, t_ms: np.ndarray) -> np.ndarray:
        """How far the intervention has taken effect.

        Parameters
        ----------
        t_ms : ndarray
            Times, ms.

        Returns
        -------
        ndarray
            Fraction of full effect at ``t_ms``: 0 before ``at_s``, rising linearly to 1
            over :attr:`onset_s` (a step at ``at_s`` if that is 0).
        """
        t_ms = np.asarray(t_ms, dtype=float)
        if self.onset_s == 0.0:
            return (t_ms >= self.at_s * 1000.0).astype(float)
        return np.clip((t_ms / 1000.0 - self.at_s) / self.onset_s, 0.0, 1.0)

    @property
    def inhibition_mS_cm2(self) -> float:
        """Inhibitory conductance added to every motor neuron at full effect, mS/cm²."""
        return 0.0

    @property
    def fusimotor_cut(self) -> float:
        """Fraction of the fatigue-driven fusimotor drive removed at full effect."""
        return 0.0

    @property
    def irritation_cut(self) -> float:
        """Fraction of the nerve irritation removed at full effect."""
        return 0.0

    @property
    def cuts_drive(self) -> bool:
        """True if the voluntary drive is zero from ``at_s`` on."""
        return False

    @property
    def length_target_L0(self) -> float | None:
        """Length the muscle is moved to, L0 (None: length untouched)."""
        return None

    @property
    def irritation_target(self) -> float | None:
        """Nerve irritation level moved to, 0–1 (None: irritation level untouched)."""
        return None

    @property
    def plasma_target(self) -> Electrolytes | None:
        """Plasma ion concentrations moved to (None: plasma untouched)."""
        return None

    def tendon_afferent_hz(self, t_ms: np.ndarray) -> np.ndarray:
        """Tendon-afferent (Ib) discharge added by electrical stimulation at ``t_ms``, Hz
        (zeros: no stimulation)."""
        return np.zeros(np.shape(t_ms))


@dataclass(frozen=True)
class Stretch(Intervention):
    """Passive stretch: the muscle is lengthened to ``to_l0`` over ``ramp_s`` and held.

    The classic first aid for a cramp. A forcible stretch of a cramping muscle first
    *increases* motor-unit activity, then breaks the cramp (Ross & Thomas 1995). In the
    model the spindles, under the cramp's strong fusimotor drive, answer the lengthening
    at once (``reflex.ReflexParams.ia_dynamic_gain``) and send a reflex volley into the
    pool within the first ~0.1 s of the stretch; as the tendon is drawn taut
    (``reflex.tendon_organ_sensitivity``) and passive tension builds, tendon-organ (Ib)
    inhibition outweighs it and silences the pool (Khan & Burne 2007). The volley is
    brief (measured on the cramp preset stretched to 1.4 L0 over 1 s, seeds 0–5: 1.27–1.47×
    the spikes of the 100 ms before in the first 100 ms, 0.45–0.49× over the first 0.5 s);
    the recorded account does not say how long the rise lasts.

    Attributes
    ----------
    at_s : float
        Start of the stretch, s (0–3600).
    to_l0 : float
        Length the muscle is stretched to and held at, L0 (0.6–1.4; 1 is optimal length).
    ramp_s : float
        Time to reach ``to_l0``, s (> 0).
    """

    kind: ClassVar[str] = "stretch"
    to_l0: float = 1.4
    ramp_s: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        self._store_real("to_l0", "L0", 0.6, 1.4, "stretched muscle length")
        self._store_real("ramp_s", "s", 0.0, MAX_TIME_S, "stretch ramp time", lo_open=True)

    @property
    def onset_s(self) -> float:
        return self.ramp_s

    @property
    def length_target_L0(self) -> float:
        return self.to_l0


@dataclass(frozen=True)
class Replete(Intervention):
    """Electrolyte replacement or rehydration: plasma ions move linearly to ``target``.

    Oral repletion takes tens of minutes in reality; the default 60 s compresses it for a
    lesson (teaching choice).

    Attributes
    ----------
    at_s : float
        Start of repletion, s (0–3600).
    over_s : float
        Time to reach the target, s (> 0).
    target : Electrolytes or None
        Plasma to move to, mmol/L per ion (None: normal plasma, ``Electrolytes()``).
    """

    kind: ClassVar[str] = "replete"
    over_s: float = 60.0
    target: Electrolytes | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self._store_real("over_s", "s", 0.0, MAX_TIME_S, "replete onset time", lo_open=True)
        if self.target is not None:
            _check_target(self.target)

    @property
    def onset_s(self) -> float:
        return self.over_s

    @property
    def plasma_target(self) -> Electrolytes:
        return self.target if self.target is not None else Electrolytes()


@dataclass(frozen=True)
class ChangeElectrolytes(Intervention):
    """Plasma ions move linearly to ``target``: a disorder developing (e.g. ionised Ca
    falling into tetany), the mirror image of :class:`Replete`.

    Attributes
    ----------
    at_s : float
        Start of the change, s (0–3600).
    over_s : float
        Time to reach the target, s (> 0).
    target : Electrolytes
        Plasma to move to, mmol/L per ion.
    """

    kind: ClassVar[str] = "electrolytes"
    over_s: float
    target: Electrolytes

    def __post_init__(self) -> None:
        super().__post_init__()
        self._store_real("over_s", "s", 0.0, MAX_TIME_S, "electrolytes onset time",
                         lo_open=True)  # fmt: skip
        _check_target(self.target)

    @property
    def onset_s(self) -> float:
        return self.over_s

    @property
    def plasma_target(self) -> Electrolytes:
        return self.target


@dataclass(frozen=True)
class ChangeIrritation(Intervention):
    """Nerve irritation moves linearly to ``level``: the time course of a cause, not a
    treatment.

    ``Scenario.irritation`` is the level at the start; e.g. irritation 0 with
    ``ChangeIrritation(2.0, 5.0, 0.6)`` gives a spasm that builds over 5 s, and
    ``ChangeIrritation(15.0, 1.0, 0.0)`` one whose cause then stops (the units it reaches
    are still ``Scenario.irritation_fraction`` of the pool, chosen by the seed).

    Attributes
    ----------
    at_s : float
        Start of the change, s (0–3600).
    over_s : float
        Time to reach ``level``, s (> 0).
    level : float
        Irritation level moved to, 0–1 (as ``Scenario.irritation``).
    """

    kind: ClassVar[str] = "irritation"
    over_s: float
    level: float

    def __post_init__(self) -> None:
        super().__post_init__()
        self._store_real("over_s", "s", 0.0, MAX_TIME_S, "irritation onset time",
                         lo_open=True)  # fmt: skip
        self._store_real("level", "", 0.0, 1.0, "nerve irritation level")

    @property
    def onset_s(self) -> float:
        return self.over_s

    @property
    def irritation_target(self) -> float:
        return self.level


@dataclass(frozen=True)
class _Soothing(Intervention):
    """Heat and massage: nerve irritation falls by ``fraction`` over ``over_s`` s and a
    small inhibitory conductance (:data:`HEAT_INHIBITION_MS_CM2`) is added."""

    over_s: float = 10.0
    fraction: float = 0.5

    def __post_init__(self) -> None:
        super().__post_init__()
        self._store_real("over_s", "s", 0.0, MAX_TIME_S, f"{self.kind} onset time",
                         lo_open=True)  # fmt: skip
        self._store_real("fraction", "", 0.0, 1.0,
                         f"fraction of the nerve irritation removed by {self.kind}")  # fmt: skip

    @property
    def onset_s(self) -> float:
        return self.over_s

    @property
    def inhibition_mS_cm2(self) -> float:
        return HEAT_INHIBITION_MS_CM2

    @property
    def irritation_cut(self) -> float:
        return self.fraction


@dataclass(frozen=True)
class Heat(_Soothing):
    """Local heat: nerve irritation falls by ``fraction`` over ``over_s`` s and a small
    inhibitory conductance is added.

    Teaching choice: evidence that heat relieves spasm is weak and mechanisms (reduced
    spindle and nociceptor drive) are uncertain.

    Attributes
    ----------
    at_s : float
        Start of warming, s (0–3600).
    over_s : float
        Time to full effect, s (> 0).
    fraction : float
        Fraction of the nerve irritation removed at full effect, 0–1.
    """

    kind: ClassVar[str] = "heat"


@dataclass(frozen=True)
class Massage(_Soothing):
    """Massage: like heat, irritation falls by ``fraction`` and inhibition rises a little
    (teaching choice; evidence for lasting effects is weak).

    Attributes
    ----------
    at_s : float
        Start of massage, s (0–3600).
    over_s : float
        Time to full effect, s (> 0).
    fraction : float
        Fraction of the nerve irritation removed at full effect, 0–1.
    """

    kind: ClassVar[str] = "massage"
    fraction: float = 0.4


@dataclass(frozen=True)
class _InhibitoryDrug(Intervention):
    """A drug modelled as an inhibitory conductance ``g_inh_mS_cm2`` on every motor neuron,
    reached over ``over_s`` s."""

    _g_meaning: ClassVar[str] = "inhibitory conductance"
    over_s: float = 5.0
    g_inh_mS_cm2: float = 0.05

    def __post_init__(self) -> None:
        super().__post_init__()
        self._store_real("over_s", "s", 0.0, MAX_TIME_S, f"{self.kind} onset time",
                         lo_open=True)  # fmt: skip
        self._store_real("g_inh_mS_cm2", "mS/cm²", 0.0, 1.0, self._g_meaning)

    @property
    def onset_s(self) -> float:
        return self.over_s

    @property
    def inhibition_mS_cm2(self) -> float:
        return self.g_inh_mS_cm2


@dataclass(frozen=True)
class Relaxant(_InhibitoryDrug):
    """A centrally acting muscle relaxant (GABAergic, e.g. baclofen or a benzodiazepine).

    An inhibitory conductance of ``g_inh_mS_cm2`` on every motor neuron and halved
    fusimotor drive (:data:`RELAXANT_FUSIMOTOR_CUT`), reached over ``over_s`` s (a
    compressed onset).

    Attributes
    ----------
    at_s : float
        Time of the dose, s (0–3600).
    over_s : float
        Time to full effect, s (> 0).
    g_inh_mS_cm2 : float
        Inhibitory conductance at full effect, mS/cm² (0–1).
    """

    kind: ClassVar[str] = "relaxant"
    _g_meaning: ClassVar[str] = "relaxant inhibitory conductance"

    @property
    def fusimotor_cut(self) -> float:
        return RELAXANT_FUSIMOTOR_CUT


@dataclass(frozen=True)
class Quinine(_InhibitoryDrug):
    """Quinine-like drug: lowers motor-neuron and end-plate excitability, modelled as an
    inhibitory shunt of ``g_inh_mS_cm2`` (a teaching simplification of its
    membrane-stabilising action). Not recommended for routine cramps: see the module
    warning.

    Attributes
    ----------
    at_s : float
        Time of the dose, s (0–3600).
    over_s : float
        Time to full effect, s (> 0).
    g_inh_mS_cm2 : float
        Shunt conductance at full effect, mS/cm² (0–1).
    """

    kind: ClassVar[str] = "quinine"
    _g_meaning: ClassVar[str] = "quinine-like shunt conductance"
    g_inh_mS_cm2: float = 0.03


#: Each electrical pulse to the tendon excites the tendon afferents together: modelled as
#: their Ib discharge raised by ``volley_hz`` for TENDON_VOLLEY_MS, so that the inhibition
#: lasts about as long as the first inhibitory period recorded after Achilles-tendon
#: stimulation (I1: onset 47–49 ms, duration 67 ms; Khan & Burne, "Afferents contributing
#: to autogenic inhibition of gastrocnemius following electrical stimulation of its
#: tendon", Brain Res; year and volume to verify). Teaching choice.
TENDON_VOLLEY_MS = 60.0


@dataclass(frozen=True)
class TendonStimulation(Intervention):
    """Electrical stimulation of the Achilles tendon: a train of pulses that excite the
    tendon (Ib) afferents of the cramping muscle and inhibit its motor neurons through
    the Ib interneurons (autogenic inhibition).

    In eight subjects whose gastrocnemius cramped, Achilles-tendon stimulation inhibited
    the cramp EMG after each pulse and relieved the cramp subjectively; the inhibition was
    weaker in people who cramp than in those who do not (Khan & Burne 2007, J Neurophysiol
    98:1102). Each pulse raises the Ib discharge by ``volley_hz`` for
    :data:`TENDON_VOLLEY_MS`; the inhibition is transient, lasting while the train runs.

    Attributes
    ----------
    at_s : float
        Start of the train, s (0–3600).
    duration_s : float
        Length of the train, s (> 0, ≤ 3600).
    frequency_hz : float
        Pulse rate, Hz (0.1–10: the inhibition of one pulse must end before the next).
    volley_hz : float
        Ib discharge added by each pulse, Hz (0–200; tendon organs fire up to ~100–200
        Hz, Houk & Henneman 1967). Teaching choice 100 Hz: a strong, non-noxious stimulus.
    """

    kind: ClassVar[str] = "tendon_stimulation"
    duration_s: float = 5.0
    frequency_hz: float = 2.0
    volley_hz: float = 100.0

    def __post_init__(self) -> None:
        super().__post_init__()
        self._store_real("duration_s", "s", 0.0, MAX_TIME_S, "tendon stimulation length",
                         lo_open=True)  # fmt: skip
        self._store_real("frequency_hz", "Hz", 0.1, 10.0, "tendon stimulation pulse rate")
        self._store_real("volley_hz", "Hz", 0.0, 200.0, "Ib discharge added per pulse")

    def pulse_times_s(self) -> np.ndarray:
        """Times of the pulses, s."""
        n = int(np.floor(self.duration_s * self.frequency_hz + 1e-9))
        return self.at_s + np.arange(max(n, 1)) / self.frequency_hz

    def tendon_afferent_hz(self, t_ms: np.ndarray) -> np.ndarray:
        t_ms = np.asarray(t_ms, dtype=float)
        out = np.zeros(t_ms.shape)
        for p in self.pulse_times_s() * 1000.0:
            out[(t_ms >= p) & (t_ms < p + TENDON_VOLLEY_MS)] = self.volley_hz
        return out


@dataclass(frozen=True)
class Rest(Intervention):
    """Rest: all voluntary (injected) drive stops at ``at_s``.

    Attributes
    ----------
    at_s : float
        Time the drive stops, s (0–3600).
    """

    kind: ClassVar[str] = "rest"

    @property
    def cuts_drive(self) -> bool:
        return True


#: Treatments, in the order they are documented.
TREATMENTS: tuple[type[Intervention], ...] = (
    Stretch, TendonStimulation, Replete, Heat, Massage, Relaxant, Quinine, Rest,
)  # fmt: skip
#: Not treatments but the same mechanism: a cause developing or stopping. Kept apart from
#: TREATMENTS so that treatment lists stay treatments.
CHANGES: tuple[type[Intervention], ...] = (ChangeElectrolytes, ChangeIrritation)
#: Each intervention class by its ``kind`` (the ``kind`` key of a scenario file).
BY_KIND: dict[str, type[Intervention]] = {c.kind: c for c in TREATMENTS + CHANGES}
#: Valid ``kind`` names.
KINDS: tuple[str, ...] = tuple(BY_KIND)


# --- shorthands, as in the README and notebooks ------------------------------------------
def stretch(at_s: float, to_l0: float = 1.4, ramp_s: float = 1.0) -> Stretch:
    """A passive stretch from ``at_s`` (s) to ``to_l0`` (L0, 0.6–1.4) over ``ramp_s`` (s),
    then held: :class:`Stretch`, the first aid for a cramp."""
    return Stretch(at_s, to_l0, ramp_s)


def tendon_stimulation(
    at_s: float, duration_s: float = 5.0, frequency_hz: float = 2.0, volley_hz: float = 100.0
) -> TendonStimulation:
    """Electrical stimulation of the Achilles tendon from ``at_s`` (s) for ``duration_s``
    (s), ``frequency_hz`` pulses per second, each adding ``volley_hz`` of Ib discharge:
    :class:`TendonStimulation` (Khan & Burne 2007)."""
    return TendonStimulation(at_s, duration_s, frequency_hz, volley_hz)


def replete(at_s: float, over_s: float = 60.0, target: Electrolytes | None = None) -> Replete:
    """Plasma ions move from ``at_s`` (s) to ``target`` (normal plasma if None) over
    ``over_s`` (s): :class:`Replete`."""
    return Replete(at_s, over_s, target)


def change_electrolytes(at_s: float, over_s: float, target: Electrolytes) -> ChangeElectrolytes:
    """Plasma ions move from ``at_s`` (s) to ``target`` over ``over_s`` (s), a disorder
    developing: :class:`ChangeElectrolytes`."""
    return ChangeElectrolytes(at_s, over_s, target)


def change_irritation(at_s: float, over_s: float, level: float) -> ChangeIrritation:
    """Nerve irritation moves from ``at_s`` (s) to ``level`` (0–1) over ``over_s`` (s):
    :class:`ChangeIrritation`."""
    return ChangeIrritation(at_s, over_s, level)


def heat(at_s: float, over_s: float = 10.0, fraction: float = 0.5) -> Heat:
    """Local heat from ``at_s`` (s), removing ``fraction`` (0–1) of the nerve irritation
    over ``over_s`` (s): :class:`Heat`."""
    return Heat(at_s, over_s, fraction)


def massage(at_s: float, over_s: float = 10.0, fraction: float = 0.4) -> Massage:
    """Massage from ``at_s`` (s), removing ``fraction`` (0–1) of the nerve irritation over
    ``over_s`` (s): :class:`Massage`."""
    return Massage(at_s, over_s, fraction)


def relaxant(at_s: float, over_s: float = 5.0, g_inh_mS_cm2: float = 0.05) -> Relaxant:
    """A muscle relaxant given at ``at_s`` (s), reaching an inhibitory conductance of
    ``g_inh_mS_cm2`` (mS/cm², 0–1) over ``over_s`` (s): :class:`Relaxant`."""
    return Relaxant(at_s, over_s, g_inh_mS_cm2)


def quinine(at_s: float, over_s: float = 5.0, g_inh_mS_cm2: float = 0.03) -> Quinine:
    """A quinine-like drug given at ``at_s`` (s), reaching a shunt conductance of
    ``g_inh_mS_cm2`` (mS/cm², 0–1) over ``over_s`` (s): :class:`Quinine` (not recommended
    for routine cramps; see the module warning)."""
    return Quinine(at_s, over_s, g_inh_mS_cm2)


def rest(at_s: float) -> Rest:
    """Voluntary drive stops at ``at_s`` (s): :class:`Rest`."""
    return Rest(at_s)
