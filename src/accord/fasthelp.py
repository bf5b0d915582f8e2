"""``accord --help`` without importing typer or rich, byte for byte as typer prints it.

Importing typer and its rich help formatter costs more than the 0.1 s the whole command may
take, so ``accord --help`` is drawn here, to a pipe or file (plain) or a terminal (colour,
or bold and dim only with ``NO_COLOR``), from a listing of the top-level help
(:mod:`accord._help_listing`: the usage line, the app's help, the option and command rows
as plain text, and each text's styled runs as rich writes them) that :func:`write_listing`
extracts from the live typer app through typer's own formatter. The layout follows rich's
(rich 15: ``Padding``, ``Panel`` with the rounded box, ``Table`` column widths, ``Text``
word wrap) for the shapes typer uses; any other case is declined and typer prints the help
as always:

- the environment variables that change typer's or rich's console (``FORCE_COLOR``,
  ``TTY_COMPATIBLE``, ``TERMINAL_WIDTH``...), a dumb terminal, a non-UTF-8 stdout, Windows,
  a program name other than ``accord``, a width too narrow for the simple layout (under 38
  columns for today's listing);
- a listing that is stale: it records a digest of ``cli/__init__.py`` and ``cli/lazy.py``
  (where every top-level help line is written) and typer's and rich's versions.

It lives outside :mod:`accord.cli` because importing that package imports typer.

``tests/test_fasthelp.py`` checks that the listing is current and that this rendering equals
typer's at every width from 40 to 200 (and wider), plain and in colour, and on a real
pseudo-terminal. After editing ``cli/__init__.py``, regenerate it with
``python -m accord.fasthelp``.
"""

from __future__ import annotations

import itertools
import os
import sys
import zlib

TYPE_CHECKING = False  # importing typing (or re, pathlib, hashlib) would double this path's cost
if TYPE_CHECKING:
    from typing import Any, TextIO

    Style = list[str] | None  # SGR parameters with colour and with NO_COLOR, or bare
    Segment = tuple[str, Style]
    Regions = list[list[Any]]  # [end, style, highlighted] per run of a text

__all__ = ["listing_from_app", "print_help", "render", "write_listing"]

HERE = os.path.join(os.path.dirname(__file__), "cli")
LISTING = os.path.join(os.path.dirname(__file__), "_help_listing.py")
SOURCES = ("__init__.py", "lazy.py")  # every line of the top-level help is written here

# Environment variables that change what typer's or rich's console prints (colour, width,
# terminal detection): with any of them set, typer prints the help.
_CONSOLE_ENV = (
    "FORCE_COLOR",
    "PY_COLORS",
    "GITHUB_ACTIONS",
    "_TYPER_FORCE_DISABLE_TERMINAL",
    "TERMINAL_WIDTH",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "DATABRICKS_RUNTIME_VERSION",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
)

# Rounded box, as rich's box.ROUNDED
_TOP_LEFT, _TOP_RIGHT, _BOTTOM_LEFT, _BOTTOM_RIGHT = "╭", "╮", "╰", "╯"
_HORIZONTAL, _VERTICAL = "─", "│"

# A column: (its fixed width or None, how it takes the rest of the table's width: "box" for
# typer's help cell (a rich Columns, which measures as wide as allowed and so is shrunk to
# what the others leave), "ratio" for typer's command description (ratio=10), "" for neither).
if TYPE_CHECKING:
    Column = tuple[int | None, str]


def digest() -> str:
    """A checksum (CRC-32 and size) of the CLI sources the top-level help is written in."""
    parts = []
    for name in SOURCES:
        with open(os.path.join(HERE, name), "rb") as f:
            data = f.read()
        parts.append(f"{name}:{len(data)}:{zlib.crc32(data):08x}")
    return " ".join(parts)


def _dist_version_present(package: str, version: str) -> bool:
    """``package`` of exactly ``version`` is what is importable, checked without importing it."""
    for entry in sys.path:
        if os.path.isdir(os.path.join(entry or ".", package)):
            return os.path.isdir(os.path.join(entry or ".", f"{package}-{version}.dist-info"))
    return False


# --- wrapping (rich.text.Text.wrap with overflow "fold", for single-cell characters) ---


def _words(line: str) -> list[tuple[int, str]]:
    """(start, word) with each word's trailing whitespace (and the line's leading one)."""
    words = []
    i, n = 0, len(line)
    while i < n:
        start = i
        while i < n and line[i].isspace():
            i += 1
        if i == n:
            break
        while i < n and not line[i].isspace():
            i += 1
        while i < n and line[i].isspace():
            i += 1
        words.append((start, line[start:i]))
    return words


