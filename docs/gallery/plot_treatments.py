"""
Treating a cramp
================

The cramp preset three ways: left alone, with a gentle stretch back to 1.1 optimal lengths
3 s after the trigger, and with electrical stimulation of the Achilles tendon (Ib afferents,
transient autogenic inhibition). The dotted lines mark when each treatment starts.
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
        interventions=(ms.interventions.tendon_stimulation(at_s=treat_at_s),),
    ),
]
results = [ms.simulate(sc) for sc in runs]
fig = ms.plot.compare(results)
for res in results:
    late = res.time > treat_at_s + 3.0
    print(
        f"{res.scenario.name:18s} active force from 3 s after the treatment: "
        f"{100 * res.active_force[late].mean():.0f} % of maximal"
    )
plt.show()
