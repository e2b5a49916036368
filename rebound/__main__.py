import sys

from rebound.cli import main

sys.exit(main())
