"""The `nghiquyet` console command: every management job in one place.

`nghiquyet serve`, `nghiquyet load-units`, `nghiquyet demo`, and Django's own
commands (`nghiquyet migrate`, `nghiquyet createsuperuser`…). Hyphenated
names map to the Django command with underscores. `nghiquyet extract` runs
the ingestion pipeline without starting Django. Every other command first
makes the data folder and the secret key when they are missing.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "extract":
        from nghiquyet.ingestion.pipeline.cli import main as extract_main

        return extract_main(argv[2:])
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    # The first run makes the data folder and the secret key; settings only read them.
    from nghiquyet.core.datadir import DataDirError, prepare

    try:
        prepare()
    except DataDirError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
