"""The spinal reflex loop and whole-muscle mechanics: spindle, tendon organ, length.

* **Muscle length** ``L`` (in optimal lengths L0) and velocity ``v`` (L0/s, positive when
  lengthening) come from a length protocol. They scale active force (force–length and
  force–velocity relations) and add passive tension when the muscle is stretched.
* **Muscle spindle Ia afferents** fire with length, velocity (a power law) and with the
  fusimotor (gamma) drive that accompanies alpha activity (alpha–gamma co-activation);
  they excite every motor neuron of the pool monosynaptically. The fusimotor part of the
  discharge, with the length and resting parts, makes a *static* discharge that
  saturates at ``ia_max_hz`` (intrafusal fibres, like extrafusal ones, contract no
  further however hard their gamma motor neurons fire); the *dynamic* (velocity)
  response adds to it with its own ceiling (``ia_dynamic_max_hz``), and fusimotor drive
  raises it (``ia_dynamic_gain``; dynamic gamma action, Crowe & Matthews 1964). So a
  spindle driven to its static ceiling by its gamma motor neurons, as in a cramp, still
  answers a stretch, more strongly than a passive spindle does: a forcible stretch of a
  cramping muscle first sends a reflex volley into the pool (Ross & Thomas 1995) before
  its tendon organs, drawn taut, inhibit it.
* **Fatigue** adds fusimotor drive in proportion to the contraction (metabolite-sensitive
  group III/IV afferents excite gamma motor neurons in fatiguing contractions of the
  decerebrate cat; Ljubisavljevic et al. 1992), so in a fatigued muscle force feeds back
  onto the pool through the spindles: the positive loop of the cramp hypothesis
  (Schwellnus 2009). Human microneurography is less clear (spindle support of the motor
  neurons may decline in fatigue), which the notebooks say: this is a hypothesis.
* **Golgi tendon organ Ib afferents** fire with tendon tension (active + passive) and
  inhibit the pool through an inhibitory interneuron (autogenic inhibition).

Both afferent signals reach the motor neurons after a conduction delay of ~20 ms, longer
than the engine's 1-ms block, so the loop is closed exactly at block boundaries.

The excitation is the *excess* of Ia firing over its resting rate: the tonic effect of
resting spindle discharge is part of the resting membrane (teaching simplification).

References
----------
* Prochazka A, Gorassini M (1998) J Physiol 507:277–291 (Ia and Ib rate models in the cat).
* Crowe A, Matthews PBC (1964) J Physiol 174:109–131 (dynamic fusimotor fibres raise the
  velocity response of the primary ending; static ones its steady discharge).
* Burke D, Hagbarth K-E, Löfstedt L (1978) J Physiol 277:131–142 (human spindles respond
  more to lengthening in a contracting muscle than to the same passive stretch).
* Kakuda N, Nagaoka M (1998) J Physiol 513:621–628 (human dynamic index in voluntary
  contraction changed by −8 to +25 impulses/s).
* Ross BH, Thomas CK (1995) Brain 118:983–993 (forcible stretch of a cramping muscle
  increased motor-unit activity before it broke the cramp).
* Vallbo ÅB (1974) Acta Physiol Scand 90:319–336 (human spindle firing in contraction).
* Houk J, Henneman E (1967) J Neurophysiol 30:466–481 (tendon organs signal tension).
* Gordon AM, Huxley AF, Julian FJ (1966) J Physiol 184:170–192 (force–length).
* Hill AV (1938) Proc R Soc B 126:136–195; Katz B (1939) J Physiol 96:45–64
  (force–velocity).
* Khan SI, Burne JA (2007) J Neurophysiol 98:1102–1107 (tendon-afferent inhibition of
  cramp).
* Hutton RS, Nelson DL (1986) Med Sci Sports Exerc 18:69–74 (fatigue raises spindle and
  lowers tendon-organ discharge; the basis of the cramp hypothesis of Schwellnus 2009).
* Fournier E, Katz R, Pierrot-Deseilligny E (1983) Brain Res 288:375–377 (Ib inhibition
  reduced during voluntary contraction).
* Ljubisavljevic M, Jovanovic K, Anastasijevic R (1992) J Physiol (decerebrate cat:
  fusimotor discharge rises late in fatiguing contractions, via group III/IV afferents);
  review: Ljubisavljevic M, Anastasijevic R (1996) J Peripher Nerv Syst 1:83–96.
* Schwellnus MP (2009) Br J Sports Med 43:401–408 (altered neuromuscular control
  hypothesis).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numba import njit

from ._validation import check_real

#: Fatigue (0–1) sensitises the metabolite-sensitive (group III/IV) afferents of the
#: muscle, which excite gamma motor neurons in fatiguing contractions (Ljubisavljevic et
#: al. 1992, decerebrate cat): the spindles receive FUSIMOTOR_HZ_PER_FATIGUE·fatigue Hz of
#: extra fusimotor drive per unit of the *metaboreceptor level* — the pool's active force
#: low-pass filtered over ``ReflexParams.metabo_tau_ms`` (metabolites build up over
#: seconds of contraction, and the afferents respond with them; :func:`reflex_block`).
#: Because that drive lags the force by seconds, an after-discharge can keep growing after
#: a brief trigger has ended: the positive loop of the cramp hypothesis (Schwellnus 2009)
#: with its own slow time course. Fatigue also multiplies tendon-organ discharge by
#: 1 − IB_PER_FATIGUE·fatigue (Hutton & Nelson 1986 found fatigue raised spindle and
#: lowered tendon-organ activity). Sizes are teaching choices; FUSIMOTOR_HZ_PER_FATIGUE is
#: calibrated with the motor-neuron parameters of recruitment (``NeuronParams.g_ahp_mS_cm2``)
#: so that the cramp preset's 2-nA trigger sets off a cramp at fatigue 0.8 and 0.9 and not
#: at 0.4 and 0.6, at 0.85 and 0.9 L0 (measured, seed 0, pool spikes 6.5–9.5 s after the
#: trigger at fatigue 0.4/0.6/0.8/0.9: 43, 60, 3427, 4221 at 0.9 L0 — stray discharges of
#: the smallest units below 0.8; 284, 698, 5527, 5755 at 0.85 L0 — a weak after-discharge
#: of ~1–2 Hz per unit below 0.8, a cramp above), and the trigger table's bench relaxes (at
#: its fatigue 0.4; triggers.BENCH_FATIGUE). In a cramp this drive holds the spindles'
#: static discharge near its ceiling (``ReflexParams.ia_max_hz``); it also raises their
#: velocity response (``ReflexParams.ia_dynamic_gain``), which has a ceiling of its own.
FUSIMOTOR_HZ_PER_FATIGUE = 265.0
IB_PER_FATIGUE = 0.6
#: Tendon slack: the tendon organs sit in series with the fibres, and a muscle–tendon unit
#: held short takes up slack before its tendon carries tension, so tendon-organ discharge
#: per unit of active force falls steeply below a slack length and rises to its full
#: value as the unit is drawn taut (:func:`tendon_organ_sensitivity`). Human
#: gastrocnemius muscle–tendon units fall slack at short lengths (Herbert et al. 2002, J
#: Physiol 539:637); the cramp hypothesis holds that tendon organs are less active when a
#: muscle contracts in a shortened position (Schwellnus 2009), and the inhibition evoked
#: from the Achilles tendon grows with ankle dorsiflexion, maximal in the stretched muscle
#: (Khan & Burne, Brain Res, autogenic inhibition of gastrocnemius; year to verify). Slack
#: length 0.95 L0 and width 0.04 L0 are teaching choices: ×0.29 at 0.9 L0, ×0.10 at
#: 0.85 L0, ×1.26 at 1.1 L0. This is what makes a shortened muscle cramp more and a
#: stretched one hardly at all, and what lets a gentle stretch interrupt a cramp.
TENDON_SLACK_L0 = 0.95
TENDON_SLACK_WIDTH_L0 = 0.04
#: A fatigued muscle that contracts sends a noisy barrage of afferent (spindle and group
#: III/IV) input to its motor neurons: an Ornstein–Uhlenbeck current of SD
#: AFFERENT_NOISE_UA_CM2·fatigue·√(barrage rate)·√(AFFERENT_NOISE_REF_AREA_CM2 / cell
#: area), µA/cm² (τ ``synapses.NOISE_TAU_MS``), the barrage rate a fraction of its rate at
#: full force that grows with the metaboreceptor level (as for the fusimotor drive above;
#: :func:`afferent_barrage_rate`). The square roots are Campbell's theorem for independent
#: synaptic events of a fixed charge: the variance of the current grows with the number of
#: events, so with the event rate and with the membrane area (the number of synapses); the
#: current *density* therefore fluctuates by 1/√area and the barrage shakes a small motor
#: neuron more than a large one. That is what makes a cramp begin in the small units,
#: spread to the large ones as it grows and leave them first as it fades (Minetto et al.
#: 2009: single units active 23.6 ± 16.2 s within a cramp). Discharge variability rises in
#: fatigue (Contessa, Adam & De Luca 2009, J Appl Physiol 107:235). Calibrated, with
#: METABORECEPTOR_HALF_LEVEL: the size brings the cramp preset's ISI CV into the range
#: recorded in cramps (Minetto et al. 2009: 0.446 ± 0.097; measured 0.42–0.43 over the units'
#: continuous discharge, analysis.DISCHARGE_PAUSE_S, seeds 0–2), so that number is a
#: calibration, not a prediction.
AFFERENT_NOISE_UA_CM2 = 3.6
#: The barrage's event rate saturates with the metaboreceptor level ``m``: it is
#: ``mⁿ·(1 + Kⁿ)/(mⁿ + Kⁿ)`` of its rate at m = 1, K = METABORECEPTOR_HALF_LEVEL and
#: n = METABORECEPTOR_HILL (:func:`afferent_barrage_rate`). The fatigue
#: signal comes from metaboreceptors, group III/IV afferents that answer low, exercise-like
#: concentrations of lactate, ATP and protons together (felt as fatigue), apart from the
#: metabo-nociceptors that answer only ischaemic ones (felt as pain): Light et al. 2008, J
#: Neurophysiol 100:1184 (mouse sensory neurons); Pollak et al. 2014, Exp Physiol 99:368
#: (metabolites injected into human muscle); and low levels of exercise already excite
#: most group III/IV afferents of the cat triceps surae (Adreani, Hill & Kaufman 1997, J
#: Appl Physiol 82:1811). So the barrage is near its full rate once a contraction has built
#: a modest level, and grows little after. Calibrated: K is the value at which the night
#: cramp ignites out of its fasciculations (a few % of maximal force) while the exercise
#: cramp's ISI CV stays in Minetto et al.'s range; with a rate proportional to m (K → ∞)
#: no noise did both on the parameter sets tried (the night cramp needed ~3× the noise
#: that the CV allows).
METABORECEPTOR_HALF_LEVEL = 0.05
#: Steepness of that saturation (Hill coefficient). Calibrated: with 1, on the parameter
#: sets tried, the barrage kept itself going at the trace level a half-fatigued calf keeps
#: after a modest contraction (its smallest units firing on at ~3 Hz, ~540 spikes where
#: the repletion test allows ~480); with 2 the barrage fades as m² below K and the muscle
#: relaxes (94 spikes with the defaults).
METABORECEPTOR_HILL = 2.0
#: Membrane area at which the fatigue-afferent noise density is AFFERENT_NOISE_UA_CM2,
#: cm² (0.1 mm², a small cat motor neuron; pool.PoolParams.smallest_area_cm2 says more).
AFFERENT_NOISE_REF_AREA_CM2 = 1e-3


#: Ranges of the mechanics parameters (lo, hi, unit). A force–length width, Vmax or Hill
#: curvature of 0 divides by zero (force NaN); the bounds keep each a factor of ~10 from
#: its default, beyond the spread of human muscles (teaching choice). Passive tension is
#: capped so that a stretch to 1.4 L0 gives at most 0.1·(e^6 − 1) ≈ 40× maximal force
#: (finite; real muscle would tear far below that).
_MECHANICS_RANGES = {
    "fl_width_l0": (0.05, 5.0, "L0"),
    "vmax_l0_per_s": (0.5, 50.0, "L0/s"),
    "hill_curvature": (0.025, 2.5, ""),
    "passive_scale": (0.0, 0.1, ""),
    "passive_shape": (0.0, 15.0, "1/L0"),
    "eccentric_max": (1.0, 3.0, "× isometric"),
}


#: ReflexParams fields that are the ceilings of tanh saturations, Hz (at least 1 Hz).
_SATURATIONS = ("ia_max_hz", "ia_dynamic_max_hz")


@dataclass(frozen=True)
class ReflexParams:
    """Spindle, tendon-organ and mechanics parameters.

    Attributes
    ----------
    ia_rest_hz : float
        Resting Ia rate at optimal length, Hz. 10 Hz: human spindle primaries at rest fire
        0–20 Hz (Vallbo 1974).
    ia_length_hz_per_l0 : float
        Ia rate per optimal length of stretch, Hz/L0. 100 Hz/L0: Prochazka & Gorassini
        (1998) give 2 Hz/mm for cat Ia; ×50 mm, a human calf fascicle's optimal length.
    ia_velocity_hz : float, ia_velocity_exponent : float
        Velocity term ``k·v^0.6`` with v in L0/s, lengthening only. 4.3·(50 mm)^0.6 ≈ 45
        Hz at 1 L0/s (Prochazka & Gorassini 1998, cat, scaled by 50 mm as above).
    ia_gamma_hz : float
        Ia rate added at maximal active force by fusimotor co-activation, Hz. 30 Hz:
        human Ia rates rise by tens of Hz during strong isometric contraction (Vallbo
        1974; teaching choice).
    ib_hz_per_tension : float
        Ib rate per unit tension (fraction of maximal force), Hz. 150 Hz at maximal
        tension (tendon organs fire up to ~100–200 Hz; Houk & Henneman 1967; teaching).
    ia_delay_ms, ib_delay_ms : float
        Afferent conduction plus central delay, ms. Human soleus H-reflex latency is
        ~30 ms, of which ~18–20 ms afferent (Kimura 2013); Ib adds one interneuron (~2 ms).
    ia_weight_nS_per_hz, ib_weight_nS_per_hz : float
        Synaptic conductance onto each motor neuron per Hz of afferent rate above rest, nS.
        Teaching choice (3 and 50 nS/Hz), set so that together: a fast stretch of a
        relaxed muscle recruits the low-threshold units at 25–50 ms latency; holding
        1.1 L0 leaves the pool almost silent; a voluntary contraction of a fresh muscle
        relaxes when the drive ends; the fatigue-driven spindle loop (see module notes)
        can sustain a cramp in a shortened muscle, where the slack tendon loads the tendon
        organs little, but hardly at 1.1 L0; a gentle stretch back to 1.1 L0 interrupts it
        and a forcible passive stretch to 1.4 L0 silences it, through tendon-organ
        inhibition (Bertolasi et al. 1993; Khan & Burne 2007). The Ib weight is bounded
        above by the 22-ms loop delay: much stronger negative feedback makes force
        oscillate (clonus-like); voluntary contractions are protected by the depression of
        Ib transmission (``ib_voluntary_half_nA``).
    ia_max_hz : float
        Ceiling of the static Ia discharge (rest, length and fusimotor drive), Hz: that
        part is ``ia_max·tanh(x/ia_max)``. 60 Hz: human spindle primaries fire at a few
        tens of Hz in strong isometric contraction (Vallbo 1974; teaching choice).
    ia_dynamic_max_hz : float
        Ceiling of the dynamic (velocity) Ia response, which adds to the static part, Hz:
        ``D·tanh(x/D)``. Teaching choice 60 Hz, so that a primary can reach ~120 Hz in a
        fast stretch of a contracting muscle (cat primaries exceed that with dynamic
        fusimotor drive, Crowe & Matthews 1964; the human maximum in such a stretch is to
        verify). Keeping it separate from the static ceiling lets a spindle held at that
        ceiling by gamma drive still signal stretch, and leaves every isometric
        contraction (the cramp's calibration included) exactly as with one ceiling.
    ia_dynamic_gain : float
        Rise of the Ia velocity response with fusimotor drive: it is multiplied by
        ``1 + ia_dynamic_gain·tanh(drive/ia_max_hz)``. Dynamic gamma motor neurons raise
        the primary's response to stretch velocity several-fold in the cat (Crowe &
        Matthews 1964); human spindles respond more to lengthening of a contracting muscle
        than to the same passive stretch (Burke, Hagbarth & Löfstedt 1978), with dynamic
        indices up to 25 impulses/s higher in voluntary contraction (Kakuda & Nagaoka
        1998). Teaching choice 2 (the velocity response triples under the strong
        fusimotor drive hypothesised for a cramp, beyond the human voluntary range): a
        forcible stretch of a cramping muscle then sends a reflex volley into the pool,
        as recorded (Ross & Thomas 1995). A relaxed spindle keeps the passive velocity
        response of Prochazka & Gorassini (1998).
    ia_gain, ib_gain : float
        Multipliers of the Ia and Ib pathways (1 = normal; 0 = deafferented).
    ib_voluntary_half_nA : float
        Voluntary drive, nA, at which the Ib interneurons pass half of the tendon-organ
        inhibition: transmission is ``1 / (1 + drive / ib_voluntary_half_nA)``. In humans
        the Ib inhibition of a muscle's own motor neurons is reduced at the onset of and
        during its voluntary contraction (Fournier, Katz & Pierrot-Deseilligny 1983, Brain
        Res 288:375; Pierrot-Deseilligny & Burke 2012, *The Circuitry of the Human Spinal
        Cord*), which is why a strong contraction is not shut down by its own tendon organs,
        while a cramp, which has no descending drive, is (Khan & Burne 2007, who also found
        the tendon inhibition ineffective during the near-maximal contraction of the
        shortened muscle that induces cramp). Calibrated 0.3 nA (a quarter at 1 nA, a
        tenth at 2.7 nA), with the motor-neuron parameters that set recruitment
        (``scripts/recruitment_calibration.py``): with less depression the tendon organs of
        a moderate contraction silence the smallest, first-recruited units, which in human
        contractions keep firing at ≥ 6 Hz (measured 7.5 and 10 Hz for the slowest of the
        smallest fifth under 2 and 4 nA; Milner-Brown, Stein & Yemm 1973). A very large value
        (up to 10⁶) turns the depression off. The afferent discharge (``Result.ib_rate``)
        is not changed: the gate is central.
    metabo_tau_ms : float
        Time constant of the metaboreceptor level, ms: the pool's active force low-pass
        filtered, standing for the metabolites of contraction and the group III/IV
        afferents that signal them (they respond to static contraction within seconds and
        follow its metabolic state; Kaufman et al. 1983, J Appl Physiol 55:105, cat — to
        verify). Teaching choice 3 s: the cramp's involuntary force then builds up over a
        few seconds after its trigger. It sets the fatigue fusimotor drive and the
        fatigue-afferent noise (module constants).
    fl_width_l0 : float
        Width of the Gaussian force–length curve, L0. 0.45: force falls to ~60 % at
        0.7 and 1.3 L0 (Gordon et al. 1966 shape; teaching choice for a whole muscle).
    passive_scale, passive_shape : float
        Passive tension ``scale·(exp(shape·(L − 1)) − 1)`` above L0, fraction of maximal
        force. 0.02 and 10: ~7 % at 1.15 L0, ~38 % at 1.3 L0 (teaching choice).
    vmax_l0_per_s, hill_curvature : float
        Maximal shortening velocity (5 L0/s for mixed human muscle) and Hill's a/F0 (0.25;
        Hill 1938).
    eccentric_max : float
        Force plateau in fast lengthening, × isometric (1.5; Katz 1939 measured 1.5–1.8).
    """

    ia_rest_hz: float = 10.0
    ia_length_hz_per_l0: float = 100.0
    ia_velocity_hz: float = 45.0
    ia_velocity_exponent: float = 0.6
    ia_gamma_hz: float = 30.0
    ib_hz_per_tension: float = 150.0
    ia_delay_ms: float = 20.0
    ib_delay_ms: float = 22.0
    ia_weight_nS_per_hz: float = 3.0
    ib_weight_nS_per_hz: float = 50.0
    ia_gain: float = 1.0
    ib_gain: float = 1.0
    fl_width_l0: float = 0.45
    passive_scale: float = 0.02
    passive_shape: float = 10.0
    vmax_l0_per_s: float = 5.0
    hill_curvature: float = 0.25
    eccentric_max: float = 1.5
    ia_max_hz: float = 60.0
    ib_voluntary_half_nA: float = 0.3
    metabo_tau_ms: float = 3000.0
    ia_dynamic_max_hz: float = 60.0
    ia_dynamic_gain: float = 2.0

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "ib_voluntary_half_nA":
                check_real(f.name, self.ib_voluntary_half_nA, "nA", 0.0, 1e6, "ReflexParams",
                           lo_open=True)  # fmt: skip
                continue
            if f.name == "metabo_tau_ms":
                check_real(f.name, self.metabo_tau_ms, "ms", 100.0, 600000.0, "ReflexParams")
                continue
            if f.name in _MECHANICS_RANGES:
                lo, hi, unit = _MECHANICS_RANGES[f.name]
                check_real(f.name, getattr(self, f.name), unit, lo, hi, "ReflexParams")
                continue
            hi = 1000.0 if not f.name.endswith("delay_ms") else 200.0
            # A ceiling of 0 would divide by zero in the tanh saturations.
            lo = 1.0 if f.name.endswith("delay_ms") or f.name in _SATURATIONS else 0.0
            check_real(f.name, getattr(self, f.name), "", lo, hi, "ReflexParams")

    def as_array(self) -> np.ndarray:
        """Parameters in the order the compiled functions read them."""
        return np.array([float(getattr(self, f.name)) for f in fields(self)])

    @classmethod
    def deafferented(cls) -> ReflexParams:
        """No spindle or tendon-organ feedback (dorsal roots cut): the classic preparation
        for measuring a motor neuron's own properties, and the right one for a single unit,
        whose force would otherwise be read as the whole muscle's tension."""
        return cls(ia_gain=0.0, ib_gain=0.0)


