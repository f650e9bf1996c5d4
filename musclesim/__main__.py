"""``python -m musclesim``: the same command-line interface as the ``musclesim`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
