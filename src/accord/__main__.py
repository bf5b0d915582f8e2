"""The ``accord`` command (console script) and ``python -m accord``.

``accord --version`` is answered here without importing typer or rich; everything else
goes to :func:`accord.cli.main`.
"""

from __future__ import annotations

import sys

from accord import __version__, _malloc


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"accord {__version__}\n")  # as accord.cli's --version prints it
        return
    from accord.cli import main as cli_main

    _malloc.tune()  # models' temporaries reused from the heap, not fresh pages
    cli_main()


if __name__ == "__main__":
    main()
