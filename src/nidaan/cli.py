"""The `nidaan` command: Django's management commands, with the role's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    role = os.environ.get("NIDAAN_ROLE", "node")
    if role not in ("node", "hub"):
        print(f"NIDAAN_ROLE must be 'node' or 'hub', not {role!r}", file=sys.stderr)
        raise SystemExit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"nidaan.settings.{role}")
    from django.core.management import execute_from_command_line

    from nidaan.keys import KeyUnavailable

    try:
        execute_from_command_line(["nidaan", *sys.argv[1:]])
    except KeyUnavailable as error:
        # The records cannot be unlocked: say why and what to do, not a traceback.
        print(f"Nidaan cannot unlock the patient records: {error}", file=sys.stderr)
        raise SystemExit(3) from None


if __name__ == "__main__":
    main()
