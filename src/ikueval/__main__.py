"""Run the command line: ``python -m ikueval``."""

import sys

from ._cli import main

sys.exit(main())
