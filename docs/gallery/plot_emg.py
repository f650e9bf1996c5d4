"""
Surface EMG of a contraction, a spasm and a cramp
=================================================

The synthetic surface EMG (``Result.emg``, mV) is what a clinician's electrode would
record: the sum of the motor-unit action potentials of every muscle action potential. The
thick line is its RMS envelope over 100 ms (:func:`musclesim.emg.rms_envelope`). The
voluntary contraction and the cramp give a continuous interference pattern of many units;
the spasm's few irritated axons fire in groups (myokymia-like), and the EMG comes in
recurring bursts.
"""

import matplotlib.pyplot as plt

import musclesim as ms
from musclesim.emg import rms_envelope

runs = [
    ms.scenario("normal").replace(n_units=20),
    ms.scenario("spasm").replace(n_units=20, duration_s=6.0),
    ms.scenario("cramp").replace(n_units=20, duration_s=12.0),
]
fig, axes = plt.subplots(len(runs), 1, figsize=(10, 7), sharey=True, layout="constrained")
for ax, sc in zip(axes, runs, strict=True):
    res = ms.simulate(sc)
    ax.plot(res.emg_time, res.emg, lw=0.4, color=ms.plot.LINE_COLOURS[0])
    ax.plot(res.emg_time, rms_envelope(res.emg), lw=2, color=ms.plot.LINE_COLOURS[1])
    ax.set_title(sc.name)
    ax.set_ylabel("EMG, mV")
    m = res.metrics()
    print(f"{sc.name:7s} EMG RMS {m.emg_rms_mV:.3f} mV, median frequency {m.emg_median_hz:.0f} Hz")
axes[-1].set_xlabel("time, s")
plt.show()
