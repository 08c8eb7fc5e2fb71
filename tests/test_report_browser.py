"""The HTML report in a real browser: it loads cleanly, its charts draw, its figures are right.

Runs headless Chromium (the distribution's package) through the DevTools
protocol (``tests/chromium.py``, standard library only). Where no Chromium is
installed the tests are skipped, saying so; CI installs it (``.ci/run``).

    IKUEVAL_REGENERATE_SCREENSHOT=1 python -m pytest -q tests/test_report_browser.py

rewrites the screenshots shown in the README and ``docs/report.md``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from chromium import Chromium, find_chromium
from ikueval._decimals import display
from ikueval._reports import Lang, render_html
from ikueval._reports.formats import REPORT_MARKS
from reporting import ROOT, as_decimal, example, json_figure

BROWSER = find_chromium()
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium installed (apt-get install chromium): the HTML report is not "
    "checked in a browser",
)

_FIGURES_JS = """Array.from(document.querySelectorAll('[data-figure]')).map(e => [
  e.getAttribute('data-figure'), e.getAttribute('data-value'), e.hasAttribute('data-missing'),
  e.textContent])"""
_SVG_JS = """Array.from(document.querySelectorAll('svg')).map(e => {
  const r = e.getBoundingClientRect(); return [r.width, r.height]; })"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    assert BROWSER is not None
    with Chromium(BROWSER) as chromium:
        yield chromium


@pytest.fixture(scope="module", params=list(Lang), ids=lambda lang: lang.value)
def page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    lang: Lang = request.param
    path = tmp_path_factory.mktemp("report") / f"report-{lang.value}.html"
    path.write_text(render_html(example(), lang=lang), encoding="utf-8")
    return path


def _lang(page: Path) -> Lang:
    return Lang(page.stem.rsplit("-", 1)[1])


def test_the_page_loads_without_errors_and_every_chart_draws(browser: Chromium, page: Path) -> None:
    browser.open(page)
    assert browser.problems() == []
    sizes = browser.evaluate(_SVG_JS)
    assert len(sizes) == 15
    assert all(width > 50 and height > 50 for width, height in sizes), sizes
    shot = browser.screenshot(1200)
    assert shot.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(shot) > 20_000


def test_the_figures_in_the_page_are_those_of_the_json_output(
    browser: Chromium, page: Path
) -> None:
    browser.open(page)
    marks = REPORT_MARKS[_lang(page)]
    rounding = example().rounding
    shown = browser.evaluate(_FIGURES_JS)
    assert len(shown) > 250
    for where, value, missing, text in shown:
        period, path = where.split(" ", 1)
        expected = as_decimal(json_figure(period, path))
        if missing:
            assert expected is None, where
            continue
        assert as_decimal(value) == expected, where
        if not text:  # a target mark of a chart: drawn, not written
            continue
        if isinstance(expected, str):
            assert text == expected, where
            continue
        assert expected is not None
        number = text.removeprefix("Rp ").removesuffix("%").replace(marks.thousands, "")
        read = Decimal(number.replace(marks.decimal, "."))
        assert read == Decimal(display(expected, rounding.mode, rounding.places)), where


def test_a_figure_opens_its_trace(browser: Chromium, page: Path) -> None:
    browser.open(page)
    link = "t-2025-Q2-IKU-06-to_date"
    assert browser.evaluate(f"document.querySelector('a.fig[href=\"#{link}\"]') !== null")
    browser.evaluate(f"document.querySelector('a.fig[href=\"#{link}\"]').click()")
    assert browser.evaluate("document.getElementById('t-2025-Q2-IKU-06').open") is True
    trace = browser.evaluate(f"document.getElementById('{link}').textContent")
    unrounded = {Lang.ID: "108,4112149532710280373831775700934579439", Lang.EN: "108.4112"}
    assert unrounded[_lang(page)] in trace


def test_the_page_fits_a_phone_and_prints_on_a4(browser: Chromium, page: Path) -> None:
    browser.open(page, width=390, height=844)
    assert browser.problems() == []
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    pdf = browser.pdf()
    assert pdf.startswith(b"%PDF")
    assert b"/MediaBox [0 0 595.91998 842.88]" in pdf or b"595" in pdf


def test_screenshots_for_the_documentation(browser: Chromium, tmp_path: Path) -> None:
    page = tmp_path / "report-id.html"  # the documentation shows the Indonesian report
    page.write_text(render_html(example(), lang=Lang.ID), encoding="utf-8")
    browser.open(page, width=1100, height=900)
    top = browser.screenshot(1500)
    chart_top = browser.evaluate(
        "Math.round(document.getElementById('achievement-chart').getBoundingClientRect().top"
        " + window.scrollY) - 16"
    )
    status = browser.screenshot(1250, top=chart_top)
    assert top.startswith(b"\x89PNG")
    assert status.startswith(b"\x89PNG")
    if os.environ.get("IKUEVAL_REGENERATE_SCREENSHOT"):
        (ROOT / "docs" / "report.png").write_bytes(top)
        (ROOT / "docs" / "report-status.png").write_bytes(status)
