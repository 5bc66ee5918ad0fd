"""Wait until a URL answers 200, then exit 0 (exit 1 after --timeout seconds).

    python scripts/when-up.py http://127.0.0.1:8000/healthz [--timeout 600]

`make demo` runs the extractor's compilation after it, in the background, so
the build never delays the first start.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(args.url, timeout=2) as response:
                if response.status == 200:
                    return 0
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(1)
    return 1


if __name__ == "__main__":
    sys.exit(main())
