"""Names and one-line descriptions of the filling strategies (the users' vocabulary).

Kept free of imports so that input validation can check a strategy name cheaply; the
functions behind the names are wired up in ``planner``.
"""

STRATEGIES: dict[str, str] = {
    "best": (
        "Default. Runs every constructive strategy, then improves the best plan with local "
        "search and CP-SAT (whole model and neighbourhoods) until it meets the lower bound, "
        "finds nothing better for a fifth of the time limit, or reaches the time limit; "
        "reports the bound and whether optimality is proven."
    ),
    "milp-opt": (
        "Exact CP-SAT assignment model of lots to blocks: optimal with proof, or the best "
        "plan found in the time limit with its remaining gap."
    ),
    "smart-pack": (
        "Packs each lot type on its own (first-fit decreasing), then merges the emptiest "
        "blocks across types when that shortens the plan."
    ),
    "hybrid-pack": (
        "Largest lot first into the block where it adds the least changeover time and "
        "leaves the least idle window (best fit, type-aware)."
    ),
    "lpt-pack": "Longest fill first, each lot into the first block with room (first-fit decreasing).",
    "spt-pack": "Shortest fill first, each lot into the first block with room.",
    "cfs-pack": (
        "Changeover-first sequencing: one campaign per lot type (largest type first), lots "
        "run back to back, a new block opened whenever the window is full."
    ),
    "as-given": (
        "Keeps the order of the uploaded file exactly; only starts a new block (with its "
        "clean) when the next lot no longer fits the window."
    ),
}

#: The strategy a config uses unless it names another.
DEFAULT_STRATEGY = "best"
