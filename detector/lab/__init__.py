"""The lab: labelled synthetic registries, training, held-out evaluation and their metrics.

Nothing on the runtime path (screening, studies, the web workbench, reports) imports this package;
it makes the data and the model files (``models/scorer.json``, ``models/thresholds.json``) they use.

- :mod:`.synth`: the seeded generator of labelled registries (``detector generate``);
- :mod:`.train`: fit the pair scorer and choose thresholds (``detector train``);
- :mod:`.evaluate`: figures on held-out generated data (``detector evaluate``);
- :mod:`.metrics`: pairwise and B-cubed precision / recall / F1.
"""
