"""TEMPORARY shim, to be removed: re-exports the public names of ``io_lots`` (lots CSV /
Excel) and ``io_config`` (config YAML / JSON) for modules that still import
``scheduler_core.filling.io``. New code imports from those two modules; the file size limit
is ``scheduler_core.tabular.MAX_FILE_BYTES``. Patching a constant here has no effect.
"""

from __future__ import annotations

from scheduler_core.filling.io_config import CONFIG_KEYS, MAX_CONFIG_BYTES, config_from_mapping, parse_config
from scheduler_core.filling.io_lots import MAX_LOTS, MAX_VIALS, check_lots_fit, parse_lots

__all__ = [
    "CONFIG_KEYS",
    "MAX_CONFIG_BYTES",
    "MAX_LOTS",
    "MAX_VIALS",
    "check_lots_fit",
    "config_from_mapping",
    "parse_config",
    "parse_lots",
]
