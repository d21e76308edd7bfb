"""`python -m ecom_analytics.cli`: the `ecom-analytics` command without its installed script
(the demo's services and the benchmark's runs per size start it this way)."""

import sys

from ecom_analytics.cli import main

sys.exit(main())
