"""Parameter sweeps: many scenarios, run in parallel, summarised as one table.

:func:`sweep` runs the cartesian product of scenario field values (or a given list of
scenarios) and returns one row per run: the inputs that were swept, every metric of
:meth:`musclesim.Result.metrics`, the class from :func:`musclesim.classify`, the seed and
the musclesim version. :func:`musclesim.plot.regime_map` draws two swept inputs against
each other, each cell coloured by its class.

Runs go to local processes by default (one per core), or to any
:class:`concurrent.futures.Executor` given, such as the executor of a Dask
``distributed.Client`` (``client.get_executor()``), so the same call spreads a large sweep
over a cluster. A run's numbers depend only on its scenario (the seed is a scenario
field), never on the executor, the number of workers or the order runs finish in.

Each run in a worker uses one numba thread: the parallelism of a sweep is across runs, and
one thread per run keeps ``n`` workers on ``n`` cores instead of ``n`` × ``n`` threads
competing for them. Runs done in this process (``max_workers=1``, or a single run) use the
default thread count.

The default pool starts its workers once per sweep and keeps them for every run: each
worker is forked from a fork server that has imported musclesim, loads the compiled kernel
once in its initializer, and then takes chunks of runs (a few tasks per worker) rather
than one task per run. A caller's executor gets one run per task.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

import numpy as np

from .classification import classify
from .presets import scenario as preset
from .progress import run_bar, wanted
from .scenarios import VERSION_KEY, Scenario
from .simulation import simulate

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Columns every sweep table has after the input columns, besides the metrics.
CLASS_COLUMN = "class"
SEED_COLUMN = "seed"
VERSION_COLUMN = "musclesim_version"

#: Tasks per worker the default pool aims at (:func:`_chunk_size`). Teaching choice: four
#: leaves at most a quarter of a worker's share idle at the end, with few round trips.
CHUNKS_PER_WORKER = 4
#: Most runs in one task of the default pool. Teaching choice: small enough that the
#: progress bar, which counts finished tasks' runs, still moves during a short sweep.
MAX_CHUNK = 8
#: Simulated time of the run each worker of the default pool does at start, s: long
#: enough to run every part of a simulation once, short enough to cost ~10 ms.
WARM_UP_S = 0.05


class _Changes(dict):
    """Field changes to apply to one (nested) dataclass: name → value or _Changes."""


# --- field paths ----------------------------------------------------------------------
def _field_names(obj: object) -> list[str]:
    return [f.name for f in dataclasses.fields(obj)]  # type: ignore[arg-type]


def _parse_path(key: str, base: Scenario) -> tuple[str, ...]:
    """Split ``"electrolytes.Mg"`` (or ``"electrolytes__Mg"``) and check every part."""
    parts = tuple(key.replace("__", ".").split("."))
    obj: object = base
    where = "Scenario"
    for k, part in enumerate(parts):
        if obj is None:
            raise ValueError(
                f"cannot sweep {key!r}: the scenario's {'.'.join(parts[:k])} is None; give "
                f"the base scenario a {parts[k - 1]} first (e.g. base.replace("
                f"{parts[k - 1]}=...))"
            )
        if not dataclasses.is_dataclass(obj):
            raise TypeError(
                f"cannot sweep {key!r}: {'.'.join(parts[:k])} is a "
                f"{type(obj).__name__}, which has no fields"
            )
        names = _field_names(obj)
        if part not in names:
            raise TypeError(
                f"sweep: {where} has no field {part!r} (in {key!r}); valid fields: "
                f"{', '.join(names)}"
            )
        obj = getattr(obj, part)
        where = f"{where}.{part}" if k else part
    return parts


def _check_values(key: str, values: object) -> list[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise TypeError(
            f"{key} must be a list of values to sweep; got {values!r} "
            f"({type(values).__name__}). For one fixed value give [{values!r}] or change "
            f"the base scenario"
        )
    out = [v.item() if isinstance(v, np.generic) else v for v in values]
    if not out:
        raise ValueError(f"{key}: no values to sweep (got an empty sequence)")
    return out


def _apply(obj: Any, changes: _Changes) -> Any:
    """``obj`` with ``changes`` applied, nested dataclasses rebuilt (and so validated)."""
    kwargs = {
        name: _apply(getattr(obj, name), v) if isinstance(v, _Changes) else v
        for name, v in changes.items()
    }
    return (
        obj.replace(**kwargs) if isinstance(obj, Scenario) else dataclasses.replace(obj, **kwargs)
    )


def _changes_for(paths: Sequence[tuple[str, ...]], values: Sequence[Any]) -> _Changes:
    tree = _Changes()
    for path, value in zip(paths, values, strict=True):
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, _Changes())
        node[path[-1]] = value
    return tree


def _check_overlap(keys: Sequence[str], paths: Sequence[tuple[str, ...]]) -> None:
    for i, a in enumerate(paths):
        for j, b in enumerate(paths):
            if i != j and len(a) <= len(b) and b[: len(a)] == a:
                if len(a) == len(b):
                    raise ValueError(f"{keys[i]!r} and {keys[j]!r} name the same field")
                raise ValueError(
                    f"{keys[i]!r} and {keys[j]!r} overlap: sweep either the whole "
                    f"{'.'.join(a)} or its fields, not both"
                )


# --- building the runs ----------------------------------------------------------------
def sweep_scenarios(
    base: Scenario | str | None = None,
    *,
    scenarios: Sequence[Scenario] | None = None,
    **fields: Iterable[Any],
) -> tuple[list[Scenario], list[str]]:
    """The scenarios :func:`sweep` would run, and the names of the swept fields.

    Same arguments as :func:`sweep`; nothing is simulated. Use it to count or inspect a
    sweep before running it.

    Returns
    -------
    scenarios : list of Scenario
        In run order: the given scenarios (or the base) outermost, then the fields in the
        order given, the last varying fastest.
    swept : list of str
        The swept fields, dotted for nested fields (``"electrolytes.Mg"``).
    """
    if (base is None) == (scenarios is None):
        raise ValueError("give sweep either a base scenario or scenarios=[...], not both")
    if base is not None:
        if isinstance(base, str):
            base = preset(base)
        if not isinstance(base, Scenario):
            raise TypeError(f"base must be a Scenario or a preset name; got {type(base).__name__}")
        bases = [base]
    else:
        if (
            isinstance(scenarios, Scenario)
            or not isinstance(scenarios, Sequence)
            or isinstance(scenarios, str)
        ):
            raise TypeError(
                f"scenarios must be a list of Scenario; got {type(scenarios).__name__}"
            )
        if not scenarios:
            raise ValueError("scenarios is empty; give sweep at least one Scenario")
        for k, sc in enumerate(scenarios):
            if not isinstance(sc, Scenario):
                raise TypeError(f"scenarios[{k}] must be a Scenario; got {type(sc).__name__}")
        bases = list(scenarios)
    keys = list(fields)
    paths = [_parse_path(key, bases[0]) for key in keys]
    _check_overlap(keys, paths)
    grids = [_check_values(key, fields[key]) for key in keys]
    combos = list(itertools.product(*grids))
    out: list[Scenario] = []
    for b in bases:
        for k, path in enumerate(paths):
            if len(path) > 1:  # a later base may lack a nested protocol the first had
                _parse_path(keys[k], b)
        out.extend(_apply(b, _changes_for(paths, combo)) if paths else b for combo in combos)
    return out, [".".join(p) for p in paths]


# --- the table ------------------------------------------------------------------------
def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            flat.update(_flatten(v, key + "."))
        elif isinstance(v, list):
            flat[key] = json.dumps(v, ensure_ascii=False)  # interventions: one text cell
        else:
            flat[key] = v
    return flat


def _input_columns(
    scenarios: Sequence[Scenario], swept: Sequence[str], metric_names: Iterable[str]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Swept inputs first, then any other scenario value that varies between runs."""
    flats = []
    for sc in scenarios:
        d = sc.to_dict()
        d.pop(VERSION_KEY, None)
        flats.append(_flatten(d))
    keys: list[str] = []
    for f in flats:
        keys.extend(k for k in f if k not in keys)
    wanted: list[str] = []
    for name in swept:  # a swept nested object becomes its varying (or all) leaves
        leaves = [k for k in keys if k == name or k.startswith(name + ".")]
        varying = [k for k in leaves if len({repr(f.get(k)) for f in flats}) > 1]
        wanted.extend(k for k in (varying or leaves) if k not in wanted and k != SEED_COLUMN)
    wanted.extend(
        k for k in keys
        if k not in wanted and k != SEED_COLUMN and len({repr(f.get(k)) for f in flats}) > 1
    )  # fmt: skip
    metric_names = set(metric_names)
    rows = []
    for f in flats:
        row = {}
        for k in wanted:
            # The metric duration_s (time force is above threshold) shares its name with
            # the Scenario field: the input then takes a "scenario." prefix.
            col = f"scenario.{k}" if k in metric_names else k
            row[col] = f.get(k)
        rows.append(row)
    cols = [f"scenario.{k}" if k in metric_names else k for k in wanted]
    return cols, rows


