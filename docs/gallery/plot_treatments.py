"""
Treating a cramp
================

The cramp preset three ways: left alone, with a gentle stretch back to 1.1 optimal lengths
3 s after the trigger, and with a 5-s train of electrical pulses to the Achilles tendon
(its Ib afferents inhibit the motor neurons after each pulse; Khan & Burne 2007 recorded
this inhibition of cramp EMG as transient). The dotted lines mark when each treatment
starts. The printed numbers compare the mean active force during the 5 s after the
treatment starts and from then to the end of the run: the stretch lowers it and keeps it
lower; the tendon stimulation dents it only while its pulses last.
"""

import matplotlib.pyplot as plt

import musclesim as ms

cramp = ms.scenario("cramp").replace(n_units=20, duration_s=20.0)
treat_at_s = 5.5  # the trigger ends at 2.5 s
runs = [
    cramp.replace(name="untreated"),
    cramp.replace(
        name="gentle stretch",
        interventions=(ms.interventions.stretch(at_s=treat_at_s, to_l0=1.1),),
    ),
    cramp.replace(
        name="tendon stimulation",
        interventions=(ms.interventions.tendon_stimulation(at_s=treat_at_s, duration_s=5.0),),
    ),
]
results = [ms.simulate(sc) for sc in runs]
fig = ms.plot.compare(results)
print("mean active force, % of maximal:   during the 5 s after", treat_at_s, "s   after that")
for res in results:
    t, f = res.time, 100 * res.active_force
    during = f[(t >= treat_at_s) & (t < treat_at_s + 5.0)].mean()
    after = f[t >= treat_at_s + 5.0].mean()
    print(f"{res.scenario.name:18s} {during:28.1f} {after:15.1f}")
plt.show()
