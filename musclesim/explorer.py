"""The browser explorer behind ``musclesim explore``: move the causes, watch the muscle.

Two columns side by side (by default the ``spasm`` and ``cramp`` presets), each with
sliders for the plasma ions, nerve irritation, fatigue and muscle length and a treatment
from :mod:`musclesim.interventions`. Every move re-runs that column's scenario with
:func:`musclesim.simulate` (a small pool and a short run: :data:`N_UNITS`, 5 s by
default) and the page redraws its motor-unit raster, force, label and metrics: the rows of
:func:`musclesim.analysis.summary_rows` and the lines of
:func:`musclesim.analysis.metric_lines`, from the run's one ``Result.metrics()``, the same
numbers ``musclesim run`` prints. Nothing is precomputed.

How it is built, and why: the standard library's :class:`http.server.ThreadingHTTPServer`
serves one page (``explorer.html``: plain HTML and JavaScript, nothing fetched from the
internet) and answers each move with JSON; the page draws the traces as SVG. No package
beyond musclesim's own dependencies is needed, so the explorer works on any computer that
runs musclesim, offline. The alternatives cost more on a school laptop: Voilà on the
ipywidgets explorer of notebook 07 needs the Jupyter server stack and redraws through
matplotlib, and rendering the comparison figure (:func:`musclesim.plot.compare`) as a PNG
alone takes ~0.65 s on 2 cores, twice the 0.3-s redraw budget of issue 20; Panel or
Bokeh would add tens of MB for two panels of lines.

The server listens on ``127.0.0.1`` only: nobody else on the network can reach it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np

from . import interventions
from ._fields import commented_toml
from ._validation import check_int, check_real
from ._version import __version__
from .analysis import metric_lines, summary_rows, trigger_window
from .classification import classify_with_reasons
from .electrolytes import REFERENCE_RANGES, Electrolytes
from .interventions import ChangeElectrolytes, Intervention
from .plot import CLASS_COLOURS, OKABE_ITO
from .presets import describe_scenarios
from .presets import scenario as preset
from .protocols import hold_length
from .scenarios import Scenario
from .simulation import simulate

__all__ = [
    "DEFAULT_COLUMNS",
    "DURATIONS_S",
    "N_UNITS",
    "PRESETS",
    "PRESET_RUN_S",
    "SLIDERS",
    "ExplorerServer",
    "Settings",
    "config",
    "explorer_scenario",
    "make_server",
    "run",
    "scenario_toml",
]

#: Motor units in every explorer run. Teaching choice: 20 units × 5 s take 0.11–0.14 s per
#: ``simulate`` on 2 lightly loaded cores (~0.25 s at load average 6.6; measured with
#: ``benchmarks/bench_explore.py``), which keeps a redraw within the 0.3 s of issue 20;
#: the presets use 100 units, so the numbers differ a little.
N_UNITS = 20
#: Run lengths offered, s; the first is the default. Teaching choice: 5 s holds the
#: cramp's trigger (1–2.5 s) and what follows it; longer runs show slow treatments (heat
#: and massage act over 10 s) and more of a cramp's course, and redraw more slowly.
DURATIONS_S: tuple[float, ...] = (5.0, 10.0, 20.0)
#: Run length a preset opens with, s, where the default would end before its story
#: starts. Teaching choice: with the explorer's 20 units the exercise cramp's involuntary
#: discharge outgrows the trigger 2.8–5.6 s in (seeds 0–5; seed 0, the default, 5.6 s), so
#: its column opens at 10 s; the night cramp builds out of fasciculations 10–12 s in
#: (seeds 0, 2 and 3; on seeds 1 and 4 not within 30 s), so its column opens at 20 s.
PRESET_RUN_S: dict[str, float] = {"cramp": 10.0, "night_cramp": 20.0}
#: Presets a column can start from: those of a whole pool whose behaviour the sliders
#: change (the nerve-stimulation and single-neuron presets are left out).
PRESETS: tuple[str, ...] = (
    "spasm", "cramp", "night_cramp", "normal", "tetany", "hypokalaemia", "hyperkalaemia",
    "rest",
)  # fmt: skip
#: The presets of the two columns when the page opens: the comparison the package is about.
DEFAULT_COLUMNS: tuple[str, str] = ("spasm", "cramp")
#: Time over which plasma moves from the preset's values to the chosen ones at the start
#: of a run, s, when the preset has no plasma change of its own. Teaching choice, as in
#: notebook 07 and the tetany preset: a sudden step would start every unit at once in one
#: synchronous burst.
PLASMA_CHANGE_S = 1.0
#: The sliders: setting → (low, high, step, unit, label). Teaching choice: the ion spans
#: of notebook 07's explorer (clinically interesting, inside
#: ``electrolytes.VALIDITY_RANGES``); length from shortened (pointed foot, ~0.85 L0) to
#: stretched; every preset's value lies on a step.
SLIDERS: dict[str, tuple[float, float, float, str, str]] = {
    "K_mM": (1.0, 12.0, 0.1, "mmol/L", "K⁺"),
    "Na_mM": (120.0, 160.0, 1.0, "mmol/L", "Na⁺"),
    "Ca_mM": (0.6, 1.6, 0.05, "mmol/L", "ionised Ca²⁺"),
    "Mg_mM": (0.2, 1.2, 0.05, "mmol/L", "ionised Mg²⁺"),
    "irritation": (0.0, 1.0, 0.025, "", "nerve irritation"),
    "fatigue": (0.0, 1.0, 0.05, "", "fatigue"),
    "length_l0": (0.8, 1.2, 0.05, "L0", "muscle length"),
}
#: Each treatment of ``interventions.TREATMENTS`` by kind, built with the defaults of
#: its shorthand in :mod:`musclesim.interventions`.
_TREATMENTS: dict[str, Callable[[float], Intervention]] = {
    "stretch": interventions.stretch,
    "tendon_stimulation": interventions.tendon_stimulation,
    "replete": interventions.replete,
    "heat": interventions.heat,
    "massage": interventions.massage,
    "relaxant": interventions.relaxant,
    "quinine": interventions.quinine,
    "rest": interventions.rest,
}
#: The "no treatment" choice.
NO_TREATMENT = "none"
#: Most points of a force trace sent to the page: a few per screen pixel.
_MAX_POINTS = 2500
#: Ions of a setting, by the field of Electrolytes they set.
_IONS = {"K_mM": "K", "Na_mM": "Na", "Ca_mM": "Ca", "Mg_mM": "Mg"}
#: Normal plasma, the default of the ion settings.
_NORMAL = Electrolytes()


@dataclass(frozen=True)
class Settings:
    """What one column of the explorer runs: a preset and the values of its controls.

    Attributes
    ----------
    preset : str
        The preset the column starts from (one of :data:`PRESETS`).
    K_mM, Na_mM, Ca_mM, Mg_mM : float
        Plasma potassium, sodium, ionised calcium and ionised magnesium, mmol/L, reached
        over the first second(s) of the run (:func:`explorer_scenario`).
    irritation : float
        Nerve irritation, 0–1, of the preset's share of the axons.
    fatigue : float
        Neuromuscular fatigue, 0–1.
    length_l0 : float
        Muscle length, held, L0.
    treatment : str
        ``"none"`` or a treatment kind (``"stretch"``, ``"heat"``, ...).
    treatment_at_s : float
        When the treatment starts, s (before the end of the run).
    duration_s : float
        Length of the run, s (one of :data:`DURATIONS_S`).
    seed : int
        Seed of the random synaptic noise.
    """

    preset: str = "cramp"
    K_mM: float = _NORMAL.K
    Na_mM: float = _NORMAL.Na
    Ca_mM: float = _NORMAL.Ca
    Mg_mM: float = _NORMAL.Mg
    irritation: float = 0.0
    fatigue: float = 0.0
    length_l0: float = 1.0
    treatment: str = NO_TREATMENT
    treatment_at_s: float = 3.0
    duration_s: float = DURATIONS_S[0]
    seed: int = 0

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise ValueError(f"preset = {self.preset!r}; the explorer starts from one of "
                             f"{', '.join(PRESETS)}")  # fmt: skip
        for name, (lo, hi, _, unit, label) in SLIDERS.items():
            object.__setattr__(self, name, check_real(name, getattr(self, name), unit, lo, hi,
                                                      label))  # fmt: skip
        if self.treatment != NO_TREATMENT and self.treatment not in _TREATMENTS:
            raise ValueError(f"treatment = {self.treatment!r}; valid: {NO_TREATMENT}, "
                             f"{', '.join(_TREATMENTS)}")  # fmt: skip
        if self.duration_s not in DURATIONS_S:
            raise ValueError(f"duration_s = {self.duration_s!r} s; the explorer runs "
                             f"{', '.join(f'{d:g}' for d in DURATIONS_S)} s")  # fmt: skip
        check_real("treatment_at_s", self.treatment_at_s, "s", 0.0, self.duration_s,
                   "start of the treatment, before the end of the run")  # fmt: skip
        if self.treatment_at_s >= self.duration_s:
            raise ValueError(f"treatment_at_s = {self.treatment_at_s!r} s must be before the "
                             f"end of the run ({self.duration_s:g} s)")  # fmt: skip
        object.__setattr__(self, "seed", check_int("seed", self.seed, 0, 2**31 - 1, "seed"))

    @classmethod
    def from_preset(cls, name: str) -> Settings:
        """The controls as they stand in the preset ``name``: its plasma (the target of its
        own plasma change, if it has one), irritation, fatigue and held length, and the run
        length it opens with (:data:`PRESET_RUN_S`)."""
        if name not in PRESETS:
            raise ValueError(f"preset = {name!r}; the explorer starts from one of "
                             f"{', '.join(PRESETS)}")  # fmt: skip
        sc = preset(name)
        plasma = _preset_plasma(sc)
        length = sc.length.length_l0[-1] if sc.length is not None else 1.0
        return cls(
            preset=name, K_mM=plasma.K, Na_mM=plasma.Na, Ca_mM=plasma.Ca, Mg_mM=plasma.Mg,
            irritation=sc.irritation, fatigue=sc.fatigue, length_l0=length,
            duration_s=PRESET_RUN_S.get(name, DURATIONS_S[0]),
        )  # fmt: skip

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Settings:
        """Settings from a page request's query, e.g. ``{"preset": "cramp", "Ca_mM":
        "0.9"}``; what is missing takes the preset's value.

        Raises
        ------
        ValueError
            For an unknown key, a value that is not a number, or one out of range.
        """
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(query) - set(fields))
        if unknown:
            raise ValueError(f"unknown setting(s) {unknown}; valid: {', '.join(fields)}")
        base = cls.from_preset(query.get("preset", cls.preset))
        changes: dict[str, Any] = {}
        for key, text in query.items():
            if key in ("preset", "treatment"):
                changes[key] = text
                continue
            try:
                changes[key] = int(text) if key == "seed" else float(text)
            except ValueError:
                raise ValueError(f"{key} = {text!r} is not a number") from None
        return dataclasses.replace(base, **changes)


def _preset_plasma(sc: Scenario) -> Electrolytes:
    """The plasma a preset settles at: the target of its plasma change, else its own."""
    for iv in sc.interventions:
        if isinstance(iv, ChangeElectrolytes):
            return iv.target
    return sc.electrolytes


def explorer_scenario(settings: Settings) -> Scenario:
    """The scenario a column runs: its preset cut to :data:`N_UNITS` units and
    ``duration_s``, with the settings' causes and treatment.

    Plasma starts at the preset's own values and moves to the chosen ones from 0 s over the
    preset's own plasma change time (the tetany preset's 2 s) or :data:`PLASMA_CHANGE_S`.
    Irritation reaches the preset's share of the axons (``irritation_fraction``); the
    voluntary drive (the cramp's trigger, the normal contraction) is the preset's.

    Parameters
    ----------
    settings : Settings
        The column's controls.

    Returns
    -------
    Scenario
    """
    base = preset(settings.preset)
    own = [iv for iv in base.interventions if isinstance(iv, ChangeElectrolytes)]
    others = tuple(iv for iv in base.interventions if not isinstance(iv, ChangeElectrolytes))
    target = Electrolytes(**{ion: getattr(settings, key) for key, ion in _IONS.items()},
                          Cl=base.electrolytes.Cl)  # fmt: skip
    if target == _preset_plasma(base):
        ivs: tuple[Intervention, ...] = base.interventions  # the preset's plasma as it is
    elif target == base.electrolytes:
        ivs = others
    else:
        over_s = own[0].over_s if own else PLASMA_CHANGE_S
        ivs = (interventions.change_electrolytes(0.0, over_s, target), *others)
    if settings.treatment != NO_TREATMENT:
        ivs = (*ivs, _TREATMENTS[settings.treatment](settings.treatment_at_s))
    return base.replace(
        name=f"{settings.preset} (explorer)",
        n_units=N_UNITS,
        duration_s=settings.duration_s,
        seed=settings.seed,
        irritation=settings.irritation,
        fatigue=settings.fatigue,
        length=None if settings.length_l0 == 1.0 else hold_length(settings.length_l0),
        interventions=ivs,
    )


def _treatment_text(kind: str) -> str:
    """A treatment with its parameters, as the page lists it: "stretch (to_l0 1.4,
    ramp_s 1)"."""
    iv = _TREATMENTS[kind](0.0)
    parts = [f"{f.name} {getattr(iv, f.name):g}" for f in dataclasses.fields(iv)
             if f.name != "at_s" and isinstance(getattr(iv, f.name), float)]  # fmt: skip
    return f"{kind.replace('_', ' ')} ({', '.join(parts)})" if parts else kind