# Indices into ReflexParams.as_array(), read by the compiled functions; derived from the
# dataclass, so a field added or moved cannot shift them.
_COLUMN = {f.name: k for k, f in enumerate(fields(ReflexParams))}
R_IA_REST = _COLUMN["ia_rest_hz"]
R_IA_LEN = _COLUMN["ia_length_hz_per_l0"]
R_IA_VEL = _COLUMN["ia_velocity_hz"]
R_IA_VEXP = _COLUMN["ia_velocity_exponent"]
R_IA_GAMMA = _COLUMN["ia_gamma_hz"]
R_IB = _COLUMN["ib_hz_per_tension"]
R_IA_DELAY = _COLUMN["ia_delay_ms"]
R_IB_DELAY = _COLUMN["ib_delay_ms"]
R_IA_W = _COLUMN["ia_weight_nS_per_hz"]
R_IB_W = _COLUMN["ib_weight_nS_per_hz"]
R_IA_GAIN = _COLUMN["ia_gain"]
R_IB_GAIN = _COLUMN["ib_gain"]
R_FL_W = _COLUMN["fl_width_l0"]
R_P_SCALE = _COLUMN["passive_scale"]
R_P_SHAPE = _COLUMN["passive_shape"]
R_VMAX = _COLUMN["vmax_l0_per_s"]
R_HILL = _COLUMN["hill_curvature"]
R_ECC = _COLUMN["eccentric_max"]
R_IA_MAX = _COLUMN["ia_max_hz"]
R_MET_TAU = _COLUMN["metabo_tau_ms"]
R_IA_DYN_MAX = _COLUMN["ia_dynamic_max_hz"]
R_IA_DYN = _COLUMN["ia_dynamic_gain"]


