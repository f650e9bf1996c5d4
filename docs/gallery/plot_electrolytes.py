"""
Electrolytes: potassium weakens, low calcium excites
====================================================

The same voluntary contraction at three plasma K concentrations (left): raised K
depolarises the muscle fibres, some stop conducting, and force falls — weakness, never a
spasm. Low ionised calcium (right) acts on the motor axons instead: they fire on their
own, in doublets and multiplets — tetany.
"""

import matplotlib.pyplot as plt

import musclesim as ms

fig, (ax_k, ax_ca) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
for name in ("normal", "hypokalaemia", "hyperkalaemia"):
    res = ms.simulate(ms.scenario(name).replace(n_units=20))
    k = res.scenario.electrolytes.K
    ms.plot.force(res, ax=ax_k, label=f"{name} (K {k:g} mmol/L)")
    print(f"{name:14s} peak force {100 * res.metrics().peak_force:5.1f} % of maximal")
ax_k.legend(fontsize="small")
ax_k.set_title("plasma potassium")

tetany = ms.simulate(ms.scenario("tetany").replace(n_units=20))
ms.plot.raster(tetany, ax=ax_ca)
ax_ca.set_title("ionised Ca falls to 0.75 mmol/L: tetany")
print("tetany:", ms.classify(tetany), f"doublets {100 * tetany.metrics().doublet_fraction:.0f} %")
plt.show()
