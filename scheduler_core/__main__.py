"""``python -m scheduler_core``: run the command line (``scheduler_core.cli.main``)."""

import sys

from scheduler_core.cli import main

sys.exit(main())