@njit(cache=True, error_model="numpy")
def force_length(length_l0: float, width: float) -> float:
    """Active force–length factor (1 at L0), Gaussian (teaching form of Gordon et al. 1966)."""
    x = (length_l0 - 1.0) / width
    return np.exp(-x * x)


@njit(cache=True, error_model="numpy")
def force_velocity(v_l0_s: float, vmax: float, a: float, ecc_max: float) -> float:
    """Force–velocity factor: Hill's hyperbola when shortening (v < 0), a rise to
    ``ecc_max`` when lengthening (v > 0); 1 when isometric."""
    if v_l0_s < 0.0:
        u = -v_l0_s / vmax
        if u >= 1.0:
            return 0.0
        return (1.0 - u) / (1.0 + u / a)
    return ecc_max - (ecc_max - 1.0) * (a * vmax) / (a * vmax + v_l0_s)


@njit(cache=True, error_model="numpy")
def passive_tension(length_l0: float, scale: float, shape: float) -> float:
    """Passive tension of stretched connective tissue and titin, fraction of max force."""
    if length_l0 <= 1.0:
        return 0.0
    return scale * (np.exp(shape * (length_l0 - 1.0)) - 1.0)


@njit(cache=True, error_model="numpy")
def spindle_ia_rate(
    length_l0: float, v_l0_s: float, active: float, rp: np.ndarray, fusimotor_hz: float,
    metabo: float,
) -> float:  # fmt: skip
    """Ia discharge rate, Hz (≥ 0): a static part (length and fusimotor drive) and a
    dynamic part (lengthening velocity), each saturating on its own.

    The fusimotor drive is ``ia_gamma_hz·active + fusimotor_hz·metabo``: co-activation
    with the alpha motor neurons plus the extra gamma drive of a fatigued muscle
    (``fusimotor_hz``, Hz per unit of the metaboreceptor level ``metabo``). With resting
    discharge and length it makes the static part, ``ia_max·tanh(x/ia_max)``. The
    velocity response ``ia_velocity_hz·v^ia_velocity_exponent`` is raised by the same
    drive, by up to ``1 + ia_dynamic_gain`` (dynamic fusimotor action), and saturates at
    ``ia_dynamic_max_hz``. A spindle held at its static ceiling by gamma drive therefore
    still answers a stretch.
    """
    s_max = rp[R_IA_MAX]
    x = (rp[R_IA_REST] + rp[R_IA_LEN] * (length_l0 - 1.0) + rp[R_IA_GAMMA] * active
         + fusimotor_hz * metabo)  # fmt: skip
    static = s_max * np.tanh(x * rp[R_IA_GAIN] / s_max)
    dynamic = 0.0
    if v_l0_s > 0.0:
        d_max = rp[R_IA_DYN_MAX]
        drive = rp[R_IA_GAMMA] * active + fusimotor_hz * metabo
        sens = 1.0 + rp[R_IA_DYN] * np.tanh(drive / s_max)
        raw = rp[R_IA_GAIN] * sens * rp[R_IA_VEL] * v_l0_s ** rp[R_IA_VEXP]
        dynamic = d_max * np.tanh(raw / d_max)
    r = static + dynamic
    return r if r > 0.0 else 0.0


