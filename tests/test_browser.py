"""The website as a reader sees it: every TOC page in headless Chromium (Debian's, driven by
Playwright) with the network cut off except 127.0.0.1.  Screenshots go to _build/screenshots/.

Without Chromium or Playwright these tests skip, saying why; in CI (CI=true) that is a failure.
"""

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import REPO

from gae_lib.book import is_notebook, toc_pages

SCREENSHOTS = REPO / "_build" / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
# The picture a kernel-free figure draws: a heatmap's, or a go.Image's (snapshots as PNG).
TRACE_IMAGE = ".heatmaplayer image, .imagelayer image"


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so the browser tests must run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if path is None:
        unavailable(
            "Chromium not found (install Debian's `chromium` package to run the browser tests)"
        )
    return path


@pytest.fixture(scope="module")
def browser(chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def open_page(browser, url):
    """A page with every non-local request blocked and recorded, and console errors kept."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.blocked, page.errors = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", None):
            return r.continue_()
        page.blocked.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="networkidle")
    # plotly draws after the load event: wait until every figure div has been plotted.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plotly-graph-div')]"
        ".every(e => e.classList.contains('js-plotly-plot'))"
    )
    page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    return page


@pytest.mark.parametrize("chapter", toc_pages())
def test_page_renders_completely_offline(chapter, browser, site_url):
    page = open_page(browser, f"{site_url}/{chapter}.html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(chapter).name}.png"), full_page=True)
    assert page.blocked == [], f"{chapter} asked for non-local resources: {page.blocked}"
    assert page.errors == [], f"{chapter} logged console errors: {page.errors}"
    images = page.eval_on_selector_all(
        "article img", "els => els.map(e => [e.src, e.naturalWidth])"
    )
    assert images or not is_notebook(chapter), f"{chapter} shows no image"
    assert [src for src, width in images if not width] == []
    maths = page.eval_on_selector_all("article .math", "els => els.length")
    typeset = page.eval_on_selector_all("article mjx-container", "els => els.length")
    assert typeset >= maths, f"{chapter}: only {typeset} of {maths} math elements typeset"
    assert maths > 0 or not is_notebook(chapter), f"{chapter}: no math found to check"
    plots = page.eval_on_selector_all(
        "article .plotly-graph-div",
        f"els => els.map(e => e.data.length && e.querySelectorAll('{TRACE_IMAGE}').length)",
    )
    assert all(plots), f"{chapter}: a plotly figure without rendered traces: {plots}"
    page.close()


@pytest.mark.parametrize("chapter,n_figures", [("book/comparison-of-encodings", 3),
                                               ("book/a-first-gan-and-vae", 2)])
def test_kernel_free_slider_moves_the_figure(chapter, n_figures, browser, site_url):
    page = open_page(browser, f"{site_url}/{chapter}.html")
    plots = page.locator("article .js-plotly-plot")
    assert plots.count() == n_figures
    for i in range(plots.count()):
        plot = plots.nth(i)
        plot.scroll_into_view_if_needed()
        image = lambda: plot.locator(TRACE_IMAGE).first.get_attribute("href")
        before, active = image(), plot.evaluate("gd => gd._fullLayout.sliders[0].active")
        rail = plot.locator(".slider-rail-rect").first.bounding_box()
        grip = plot.locator(".slider-grip-rect").first.bounding_box()
        page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
        page.mouse.down()
        page.mouse.move(rail["x"] + rail["width"] - 2, rail["y"] + rail["height"] / 2, steps=8)
        page.mouse.up()
        page.wait_for_timeout(300)
        assert plot.evaluate("gd => gd._fullLayout.sliders[0].active") != active
        assert image() != before, f"figure {i + 1}: the slider moved but the image did not change"
    page.close()
