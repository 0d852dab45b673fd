"""The ``optimise`` strategy of the shop: heuristics (``heuristics``), the CP-SAT model
(``cpsat``), a local search over order rankings (``search``), all in the solver's time
coordinates (``coords``); ``portfolio.plan_optimise`` runs them and keeps the best plan."""