@njit(cache=True, error_model="numpy")
def tendon_ib_rate(tension: float, rp: np.ndarray, mult: float) -> float:
    """Ib discharge rate, Hz (≥ 0), proportional to tendon tension; ``mult`` scales it
    (fatigue lowers tendon-organ output; Hutton & Nelson 1986)."""
    r = rp[R_IB] * tension * rp[R_IB_GAIN] * mult
    return r if r > 0.0 else 0.0


def tendon_organ_sensitivity(length_l0: np.ndarray | float) -> np.ndarray:
    """Tendon-organ discharge per unit active tension at a muscle length, × its value at
    L0: a logistic in length around :data:`TENDON_SLACK_L0` (slack tendon when short,
    taut when stretched)."""
    x = (np.asarray(length_l0, dtype=float) - TENDON_SLACK_L0) / TENDON_SLACK_WIDTH_L0
    at_l0 = (1.0 - TENDON_SLACK_L0) / TENDON_SLACK_WIDTH_L0
    return (1.0 + np.exp(-at_l0)) / (1.0 + np.exp(-x))


def delay_blocks(delay_ms: float, block_ms: float) -> int:
    """An afferent conduction delay in whole input blocks (at least one)."""
    return max(1, int(delay_ms / block_ms + 0.5))


@njit(cache=True, error_model="numpy")
def reflex_block(
    length_l0: float, v_l0_s: float, active: float, rp: np.ndarray, fusimotor_hz: float,
    ib_mult: float, metabo_prev: float, block_ms: float, ib_added_hz: float,
) -> tuple[float, float, float, float, float]:  # fmt: skip
    """Mechanics and afferent discharge of one input block from its length, velocity and
    the pool's active force at its start.

    Returns
    -------
    scale : float
        Force–length × force–velocity factor on active force.
    passive : float
        Passive tension, fraction of maximal force.
    ia_hz, ib_hz : float
        Spindle Ia and tendon-organ Ib discharge, Hz (tendon tension = active·scale +
        passive).
    """
    scale = force_length(length_l0, rp[R_FL_W]) * force_velocity(
        v_l0_s, rp[R_VMAX], rp[R_HILL], rp[R_ECC]
    )
    passive = passive_tension(length_l0, rp[R_P_SCALE], rp[R_P_SHAPE])
    keep = np.exp(-block_ms / rp[R_MET_TAU])
    metabo = metabo_prev * keep + (1.0 - keep) * active
    ia = spindle_ia_rate(length_l0, v_l0_s, active, rp, fusimotor_hz, metabo)
    ib = tendon_ib_rate(active * scale + passive, rp, ib_mult) + ib_added_hz * rp[R_IB_GAIN]
    return scale, passive, ia, ib, metabo