# --- running --------------------------------------------------------------------------
def _run_one(sc: Scenario, numba_threads: int | None) -> dict[str, Any]:
    """Simulate one scenario and return its summary row (metrics, class, version)."""
    previous = None
    if numba_threads is not None:
        import numba

        # numba's thread count is per calling thread: this changes only the worker's own.
        previous = numba.get_num_threads()
        # NUMBA_NUM_THREADS is set when numba.config reads the environment, unseen by mypy
        max_threads = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]
        numba.set_num_threads(min(numba_threads, max_threads))
    try:
        res = simulate(sc, progress=False)  # the sweep's own bar counts runs
        row: dict[str, Any] = dict(res.metrics().as_dict())
        row[CLASS_COLUMN] = classify(res)
        row[SEED_COLUMN] = sc.seed
        row[VERSION_COLUMN] = res.version
    finally:
        if previous is not None:
            import numba

            numba.set_num_threads(previous)
    return row


def _run_chunk(scenarios: Sequence[Scenario], numba_threads: int | None) -> list[dict[str, Any]]:
    """:func:`_run_one` for each scenario of a chunk, in order: one task, one reply."""
    return [_run_one(sc, numba_threads) for sc in scenarios]


def _chunk_size(n_runs: int, n_workers: int) -> int:
    """Runs per task of the default pool: about CHUNKS_PER_WORKER tasks per worker, so
    that a task's round trip (pickling the scenarios and the rows, waking the worker) is
    paid per chunk, while the last chunks stay small enough to keep every worker busy to
    the end; at most MAX_CHUNK runs, so that the bar still moves."""
    return max(1, min(MAX_CHUNK, n_runs // (CHUNKS_PER_WORKER * n_workers)))


def _chunks(runs: Sequence[Scenario], size: int) -> list[tuple[int, list[Scenario]]]:
    """``(index of the first run, runs)`` of consecutive chunks of ``size`` runs."""
    return [(k, list(runs[k : k + size])) for k in range(0, len(runs), size)]


def _worker_init() -> None:
    """Start of a worker of the default pool: one numba thread (the parallelism is across
    runs), then one tiny run, so that the worker loads the compiled kernel and imports
    what a run imports on first use while the pool is still starting, not in its first
    task."""
    import numba

    numba.set_num_threads(1)
    _run_one(Scenario(name="warm-up", n_units=1, duration_s=WARM_UP_S), None)


def _local_cores() -> int:
    if hasattr(os, "process_cpu_count"):  # Python ≥ 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1  # pragma: no cover


def _process_pool(n_workers: int) -> ProcessPoolExecutor:
    # Not "fork": threads of this process do not survive a fork, and numba's threading
    # layer, started by numba.get_num_threads, may be GNU OpenMP, which numba documents as
    # not fork-safe; forkserver/spawn start clean.
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        # The fork server imports musclesim once and every worker is forked from it with
        # the package imported (~0.5 s each otherwise, e.g. from a notebook, whose
        # __main__ the server cannot import). Only if it is not running yet: the setting
        # takes effect when the server starts.
        ctx.set_forkserver_preload(["__main__", "musclesim"])
    return ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx, initializer=_worker_init)


def sweep(
    base: Scenario | str | None = None,
    *,
    scenarios: Sequence[Scenario] | None = None,
    executor: Executor | None = None,
    max_workers: int | None = None,
    progress: bool | None = None,
    **fields: Iterable[Any],
) -> pd.DataFrame:
    """Simulate every combination of scenario field values; one table row per run.

    Parameters
    ----------
    base : Scenario or str, optional
        The scenario (or preset name) whose fields are varied. Give ``base`` or
        ``scenarios``, not both.
    scenarios : sequence of Scenario, optional
        Scenarios to run as given (each combined with the swept ``fields``, if any).
    executor : concurrent.futures.Executor, optional
        Where runs go: any executor, e.g. ``client.get_executor()`` of a Dask
        ``distributed.Client`` to spread the sweep over a cluster. It is used, not shut
        down. None (default): a local process pool with one worker per core (at most one
        per run), started with ``forkserver`` (``spawn`` where there is none) and shut down
        at the end; as with any process pool, a script calling this must guard its entry
        point with ``if __name__ == "__main__":``.
    max_workers : int, optional
        Size of the default process pool (ignored when ``executor`` is given). 1 runs
        every simulation in this process, one after another.
    progress : bool or None
        Show runs done out of the total, with the time left (:mod:`musclesim.progress`).
        None (default): only when standard error is a terminal or in a notebook, and only
        once the sweep has taken ~2 s; False silences it, True shows it anywhere.
    **fields : sequence
        Scenario fields and the values each takes, e.g. ``fatigue=[0.0, 0.5, 0.9]``. Nested
        fields by dotted name, passed as a dict (``**{"electrolytes.Mg": [0.3, 0.55]}``),
        or with a double underscore as a keyword (``electrolytes__Mg=[0.3, 0.55]``, the
        scikit-learn convention). A whole nested value can be swept too
        (``electrolytes=[ms.Electrolytes(), ms.Electrolytes(Mg=0.3, Ca=0.9)]``); the table
        then shows the concentrations that differ. Seeds are a field like any other
        (``seed=range(5)`` repeats every point with five noise draws).

    Returns
    -------
    pandas.DataFrame
        One row per run, in run order: the given scenarios (or base) outermost, then the
        fields in the order given, the last varying fastest. Columns:

        - the swept fields (dotted names for nested ones; a swept whole nested value gives
          one column per concentration or parameter that differs), then any other
          scenario value that differs between runs (e.g. ``name`` for a list of presets);
          protocol and intervention lists appear as JSON text. An input named like a
          metric (``duration_s``) is prefixed: ``scenario.duration_s``;
        - every metric of ``Result.metrics().as_dict()`` (see :class:`musclesim.Metrics`);
        - ``class``: ``musclesim.classify(res)``;
        - ``seed`` and ``musclesim_version``: enough, with the base scenario, to
          regenerate any row (a swept ``seed`` appears here, once).

    Raises
    ------
    TypeError
        For an unknown field (the message lists the valid fields), values that are not a
        list (or other iterable), a wrong type of ``base``, ``scenarios`` or ``executor``.
    ValueError
        For an empty list of values, both or neither of ``base`` and ``scenarios``,
        overlapping fields (``electrolytes`` and ``electrolytes.Mg``), or a value outside
        its field's range (raised before anything runs).
    SimulationError
        If a run diverges (the message names its scenario and the time); the runs still
        queued are cancelled.
    RuntimeError
        If the default pool's worker processes cannot start (see ``executor``).

    Examples
    --------
    >>> import musclesim as ms
    >>> table = ms.sweep("cramp", duration_s=[5.0], fatigue=[0.0, 0.5, 0.9],
    ...                  electrolytes__Mg=[0.3, 0.55])  # doctest: +SKIP
    >>> ms.plot.regime_map(table, "electrolytes.Mg", "fatigue")  # doctest: +SKIP
    """
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(
            f"executor must be a concurrent.futures.Executor (e.g. ProcessPoolExecutor, or "
            f"a Dask client's client.get_executor()); got {type(executor).__name__}"
        )
    if max_workers is not None and (
        isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1
    ):
        raise ValueError(f"max_workers = {max_workers!r} must be a whole number ≥ 1")
    show = wanted(progress)  # TypeError for anything but True, False or None
    runs, swept = sweep_scenarios(base, scenarios=scenarios, **fields)

    bar = run_bar(len(runs), show)
    rows: list[dict[str, Any] | None] = [None] * len(runs)
    own_pool = None
    try:
        n_workers = min(max_workers or _local_cores(), len(runs))
        if executor is None and n_workers <= 1:
            for k, sc in enumerate(runs):
                rows[k] = _run_one(sc, None)
                if bar is not None:
                    bar.update(1)
        else:
            if executor is None:
                own_pool = executor = _process_pool(n_workers)
            # A caller's executor (a Dask cluster, of unknown size) gets one run per task,
            # which balances best; the local pool gets chunks (_chunk_size).
            size = 1 if own_pool is None else _chunk_size(len(runs), n_workers)
            futures = {executor.submit(_run_chunk, chunk, 1): (k, len(chunk))
                       for k, chunk in _chunks(runs, size)}  # fmt: skip
            try:
                for fut in as_completed(futures):
                    k, n = futures[fut]
                    rows[k : k + n] = fut.result()
                    if bar is not None:
                        bar.update(n)
            except BaseException as exc:
                for fut in futures:  # one failed run ends the sweep: drop the queued rest
                    fut.cancel()
                if isinstance(exc, BrokenProcessPool) and own_pool is not None:
                    raise RuntimeError(
                        "the sweep's worker processes died on start. A script that calls "
                        "ms.sweep must guard its entry point with "
                        "'if __name__ == \"__main__\":', and code piped to python on stdin "
                        "cannot start workers (run a file, or pass max_workers=1)"
                    ) from exc
                raise
    finally:
        if bar is not None:
            bar.close()
        if own_pool is not None:
            own_pool.shutdown(cancel_futures=True)

    done = [r for r in rows if r is not None]
    metric_names = [k for k in done[0] if k not in (CLASS_COLUMN, SEED_COLUMN, VERSION_COLUMN)]
    in_cols, in_rows = _input_columns(runs, swept, metric_names)
    columns = [*in_cols, *metric_names, CLASS_COLUMN, SEED_COLUMN, VERSION_COLUMN]
    table = [{**a, **b} for a, b in zip(in_rows, done, strict=True)]
    # pandas is imported on first use: it adds ~0.25 s that `import musclesim` need not pay.
    import pandas as pd

    return pd.DataFrame(table, columns=columns)
