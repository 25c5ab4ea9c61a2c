#!/usr/bin/env python3
"""Thin entry point: `python build.py build|serve|check` (same as the `ocop-site` script)."""
import sys

from ocop_site.cli import main

if __name__ == "__main__":
    sys.exit(main())
