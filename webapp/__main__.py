"""``python -m webapp``: the app's command line (see :mod:`webapp.cli`)."""

import sys

from webapp.cli import main

sys.exit(main())
