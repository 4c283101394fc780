"""`specnum demo --quick`: the report folder, its figures and that it shows the computed numbers."""

from __future__ import annotations

import json
from html import escape as html_escape
from pathlib import Path

import pytest

from specnum.experiments.cli import main
from specnum.experiments.registry import DEMO_ORDER
from specnum.experiments.report import format_cell, markdown_cell

LEGEND_CHECKS: dict[str, list[str]] = {}  # figure file -> legends still covering data or labels after saving


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    import specnum.plotting.figures as figures

    save = figures.save_figure

    def checked_save(fig, path, caption, **kwargs):
        figures.keep_legends_off_data(fig)
        fig.draw_without_rendering()
        bad = [ax.get_title() or "axes" for ax in fig.axes if ax.get_legend() is not None
               and (figures.legend_overlaps_data(ax.get_legend()) or figures.legend_overlaps_labels(ax.get_legend()))]
        LEGEND_CHECKS[Path(path).name] = bad
        return save(fig, path, caption, **kwargs)

    out = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(figures, "save_figure", checked_save)
        assert main(["demo", "--quick", "--no-progress", "--out", str(out)]) == 0
    return out


def test_report_files_exist(demo_dir):
    for name in ("report.html", "report.md", "results.json"):
        assert (demo_dir / name).stat().st_size > 0
    html = (demo_dir / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "data:image/png;base64," in html  # figures embedded: opens offline


def test_every_pillar_has_a_section_with_figures(demo_dir):
    results = json.loads((demo_dir / "results.json").read_text())
    assert list(results) == list(DEMO_ORDER)
    for name, entry in results.items():
        assert entry["figures"], f"{name} wrote no figure"
        for fig in entry["figures"]:
            data = (demo_dir / fig).read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n", fig
        prov = entry["provenance"]
        assert prov["params"]["quick"] is True and "numpy" in prov["versions"] and prov["date"]


def test_report_shows_the_computed_numbers(demo_dir):
    results = json.loads((demo_dir / "results.json").read_text())
    md = (demo_dir / "report.md").read_text()
    html = (demo_dir / "report.html").read_text()
    n_rows = 0
    for entry in results.values():
        for table in entry["result"].get("tables", []):
            for row in table["rows"]:
                line = "| " + " | ".join(markdown_cell(v) for v in row) + " |"
                assert line in md, f"row {row} of {table['title']!r} missing from report.md"
                cells = "".join(f"<td>{html_escape(format_cell(v))}</td>" for v in row)
                assert cells in html, f"row {row} of {table['title']!r} missing from report.html"
                n_rows += 1
        for line in entry["result"].get("summary", []):
            assert line in md
    assert n_rows >= 4
    assert results["bases"]["result"]["tables"][0]["title"] in html


def test_bases_demo_fills_missing_parameters():
    from specnum.experiments import bases_demo

    res = bases_demo.run({"quick": True})  # the other parameters take their defaults
    assert res["summary"] and res["tables"]


def test_every_figure_has_a_caption_in_both_reports(demo_dir):
    from specnum.plotting.figures import read_caption

    results = json.loads((demo_dir / "results.json").read_text())
    md = (demo_dir / "report.md").read_text()
    html = (demo_dir / "report.html").read_text()
    figures = [fig for entry in results.values() for fig in entry["figures"]]
    assert len(figures) >= 12
    for fig in figures:
        caption = read_caption(demo_dir / fig)
        assert caption and "Look for" in caption, f"{fig} has no caption saying what to look for"
        assert html_escape(caption) in html, f"caption of {fig} missing from report.html"
        assert f"Figure `{Path(fig).name}`:" in md, f"caption of {fig} missing from report.md"
    assert html.count("<figcaption>") == len(figures)


def test_no_legend_covers_data_in_any_demo_figure(demo_dir):
    assert LEGEND_CHECKS, "the demo saved no figure through save_figure"
    covered = {name: bad for name, bad in LEGEND_CHECKS.items() if bad}
    assert not covered, f"legends covering data or labels: {covered}"


def test_timing_captions_say_how_threads_were_pinned(demo_dir):
    from specnum.plotting.figures import read_caption

    caption = read_caption(demo_dir / "figures" / "gaunt" / "gaunt_timing.png")
    assert "pinned to 1 thread" in caption and "best of" in caption
    results = json.loads((demo_dir / "results.json").read_text())
    for name in ("gaunt", "chebtucker"):
        titles = [t["title"] for t in results[name]["result"]["tables"]]
        assert any("pinned to 1 thread" in t for t in titles), name


def test_every_demo_names_headline_numbers_that_exist(demo_dir):
    """Each demo experiment declares HEADLINE, and every key resolves to a finite number in its result."""
    import math

    from specnum.experiments.registry import load_experiment
    from specnum.experiments.summary import headline_values

    results = json.loads((demo_dir / "results.json").read_text())
    for name, entry in results.items():
        keys = getattr(load_experiment(name), "HEADLINE", None)
        assert keys, f"{name} declares no HEADLINE"
        values = headline_values(entry["result"], keys)
        for key in keys:
            assert isinstance(values.get(key), (int, float)) and math.isfinite(values[key]), (name, key, values)
