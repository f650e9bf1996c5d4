"""The kernel's threads (issue 21 item 4): a pool split over threads follows exactly the
trajectory of one thread, and a forked process can still run one."""

from __future__ import annotations

import multiprocessing
import os

import numba
import numpy as np
import pytest

import musclesim as ms
from musclesim.engine import fixed

POOL = ms.Scenario(name="threads", n_units=2 * fixed.PARALLEL_MIN_UNITS, duration_s=0.3,
                   drive=ms.protocols.current_step(4.0, 0.02, 0.3))  # fmt: skip


def _run_on(threads: int) -> ms.Result:
    before = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        return ms.simulate(POOL, progress=False)
    finally:
        numba.set_num_threads(before)


@pytest.mark.skipif(
    numba.config.NUMBA_NUM_THREADS < 2 or not fixed.TEAM_THREADS, reason="needs 2 threads"
)
def test_two_threads_give_the_one_thread_trajectory_bit_for_bit():
    # The units of a stretch are independent and every pool quantity is summed by one
    # thread in unit order, so the split cannot change a single bit.
    one, two = _run_on(1), _run_on(2)
    assert sum(s.size for s in one.spike_times) > 0
    np.testing.assert_array_equal(one.force, two.force)
    np.testing.assert_array_equal(one.voltage, two.voltage)
    for a, b in zip(one.spike_times, two.spike_times, strict=True):
        np.testing.assert_array_equal(a, b)


def _child(queue: multiprocessing.Queue) -> None:
    queue.put(float(ms.simulate(POOL, progress=False).force.max()))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_child_runs_a_pool_after_the_parent_used_its_threads():
    # The parent's worker threads do not exist in a forked child; the child must start
    # its own rather than wait for them.
    parent = float(_run_on(numba.config.NUMBA_NUM_THREADS).force.max())
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue,))
    proc.start()
    proc.join(60)
    alive = proc.is_alive()
    if alive:
        proc.kill()
    assert not alive, "the forked child hung"
    assert queue.get(timeout=5) == parent