def _spans(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) offsets in ``text`` of its lines as rich breaks them at ``width`` cells.

    Each ``\\n`` ends a line; within a line, words (with their trailing whitespace) fill a
    line greedily, a word that fits no line is cut into pieces of ``width``, and whitespace
    running past the width is dropped.
    """
    out: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        cuts: list[int] = []
        used = 0
        for start, word in _words(line):
            length = len(word.rstrip())
            if width - used >= length:
                used += len(word)
            elif length > width:  # fold the word over as many lines as it needs
                pieces = [word[i : i + width] for i in range(0, len(word), width)]
                for piece in pieces[:-1]:
                    if start:
                        cuts.append(start)
                    start += len(piece)
                if start:
                    cuts.append(start)
                used = len(pieces[-1])
            elif used and start:
                cuts.append(start)
                used = len(word)
        bounds = [0, *cuts, len(line)]
        out += [(offset + a, offset + min(b, a + width)) for a, b in itertools.pairwise(bounds)]
        offset += len(line) + 1
    return out


def wrap(text: str, width: int) -> list[str]:
    """Lines of ``text`` broken as rich breaks them at ``width`` cells, unpadded."""
    return [text[a:b] for a, b in _spans(text, width)]


# --- colour: segments as rich writes them ---
# A segment is (text, style) with style None (written bare) or a pair of SGR parameter
# strings: with colour, and with NO_COLOR (bold and dim kept, colours dropped). A painted
# text carries its regions [end, style, highlighted], each what one rich Segment covers
# (a run of the same spans); a justified line's padding joins its last region unless a
# highlight (not the text's own style) covers that region.


def _line(
    text: str, a: int, b: int, regions: Regions | None, base: Style, pad: int
) -> list[Segment]:
    if regions is None:
        return [(text[a:b] + " " * pad, base)]
    out: list[Segment] = []
    start, highlighted = 0, False
    for end, style, highlighted_here in regions:
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            out.append((text[lo:hi], style))
            highlighted = highlighted_here
        start = end
    if pad:
        if out and not highlighted:
            last, style = out[-1]
            out[-1] = (last + " " * pad, style)
        else:
            out.append((" " * pad, base))
    return out


def _cell(
    text: str, regions: Regions | None, base: Style, width: int, justify: bool
) -> list[list[Segment]]:
    """A text's lines at ``width``; ``justify``: padded within the text (justify="left")."""
    lines = []
    for a, b in _spans(text, width):
        pad = width - (b - a)
        segments = _line(text, a, b, regions, base, pad if justify else 0)
        if not justify and pad:
            segments.append((" " * pad, None))  # the caller's fill
        lines.append(segments)
    return lines


def _table(
    columns: list[Column], rows: list[list[str]], width: int, paint: dict[str, Any] | None
) -> list[list[Segment]] | None:
    """A rich ``Table`` as typer builds its panels: no box, no header, padding (0, 1), no
    edge padding, expanded to ``width``; ``None`` for the shapes not handled here."""
    last = len(columns) - 1
    pads = [(0 if i == 0 else 1) + (0 if i == last else 1) for i in range(len(columns))]
    widths: list[int] = []
    for i, (fixed, _) in enumerate(columns):
        if fixed is not None:
            widths.append(fixed + pads[i])
            if any(len(row[i]) > fixed for row in rows):
                return None  # a fixed column would crop
        else:
            longest = max((len(line) for row in rows for line in row[i].split("\n")), default=0)
            widths.append(longest + pads[i] or 1)
    flexible = [i for i, (_, takes) in enumerate(columns) if takes]
    if len(flexible) != 1:
        return None
    (f,) = flexible
    widths[f] = width - sum(w for i, w in enumerate(widths) if i != f)
    if columns[f][1] == "ratio":
        # rich gives a lone ratio column the rest, at least 1 cell plus its padding
        if widths[f] < 1 + pads[f]:
            return None
    else:
        # rich shrinks the widest wrapable column first; while the box column stays the
        # widest, all of the excess comes off it: the only case taken here.
        others = [w for i, w in enumerate(widths) if i != f and columns[i][0] is None]
        if widths[f] - pads[f] < 1 or widths[f] < max(others, default=0):
            return None
    styles: list[Style] = paint["columns"] if paint else [None] * len(columns)
    lines: list[list[Segment]] = []
    for r, row in enumerate(rows):
        cells = []
        for i, text in enumerate(row):
            regions, base = paint["rows"][r][i] if paint else (None, None)
            cells.append(_cell(text, regions, base, widths[i] - pads[i], True))
        for n in range(max(len(c) for c in cells)):
            line: list[Segment] = []
            for i, cell in enumerate(cells):
                if n >= len(cell):
                    line.append((" " * widths[i], styles[i]))
                    continue
                if i:
                    line.append((" ", styles[i]))
                line += cell[n]
                if i != last:
                    line.append((" ", styles[i]))
            lines.append(line)
    return lines


