"""The ``xinyong`` operator command: Django's management commands under one name.

``xinyong audit verify``, ``xinyong demo_city --seed 7 --organizations 1000``,
``xinyong code_defects``, ``xinyong migrate``… are all management commands.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xinyong", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
