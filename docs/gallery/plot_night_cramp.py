"""
A night cramp with nothing to set it off
========================================

The ``night_cramp`` preset three ways. Left: the calf as in bed, foot pointed (0.85 optimal
lengths), a day's residual fatigue, and a few hyperexcitable motor axons that fasciculate
(single, irregular discharges, the peripheral spark of Layzer 1994). No voluntary movement:
the fasciculations' twitches feed the shortened, fatigued calf's spinal loop until it
ignites, and the cramp builds, peaks and ends by itself. Middle: the same fasciculations in
a rested calf stay fasciculations. Right: the leg straight (1.0 L0), where the tendon organs
are taut: the pool fires on weakly, at about 2 Hz and at most a quarter of the force, with no sharp
ignition. The preset's irritation is calibrated so that a cramp
starts within a minute (``presets.NIGHT_CRAMP_IRRITATION``); the real cause of night
cramps is unknown.
"""

import matplotlib.pyplot as plt

import musclesim as ms

night = ms.scenario("night_cramp").replace(duration_s=45.0)  # the preset's 100 units
runs = [
    night.replace(name="night cramp (0.85 L0)"),
    night.replace(name="rested calf", fatigue=0.0),
    night.replace(name="leg straight (1.0 L0)", length=ms.protocols.hold_length(1.0)),
]
results = [ms.simulate(sc) for sc in runs]
fig = ms.plot.compare(results)
for res in results:
    episode = ms.classification.measure_involuntary(res).episode
    where = (
        f"strongest episode {episode.start_s:.1f}-{episode.end_s:.1f} s, "
        f"peak {100 * episode.peak_force:.0f} % of maximal"
        if episode is not None
        else "no episode reaching 10 % of maximal"
    )
    print(f"{res.scenario.name:22s} {ms.classify(res):12s} {where}")
plt.show()
