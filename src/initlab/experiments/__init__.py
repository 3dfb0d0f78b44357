"""The book's experiments: one module per chapter topic, each built from core calls.

Chapters depend on the core (``initlab``), never on each other: no module here imports
another module of this sub-package.  Each module holds what its chapter computes
(≈ 150–250 lines); generic tools it needs twice belong in the core.  The explorer of a
chapter is a view in ``initlab.widgets.<topic>`` that calls these functions.

=======  ===========================  ===========================================  =====================
Chapter  Notebook                     Module                                       Explorer view
=======  ===========================  ===========================================  =====================
1        ``01_symmetry``              ``initlab.experiments.symmetry``             ``widgets.symmetry``
2        ``02_saddle_point``          ``initlab.experiments.saddle``               ``widgets.saddle``
3        ``03_activation``            ``initlab.experiments.zero_start``           ``widgets.zero_start``
4        ``04_biases``                ``initlab.experiments.biases``               ``widgets.biases``
5        ``05_scale``                 ``initlab.experiments.scale``                ``widgets.scale``
6        ``06_xor``                   ``initlab.experiments.xor``                  ``widgets.xor``
7        ``07_myths``                 ``initlab.experiments.myths``                ``widgets.myths``
8        ``08_zeros``                 ``initlab.experiments.zeros``                ``widgets.zeros``
9        ``09_frameworks``            ``initlab.experiments.frameworks``           ``widgets.frameworks``
10       ``10_isometry``              ``initlab.experiments.isometry``             ``widgets.isometry``
=======  ===========================  ===========================================  =====================

Import a chapter's module explicitly (``from initlab.experiments import saddle``): importing
this package imports none of them.
"""
