"""
Twitch, unfused and fused tetanus
=================================

One supramaximal nerve pulse gives a twitch; at 10 Hz the twitches summate but do not fuse
(the force ripples); at 50 Hz calcium stays high between pulses and the force fuses into a
tetanus several times the twitch. The calcium trace (right) shows why.
"""

import matplotlib.pyplot as plt

import musclesim as ms

fig, (ax_f, ax_ca) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
for name in ("twitch", "unfused", "tetanus"):
    res = ms.simulate(ms.scenario(name).replace(n_units=20, duration_s=1.6))
    ms.plot.force(res, ax=ax_f, label=name)
    ms.plot.calcium(res, ax=ax_ca, label=name)
    print(f"{name:8s} peak force {100 * res.metrics().peak_force:5.1f} % of maximal")
ax_f.legend()
ax_ca.legend()
plt.show()
