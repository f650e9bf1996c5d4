"""
Spasm and cramp, side by side
=============================

The comparison the library is about, drawn by :func:`musclesim.plot.compare`. Left: a
spasm, ectopic grouped discharges of irritated motor axons, lasting as long as the
irritation. Right: a cramp, a discharge of the motor-neuron pool that a modest voluntary
contraction (shaded) sets off in a fatigued, shortened calf; it grows past the trigger and
ends by itself. Rows follow the chain of cause: drive, spikes, calcium, force, EMG.
"""

import matplotlib.pyplot as plt

import musclesim as ms

spasm = ms.simulate(ms.scenario("spasm").replace(n_units=20))
cramp = ms.simulate(ms.scenario("cramp").replace(n_units=20, duration_s=50.0))
fig = ms.plot.compare([spasm, cramp])
for res in (spasm, cramp):
    m = res.metrics()
    print(
        f"{res.scenario.name}: {ms.classify(res)}, involuntary peak "
        f"{100 * m.involuntary_peak_force:.0f} % of maximal, ended by: {m.ended_by}"
    )
plt.show()
