#!/usr/bin/env python3
"""Runs a command, prints its wall time and peak memory (resident set), and fails when the
peak passes LIMIT_MB. The command's own exit status is printed, not enforced.

Usage: python3 scripts/peak_rss.py LIMIT_MB COMMAND [ARG...]
"""
import resource
import subprocess
import sys
import time

limit_mb = float(sys.argv[1])
t0 = time.monotonic()
status = subprocess.run(sys.argv[2:]).returncode
seconds = time.monotonic() - t0
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
print(f"{sys.argv[2].split('/')[-1]} {sys.argv[3] if len(sys.argv) > 3 else ''}: "
      f"{seconds:.1f} s, peak {peak_mb:.0f} MB (bound {limit_mb:.0f} MB), exit {status}")
if peak_mb > limit_mb:
    sys.exit(f"peak memory {peak_mb:.0f} MB is over the bound of {limit_mb:.0f} MB")
