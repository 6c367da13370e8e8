"""``python -m handlers run | migrate | demo``: the same as the ``boardbot`` command."""

import sys

from handlers.cli import main

sys.exit(main())
