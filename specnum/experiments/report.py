"""The demo report: Markdown and self-contained HTML from experiment results.

A result dict may hold ``"summary"`` (list of str) and ``"tables"`` (list of
``{"title": str, "headers": [...], "rows": [[...], ...]}``); figures are PNG
files. The HTML embeds the figures as base64 data, so the single file opens in a
browser offline; ``report.md`` links the PNG files beside it. Each figure's
caption (what it shows, what to look for) is the one stored inside the PNG by
:func:`specnum.plotting.figures.save_figure`; a figure without one is captioned
by its file name.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Sequence
from pathlib import Path

__all__ = ["format_cell", "markdown_cell", "figure_caption", "render_markdown", "render_html", "write_report"]


def format_cell(value) -> str:
    """Format one table cell: floats to 4 significant digits, everything else by ``str``.

    Examples
    --------
    >>> format_cell(0.000123456), format_cell(3), format_cell(2.5)
    ('0.0001235', '3', '2.5')
    """
    if isinstance(value, float):
        return f"{value:.4g}"
    if value is None:
        return "-"
    return str(value)


def markdown_cell(value) -> str:
    """:func:`format_cell` with ``|`` escaped, so a cell such as ``max|V|`` cannot split a Markdown row.

    Examples
    --------
    >>> print(markdown_cell("max|V|"))
    max\\|V\\|
    """
    return format_cell(value).replace("|", "\\|")


def _markdown_text(text: str) -> str:
    r"""``text`` with the Markdown emphasis and code characters escaped (``f1*f2`` stays as written).

    Examples
    --------
    >>> print(_markdown_text("f1*f2 from gaunt_product"))
    f1\*f2 from gaunt\_product
    """
    for ch in "\\`*_[]":
        text = text.replace(ch, "\\" + ch)
    return text


def figure_caption(path: str | os.PathLike) -> str:
    """The caption stored in the PNG at ``path``, else its file name."""
    from specnum.plotting.figures import read_caption

    caption = read_caption(path) if Path(path).is_file() else None
    return caption or Path(path).name


def _sections(entries: Sequence[dict]):
    for entry in entries:
        result = entry["payload"]["result"]
        yield entry["name"], entry.get("title", entry["name"]), result, entry.get("figures", []), entry


def render_markdown(entries: Sequence[dict], title: str, header_lines: Sequence[str],
                    root: str | os.PathLike | None = None) -> str:
    """Markdown text of the report (figures linked by relative path, captions read from the files in ``root``)."""
    out = [f"# {title}", ""] + [f"{line}  " for line in header_lines] + [""]
    for name, heading, result, figures, entry in _sections(entries):
        out += [f"## {heading}", ""]
        if "seconds" in entry:
            out += [f"_experiment `{name}`, {entry['seconds']:.1f} s_", ""]
        out += [f"- {line}" for line in result.get("summary", [])]
        out.append("")
        for table in result.get("tables", []):
            out += [f"**{table['title']}**", ""]
            out.append("| " + " | ".join(markdown_cell(str(h)) for h in table["headers"]) + " |")
            out.append("|" + "---|" * len(table["headers"]))
            out += ["| " + " | ".join(markdown_cell(v) for v in row) + " |" for row in table["rows"]]
            out.append("")
        for fig in figures:
            caption = figure_caption(Path(root) / fig) if root is not None else Path(fig).name
            out += [f"![{Path(fig).stem}]({fig})", "", f"Figure `{Path(fig).name}`: {_markdown_text(caption)}", ""]
        out.append("")
    return "\n".join(out)


def render_html(entries: Sequence[dict], title: str, header_lines: Sequence[str], root: Path) -> str:
    """Self-contained HTML (figures embedded as base64 PNG)."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #bbb;padding:2px 8px;"
        "text-align:right}th{background:#eee}img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}"
        "nav a{margin-right:1em}figure{margin:1em 0 2em}figcaption{max-width:900px;font-size:0.92em;color:#333}"
        "figcaption code{color:#666}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    out += [f"<div>{esc(line)}</div>" for line in header_lines]
    out.append("<nav>" + "".join(f'<a href="#{esc(n)}">{esc(h)}</a>' for n, h, *_ in _sections(entries)) + "</nav>")
    for name, heading, result, figures, entry in _sections(entries):
        out.append(f'<h2 id="{esc(name)}">{esc(heading)}</h2>')
        if "seconds" in entry:
            out.append(f"<p><em>experiment <code>{esc(name)}</code>, {entry['seconds']:.1f} s</em></p>")
        if result.get("summary"):
            out.append("<ul>" + "".join(f"<li>{esc(str(s))}</li>" for s in result["summary"]) + "</ul>")
        for table in result.get("tables", []):
            out.append(f"<h3>{esc(table['title'])}</h3><table><tr>"
                       + "".join(f"<th>{esc(str(h))}</th>" for h in table["headers"]) + "</tr>")
            out += ["<tr>" + "".join(f"<td>{esc(format_cell(v))}</td>" for v in row) + "</tr>"
                    for row in table["rows"]]
            out.append("</table>")
        for fig in figures:
            data = base64.b64encode((root / fig).read_bytes()).decode("ascii")
            out.append(f'<figure><img alt="{esc(Path(fig).stem)}" src="data:image/png;base64,{data}">'
                       f"<figcaption><code>{esc(Path(fig).name)}</code>: {esc(figure_caption(root / fig))}"
                       "</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out)


def write_report(entries: Sequence[dict], outdir: str | os.PathLike, title: str,
                 header_lines: Sequence[str]) -> dict[str, str]:
    """Write ``report.md`` and ``report.html`` into ``outdir``; return their paths."""
    root = Path(outdir)
    root.mkdir(parents=True, exist_ok=True)
    md = root / "report.md"
    htm = root / "report.html"
    md.write_text(render_markdown(entries, title, header_lines, root))
    htm.write_text(render_html(entries, title, header_lines, root))
    return {"markdown": str(md), "html": str(htm)}
