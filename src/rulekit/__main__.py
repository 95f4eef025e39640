"""`python -m rulekit` works like `rulekit`."""

import sys

from .cli import main

sys.exit(main())