def _panel(title: str, body: list[list[Segment]], width: int, border: Style) -> list[list[Segment]]:
    inner = width - 4
    head = f" {title} "[:inner]
    top = [(_TOP_LEFT + _HORIZONTAL, border), (head, border)]
    if inner > len(head):
        top.append((_HORIZONTAL * (inner - len(head)), border))
    top.append((_HORIZONTAL + _TOP_RIGHT, border))
    out = [top]
    side: Segment = (_VERTICAL, border)
    out += [[side, (" ", None), *line, (" ", None), side] for line in body]
    out.append([(_BOTTOM_LEFT + _HORIZONTAL * (width - 2) + _BOTTOM_RIGHT, border)])
    return out


def _write(lines: list[list[Segment]], colour: int) -> str:
    """The text; ``colour`` 0: none, 1: with colour, 2: NO_COLOR (bold and dim only)."""
    if not colour:
        return "".join(t for line in lines for t, _ in [*line, ("\n", None)])
    out = []
    for line in lines:
        for text, style in line:
            sgr = style[colour - 1] if style else ""
            out.append(f"\x1b[{sgr}m{text}\x1b[0m" if sgr and text else text)
        out.append("\n")
    return "".join(out)


def render(listing: dict[str, Any], width: int, colour: int = 0) -> str | None:
    """The help text, as typer prints it at ``width`` columns, or ``None``.

    ``colour`` 0: not a terminal; 1: a terminal; 2: a terminal with NO_COLOR set.
    """
    if width < 20 or (colour and listing["paint"] is None):
        return None
    paint = listing["paint"] if colour else None
    pad: Style = paint["usage"][1] if paint else None
    lines: list[list[Segment]] = [[(" " * width, pad)]]
    usage_regions = paint["usage"][0] if paint else None
    for segments in _cell(listing["usage"], usage_regions, pad, width - 2, False):
        painted = [(t, pad if s is None else s) for t, s in segments]
        lines.append([(" ", pad), *painted, (" ", pad)])
    lines.append([(" " * width, pad)])
    if listing["help"]:
        for text in listing["help"]:
            block = _cell(text, None, None, width - 2, False)
            lines += [[(" ", None), *segments, (" ", None)] for segments in block]
        lines.append([(" " * width, None)])
    for n, (title, columns, rows) in enumerate(listing["panels"]):
        body = _table([tuple(c) for c in columns], rows, width - 4, paint and paint["panels"][n])
        if body is None:
            return None
        lines += _panel(title, body, width, paint["border"] if paint else None)
    return _write(lines, colour) + "\n"


# --- the fast path ---


def _width(environ: os._Environ[str] | dict[str, str]) -> int:
    """The width rich's console uses (on a terminal that is not a dumb one)."""
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = 0
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def print_help(
    argv: list[str] | None = None,
    environ: os._Environ[str] | dict[str, str] | None = None,
    stdout: TextIO | None = None,
) -> bool:
    """Print ``accord --help`` if this module can print it exactly as typer would.

    ``False`` (nothing printed) when typer must: see the module docstring.
    """
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    stdout = sys.stdout if stdout is None else stdout
    if argv[1:] != ["--help"] or os.path.basename(argv[0]) != "accord":
        return False
    if sys.platform == "win32":
        return False  # rich's Windows console (legacy mode, its colour features) differs
    if any(name in environ for name in _CONSOLE_ENV):
        return False
    try:
        terminal = stdout.isatty()
    except ValueError:
        return False
    colour = 0
    if terminal:
        if environ.get("TERM", "").lower() in ("dumb", "unknown"):
            return False  # rich: no colour, and 80 columns whatever the terminal says
        colour = 2 if environ.get("NO_COLOR", "") != "" else 1
    if not (getattr(stdout, "encoding", None) or "utf-8").lower().startswith("utf"):
        return False
    try:
        from accord._help_listing import LISTING as listing
    except ImportError:
        return False
    if listing["digest"] != digest():
        return False
    if not all(_dist_version_present(p, v) for p, v in listing["versions"].items()):
        return False
    text = render(listing, _width(environ), colour)
    if text is None:
        return False
    try:
        stdout.write(text)
        stdout.flush()
    except BrokenPipeError:  # the reader left (| head): exit 1 quietly, as click does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        raise SystemExit(1) from None
    return True