@njit(cache=True, error_model="numpy")
def afferent_input(
    b: int, ia_hist: np.ndarray, ib_hist: np.ndarray, delays: tuple[int, int], rp: np.ndarray,
    ib_gate: float,
) -> tuple[float, float]:  # fmt: skip
    """Synaptic conductances (nS) of the Ia excitation and Ib inhibition that reach each
    motor neuron in block ``b``, from afferent rates one conduction delay earlier.

    ``delays`` are the Ia and Ib delays in blocks (:func:`delay_blocks`). Ia excites by
    the excess of its rate over rest; Ib inhibition passes the interneuron by ``ib_gate``
    (voluntary drive lowers it). Before the first delay has passed, the rates of block 0
    stand in.
    """
    d_ia, d_ib = delays
    ia_d = ia_hist[b - d_ia] if b >= d_ia else ia_hist[0]
    ib_d = ib_hist[b - d_ib] if b >= d_ib else ib_hist[0]
    return rp[R_IA_W] * max(ia_d - rp[R_IA_REST], 0.0), rp[R_IB_W] * ib_d * ib_gate


@njit(cache=True, error_model="numpy")
def afferent_barrage_rate(level: float) -> float:
    """Event rate of the fatigue-afferent barrage at metaboreceptor level ``level`` (0–1),
    as a fraction of its rate at level 1: ``mⁿ·(1 + Kⁿ)/(mⁿ + Kⁿ)``, m = ``level``, K =
    :data:`METABORECEPTOR_HALF_LEVEL`, n = :data:`METABORECEPTOR_HILL` (the
    metaboreceptors saturate at modest levels)."""
    m = level if level > 0.0 else 0.0
    mn = m**METABORECEPTOR_HILL
    kn = METABORECEPTOR_HALF_LEVEL**METABORECEPTOR_HILL
    return mn * (1.0 + kn) / (mn + kn)


@njit(cache=True, error_model="numpy")
def afferent_noise_sd(b: int, met_hist: np.ndarray, d_ia: int, sd_full_force: float) -> float:
    """SD of the fatigue-afferent noise (µA/cm² at the reference area) in block ``b``: it
    grows with the square root of the barrage rate (:func:`afferent_barrage_rate`) at the
    metaboreceptor level one Ia delay (``d_ia`` blocks) earlier, ``met_hist`` the history
    of that level (:data:`AFFERENT_NOISE_UA_CM2` at level 1 and fatigue 1; the noise
    columns carry each cell's area factor, so the product is that cell's current
    density)."""
    met_d = met_hist[b - d_ia] if b >= d_ia else met_hist[0]
    return sd_full_force * np.sqrt(afferent_barrage_rate(met_d))
