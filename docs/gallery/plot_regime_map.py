"""
Regime map: calcium, magnesium and tetany
=========================================

:func:`musclesim.sweep` runs a grid of scenarios and classifies each run;
:func:`musclesim.plot.regime_map` draws the classes. A resting muscle is swept over
ionised Ca and Mg: low Ca brings on tetany, and more Mg holds it off (both divalent ions screen
the membrane's surface charge, so less of either shifts the axon's channels towards
firing; :func:`musclesim.electrolytes.gating_shift_mV`). Each cell is one 3-s
run of 20 units with one noise seed, so cells near the border can fall either way; sweep
``seed=range(5)`` as well to see how often.
"""

import matplotlib.pyplot as plt

import musclesim as ms

base = ms.scenario("rest").replace(n_units=20, duration_s=3.0)
table = ms.sweep(
    base,
    max_workers=1,
    progress=False,
    **{
        "electrolytes.Ca": [0.7, 0.8, 0.9, 1.0, 1.1, 1.2],
        "electrolytes.Mg": [0.3, 0.5, 0.7, 0.9],
    },
)
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
ms.plot.regime_map(table, x="electrolytes.Ca", y="electrolytes.Mg", ax=ax)
print(table[["electrolytes.Ca", "electrolytes.Mg", "class"]].to_string(index=False))
plt.show()