# --- the listing, extracted from typer's own formatter ---


def _plain(renderable: Any) -> str:
    from rich.columns import Columns
    from rich.text import Text

    if isinstance(renderable, Columns):
        if len(renderable.renderables) != 1:
            raise ValueError("a help cell with several parts (a default, an envvar...)")
        renderable = renderable.renderables[0]
    if not isinstance(renderable, Text):
        raise ValueError(f"not plain text: {type(renderable).__name__}")
    plain = renderable.plain
    from rich.cells import cell_len

    lines = plain.split("\n")
    if any(cell_len(x) != len(x) or any(c < " " for c in x) for x in lines):
        raise ValueError(f"characters that are not one cell wide: {plain!r}")
    return plain


def listing_from_app(app: Any = None) -> dict[str, Any]:
    """What typer's rich formatter prints for ``accord --help``, as plain text and shapes.

    Runs typer's ``rich_format_help`` with a console that records what it is given, and
    checks that every part has the shape :func:`render` draws (raises ``ValueError`` if not).
    """
    import typer.main
    from rich import box
    from rich.align import Align
    from rich.columns import Columns
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from typer import rich_utils

    if app is None:
        from accord.cli import app
    printed: list[Any] = []
    styles: list[Any] = []

    class Recorder:
        def print(self, renderable: Any, *args: Any, **kwargs: Any) -> None:
            if args or set(kwargs) - {"style"}:
                raise ValueError(f"printed with options not drawn here: {args} {kwargs}")
            printed.append(renderable)
            styles.append(kwargs.get("style"))

    group = typer.main.get_command(app)
    ctx = group.make_context("accord", [], resilient_parsing=True)
    real = rich_utils._get_rich_console
    rich_utils._get_rich_console = lambda stderr=False: Recorder()  # type: ignore[assignment,return-value]
    try:
        group.format_help(ctx, None)  # type: ignore[arg-type]
    finally:
        rich_utils._get_rich_console = real

    usage, *rest = printed
    if not (
        isinstance(usage, Padding)
        and (usage.top, usage.right, usage.bottom, usage.left) == (1, 1, 1, 1)
    ):
        raise ValueError("usage is not a padded line")
    help_texts: list[str] = []
    if rest and isinstance(rest[0], Padding):
        pad = rest.pop(0)
        if (pad.top, pad.right, pad.bottom, pad.left) != (0, 1, 1, 1):  # (top, right...)
            raise ValueError("help padding changed")
        align = pad.renderable
        if not (isinstance(align, Align) and align.align == "left" and not align.pad):
            raise ValueError("help alignment changed")
        inner = align.renderable
        parts = inner.renderables if isinstance(inner, Group) else [inner]
        help_texts = [_plain(p) for p in parts]
    panels = []
    for panel in rest:
        if not isinstance(panel, Panel) or not isinstance(panel.renderable, Table):
            raise ValueError(f"unexpected part of the help: {type(panel).__name__}")
        table = panel.renderable
        shape = (
            panel.box is box.ROUNDED,
            panel.expand,
            Padding.unpack(panel.padding) == (0, 1, 0, 1),
            panel.title_align == "left",
            panel.width is None,
            panel.subtitle is None,
            table.box is None,
            table.expand,
            not table.show_header,
            not table.show_footer,
            not table.pad_edge,
            not table.collapse_padding,
            table.padding == (0, 1, 0, 1),
            table.leading == 0,
            table.title is None and table.caption is None,
            table.width is None and table.min_width is None,
        )
        if not all(shape):
            raise ValueError(f"panel {panel.title!r} has a shape not drawn here: {shape}")
        columns: list[list[Any]] = []
        for column in table.columns:
            cells = list(column.cells)
            is_box = any(isinstance(c, Columns) for c in cells)
            if (column.min_width, column.max_width) != (None, None) or column.justify not in (
                "left",
            ):
                raise ValueError("column limits or justification not drawn here")
            if column.ratio is not None and (is_box or column.width is not None):
                raise ValueError("a ratio column with a fixed width")
            if column.width is not None and not column.no_wrap:
                raise ValueError("a fixed column that wraps")
            columns.append([column.width, "box" if is_box else "ratio" if column.ratio else ""])
        rows = [
            [_plain(c) for c in cells]
            for cells in zip(*(c.cells for c in table.columns), strict=True)
        ]
        title = panel.title if isinstance(panel.title, str) else _plain(panel.title)
        panels.append([title, columns, rows])
    from importlib.metadata import version  # rich has no __version__

    try:
        paint = _paint(printed, styles, rich_utils._get_rich_console())
    except ValueError:
        paint = None  # typer prints the help on a terminal
    return {
        "digest": digest(),
        "versions": {"typer": typer.__version__, "rich": version("rich")},
        "usage": _plain(usage.renderable),
        "help": help_texts,
        "panels": panels,
        "paint": paint,
    }


