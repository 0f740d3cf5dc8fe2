"""`python -m bench [--size smoke|full] [--out PATH] [--scale] [--only SECTION ...]`."""

from bench.cli import main

raise SystemExit(main())