def config() -> dict[str, Any]:
    """What the page needs to build its controls: presets (with descriptions and their
    settings), sliders, treatments, run lengths, colours and the run size."""
    described = describe_scenarios()
    presets = {
        name: {"description": described[name],
               "settings": dataclasses.asdict(Settings.from_preset(name))}
        for name in PRESETS
    }  # fmt: skip
    sliders = {
        name: {"min": lo, "max": hi, "step": step, "unit": unit, "label": label,
               "normal": list(REFERENCE_RANGES[_IONS[name]]) if name in _IONS else None}
        for name, (lo, hi, step, unit, label) in SLIDERS.items()
    }  # fmt: skip
    return {
        "version": __version__,
        "n_units": N_UNITS,
        "durations_s": list(DURATIONS_S),
        "presets": presets,
        "sliders": sliders,
        "treatments": {NO_TREATMENT: "none", **{k: _treatment_text(k) for k in _TREATMENTS}},
        "default_columns": list(DEFAULT_COLUMNS),
        "colours": {"palette": OKABE_ITO, "classes": CLASS_COLOURS},
    }


def _decimate(n: int) -> int:
    return max(1, math.ceil(n / _MAX_POINTS))


def run(settings: Settings) -> dict[str, Any]:
    """Run one column and return what the page draws, as JSON-ready values.

    Parameters
    ----------
    settings : Settings
        The column's controls.

    Returns
    -------
    dict
        ``label`` and ``reasons`` (:func:`musclesim.classify_with_reasons`), ``summary``
        (:func:`musclesim.analysis.summary_rows`), ``metric_lines`` (as ``musclesim run``
        prints them), ``time_s`` and ``force_pct`` (thinned to at most ~2500 points),
        ``spikes_s`` (per unit, smallest first), ``trigger_s`` (the trigger window or
        None), ``interventions`` (kind and start) and ``simulate_s`` (the time
        ``simulate`` took, s). The scenario file is :func:`scenario_toml` (not built
        here: it takes a third as long as the metrics, and is rarely looked at).
    """
    sc = explorer_scenario(settings)
    t0 = time.perf_counter()
    res = simulate(sc, progress=False)
    simulate_s = time.perf_counter() - t0
    label, reasons = classify_with_reasons(res)
    k = _decimate(res.time.size)
    trig = trigger_window(sc)
    treatments = [{"kind": iv.kind, "at_s": iv.at_s} for iv in sc.interventions
                  if not isinstance(iv, ChangeElectrolytes)]  # fmt: skip
    return {
        "settings": dataclasses.asdict(settings),
        "scenario": sc.name,
        "n_units": sc.n_units,
        "duration_s": sc.duration_s,
        "label": label,
        "reasons": reasons,
        "summary": [list(row) for row in summary_rows(res)],
        "metric_lines": metric_lines(res.metrics()),
        "time_s": np.round(res.time[::k], 4).tolist(),
        "force_pct": np.round(100.0 * res.force[::k], 3).tolist(),
        "spikes_s": [np.round(s, 4).tolist() for s in res.spike_times],
        "trigger_s": None if trig is None else [trig[0], min(trig[1], sc.duration_s)],
        "interventions": treatments,
        "simulate_s": simulate_s,
    }


