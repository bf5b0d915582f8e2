"""The ``accord`` command (console script) and ``python -m accord``.

``accord --version`` is answered here without importing typer or rich, and so is
``accord --help`` when it goes to a pipe or a file (:mod:`accord.fasthelp`, byte for
byte what typer prints); everything else goes to :func:`accord.cli.main`.
"""

from __future__ import annotations

import sys

from accord import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"accord {__version__}\n")  # as accord.cli's --version prints it
        return
    if sys.argv[1:] == ["--help"]:
        from accord.fasthelp import print_help

        if print_help():
            return
    from accord.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
