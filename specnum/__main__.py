"""``python -m specnum`` runs the command line."""

import sys

from specnum.experiments.cli import main

sys.exit(main())