def scenario_toml(settings: Settings) -> str:
    """The scenario a column runs as a commented scenario file, for ``musclesim run``."""
    return commented_toml(explorer_scenario(settings),
                          f"explorer run of the {settings.preset!r} preset")  # fmt: skip


def page() -> bytes:
    """The explorer's web page (``explorer.html``, shipped with the package)."""
    return resources.files(__package__).joinpath("explorer.html").read_bytes()


class ExplorerServer(ThreadingHTTPServer):
    """The explorer's HTTP server: one page, ``/api/config``, ``/api/run`` (one run) and
    ``/api/scenario`` (its scenario file), the last two with the settings as the query.

    Runs are made one at a time (``run_lock``): the compiled engine already uses every
    core, and a queue of runs would only delay the one the user is waiting for.
    """

    daemon_threads = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.run_lock = threading.Lock()
        self.page = page()
        self.config = json.dumps(config()).encode()

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: ExplorerServer

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: HTTPStatus, value: object) -> None:
        self._send(status, json.dumps(value, allow_nan=False).encode(), "application/json")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.server.page, "text/html; charset=utf-8")
        elif url.path == "/api/config":
            self._send(HTTPStatus.OK, self.server.config, "application/json")
        elif url.path in ("/api/run", "/api/scenario"):
            query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            try:
                settings = Settings.from_query(query)
            except (ValueError, TypeError) as exc:
                self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
                return
            if url.path == "/api/scenario":
                self._json(HTTPStatus.OK, {"scenario_toml": scenario_toml(settings)})
                return
            try:
                with self.server.run_lock:
                    payload = run(settings)
            except Exception as exc:  # a failed run is shown on the page, not lost
                self._json(HTTPStatus.INTERNAL_SERVER_ERROR,
                           {"error": f"{type(exc).__name__}: {exc}"})  # fmt: skip
                return
            self._json(HTTPStatus.OK, _finite(payload))
        elif url.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no page {url.path!r}"})

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: one line per slider move would bury the address in the terminal."""


def _finite(value: Any) -> Any:
    """JSON has no NaN: metrics that do not apply (NaN) become None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def make_server(port: int = 0, host: str = "127.0.0.1") -> ExplorerServer:
    """An explorer server bound to ``host:port`` (port 0: any free port), not yet serving.

    Call ``serve_forever()`` on it (``musclesim explore`` does) and ``server_close()``
    after. The model is loaded (one short warm-up run) before it returns, so the first
    page request does not wait for it.

    Raises
    ------
    ValueError
        For a port outside 0–65535.
    OSError
        If the port is in use or not allowed.
    """
    p = check_int("port", port, 0, 65535, "TCP port; 0 for any free port")
    server = ExplorerServer((host, p))
    # Each column's first run loads compiled code from numba's cache (0.2-0.5 s): do it now.
    for name in DEFAULT_COLUMNS:
        simulate(explorer_scenario(Settings.from_preset(name)), progress=False)
    return server
