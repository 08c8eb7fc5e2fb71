"""Run the command line: ``python -m ikueval``."""

import sys

from .cli import main

sys.exit(main())
