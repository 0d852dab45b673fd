"""Shop workbook input and output: ``read_workbook`` (``read.py``: normalised workbook or one
flat sheet/CSV, read through ``scheduler_core.tabular``) and ``write_workbook`` (``write.py``:
the normalised workbook ``read_workbook`` reads back). Column names and the shop's own cell
converters are in ``columns.py``."""

from scheduler_core.shop.io.read import read_workbook
from scheduler_core.shop.io.write import write_workbook

__all__ = ["read_workbook", "write_workbook"]
