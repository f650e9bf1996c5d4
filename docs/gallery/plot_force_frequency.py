"""
Force–frequency relation
========================

The whole nerve is stimulated with trains of supramaximal pulses at rising rates. Force
grows steeply between about 5 and 30 Hz, where successive calcium transients begin to
summate, and saturates once the tetanus is fused.
"""

import matplotlib.pyplot as plt
import numpy as np

import musclesim as ms

rates_hz = [2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 50.0, 80.0]
fig, (ax_t, ax_ff) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plateau = []
for rate in rates_hz:
    sc = ms.Scenario(
        name=f"{rate:g} Hz",
        n_units=20,
        duration_s=1.2,
        stimulus=ms.protocols.train(rate, start_s=0.1, duration_s=1.0),
    )
    res = ms.simulate(sc)
    late = (res.time > 0.7) & (res.time < 1.1)
    plateau.append(res.force[late].mean())
    if rate in (5.0, 15.0, 50.0):
        ms.plot.force(res, ax=ax_t, label=sc.name)
ax_t.legend()
ax_ff.plot(rates_hz, 100 * np.array(plateau), "o-", color=ms.plot.LINE_COLOURS[0])
ax_ff.set_xscale("log")
ax_ff.set_xlabel("stimulation rate, Hz")
ax_ff.set_ylabel("mean force 0.6–1.0 s into the train, % of max")
ax_ff.set_title("force–frequency")
plt.show()
