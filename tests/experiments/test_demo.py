"""`specnum demo --quick`: the report folder, its figures and that it shows the computed numbers."""

from __future__ import annotations

import json
from html import escape as html_escape

import pytest

from specnum.experiments.cli import main
from specnum.experiments.registry import DEMO_ORDER
from specnum.experiments.report import format_cell, markdown_cell


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
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