def _sgr(style: Any) -> list[str] | None:
    """SGR parameters of a rich Style, with colour and with NO_COLOR; None when bare."""
    from rich.color import ColorSystem

    def codes(style: Any) -> str:
        systems = (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR)
        found = {style.render("x", color_system=system) for system in systems}
        if len(found) != 1 or style.link is not None:
            raise ValueError(f"{style} is written differently by colour systems")
        (written,) = found
        return "" if written == "x" else str(written[2 : written.index("m")])

    pair = [codes(style), codes(style.without_color)]
    return None if pair == ["", ""] else pair


def _regions(text: Any, under: Any, console: Any) -> tuple[list[list[Any]] | None, Any]:
    """A rich Text's runs as rich writes them (see :func:`_line`), under the cell style
    ``under``; ``(None, None)`` if nothing in it is styled."""
    from rich.text import Text

    base = _sgr(under + console.get_style(text.style or ""))
    joined = Text("").join([text])  # as rich joins a text's wrapped lines: own style a span
    regions, start = [], 0
    for segment in joined.render(console):
        end = start + len(segment.text)
        style = _sgr(under + (segment.style or console.get_style("")))
        highlighted = any(span.start <= start < span.end for span in text.spans)
        regions.append([end, style, highlighted])
        start = end
    if base is None and all(r[1] is None for r in regions):
        return None, None
    return regions, base


def _paint(printed: list[Any], styles: list[Any], console: Any) -> dict[str, Any]:
    """What :func:`render` needs on a terminal; ``ValueError`` for what it cannot draw."""
    from rich.columns import Columns
    from rich.panel import Panel
    from rich.style import Style

    usage, *rest = printed
    if any(styles[1:]):
        raise ValueError("a help part printed with a style")
    under = console.get_style(styles[0] or "")
    if usage.style and str(usage.style) != "none":
        raise ValueError("styled usage padding")
    paint: dict[str, Any] = {"usage": [*_regions(usage.renderable, under, console)][:1]}
    paint["usage"].append(_sgr(under))
    if paint["usage"][0] is None and paint["usage"][1] is not None:
        paint["usage"][0] = [[len(usage.renderable.plain), paint["usage"][1], False]]
    panels = [r for r in rest if isinstance(r, Panel)]
    for part in rest:
        if part not in panels:  # the help text: drawn bare only
            texts = part.renderable.renderable
            for text in getattr(texts, "renderables", [texts]):
                if _regions(text, Style.null(), console) != (None, None):
                    raise ValueError("styled help text")
    borders = set()
    paint["panels"] = []
    for panel in panels:
        border = console.get_style(panel.style or "") + console.get_style(panel.border_style)
        borders.add(str(border))
        paint["border"] = _sgr(border)
        table: Any = panel.renderable
        if _sgr(console.get_style(table.style or "")) or table.row_styles or table.border_style:
            raise ValueError("a styled table")
        column_styles = [console.get_style(c.style or "") for c in table.columns]
        rows = []
        for cells in zip(*(c.cells for c in table.columns), strict=True):
            row = []
            for cell, under in zip(cells, column_styles, strict=True):
                if isinstance(cell, Columns):
                    cell = cell.renderables[0]
                    if _regions(cell, under, console) != (None, None):
                        raise ValueError("a styled help cell")
                row.append(list(_regions(cell, under, console)))
            rows.append(row)
        paint["panels"].append({"columns": [_sgr(c) for c in column_styles], "rows": rows})
    if len(borders) > 1:
        raise ValueError("panels with different borders")
    return paint


def write_listing(path: str = LISTING) -> dict[str, Any]:
    """Write :data:`accord._help_listing.LISTING` from the live app."""
    import pprint
    from pathlib import Path

    listing = listing_from_app()
    Path(path).write_text(
        '"""The top-level ``accord --help``, as plain text: generated by\n'
        "``python -m accord.fasthelp`` from accord.cli.app; do not edit.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "TYPE_CHECKING = False  # no typing import at run time: see accord.fasthelp\n"
        "if TYPE_CHECKING:\n"
        "    from typing import Any\n\n"
        f"LISTING: dict[str, Any] = {pprint.pformat(listing, width=72, sort_dicts=False)}\n",
        encoding="utf-8",
    )
    import subprocess

    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", path], check=False)
    return listing


if __name__ == "__main__":
    write_listing()
    print(f"wrote {LISTING}")
