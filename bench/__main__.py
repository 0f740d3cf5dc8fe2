"""`python -m bench [--size smoke|full] [--out PATH] [--no-scale] [--only SECTION ...]`."""

from bench.cli import main

raise SystemExit(main())
