"""Shop workbook input and output: ``read_workbook`` (``read.py``: normalised workbook or one
flat sheet/CSV, read through ``scheduler_core.tabular``; raises every problem at once),
``read_shop`` (the same reader keeping the valid part: ``partial.ShopRead`` with what it
skipped and why) and ``write_workbook`` (``write.py``: the normalised workbook
``read_workbook`` reads back). Column names and the shop's own cell converters are in
``columns.py``, one sheet being read (problems and what they spoil) in ``sheet.py``."""

from scheduler_core.shop.io.partial import ShopRead, Skipped
from scheduler_core.shop.io.read import read_shop, read_workbook
from scheduler_core.shop.io.write import write_workbook

__all__ = ["ShopRead", "Skipped", "read_shop", "read_workbook", "write_workbook"]
