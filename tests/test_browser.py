"""The website as a reader sees it: every TOC page in headless Chromium (Debian's, driven by
Playwright) with the network cut off except 127.0.0.1.  Screenshots go to _build/screenshots/.

Without Chromium or Playwright these tests skip, saying why; in CI (CI=true) that is a failure.
"""

import contextlib
import json
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from conftest import REPO

from gae_lib.book import is_notebook, toc_pages
from gae_lib.site import served

SCREENSHOTS = REPO / "_build" / "screenshots"
# The picture a kernel-free figure draws: a heatmap's, or a go.Image's (snapshots as PNG).
TRACE_IMAGE = ".heatmaplayer image, .imagelayer image"
# A 3-D figure (the loss surface) draws into a WebGL canvas instead; a scatter (the
# testbed runs' samples) draws its points as paths.
TRACE_DRAWN = f"{TRACE_IMAGE}, .gl-container canvas, .scatterlayer .trace .points path"


@pytest.fixture(scope="module")
def site_url(built_site):
    """The built site served by `make serve`'s server (gae_lib.site.served)."""
    with served(built_site) as url:
        yield url.rstrip("/")


# A page's load on a busy machine: 5-10 s when idle (plotly, MathJax, the in-browser models).
LOAD_TIMEOUT_MS = 120_000


def start_page(browser, url, init_script: str | None = None):
    """A page with every non-local request blocked and recorded, and console errors kept,
    that has begun to load ``url`` (``finish_loading`` waits for it); ``init_script`` runs
    in it before the page's own scripts."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    if init_script:
        page.add_init_script(init_script)
    page.blocked, page.errors = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", None):
            return r.continue_()
        page.blocked.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    return page


def finish_loading(page):
    """Wait until the page has loaded, plotly has plotted every figure and MathJax is done."""
    page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
    # plotly draws after the load event: wait until every figure div has been plotted.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plotly-graph-div')]"
        ".every(e => e.classList.contains('js-plotly-plot'))", timeout=LOAD_TIMEOUT_MS
    )
    page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)",
                           timeout=LOAD_TIMEOUT_MS)
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    return page


@pytest.fixture(scope="module")
def chapter_page(browser, site_url):
    """``chapter_page(chapter)``: the chapter's page, loaded once for this module's tests
    (a load costs 5-10 s: plotly, MathJax, the in-browser models).  The tests run in file
    order: the first to ask for a page (the offline-rendering test, which screenshots it as
    a reader first sees it) gets it untouched; later ones move sliders and hover, each
    scrolling to what it tests.  ``page.errors`` and ``page.blocked`` hold everything since
    the load, so every test's check covers the tests before it on that page as well.
    (Loading every page side by side was tried: no faster, Chromium's work is CPU-bound.)"""
    pages = {}

    def page_of(chapter):
        if chapter not in pages:
            pages[chapter] = finish_loading(start_page(browser, f"{site_url}/{chapter}.html"))
        return pages[chapter]

    yield page_of
    for page in pages.values():
        page.close()


@pytest.mark.parametrize("chapter", toc_pages())
def test_page_renders_completely_offline(chapter, chapter_page):
    page = chapter_page(chapter)
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
        f"els => els.map(e => e.data.length && e.querySelectorAll('{TRACE_DRAWN}').length)",
    )
    assert all(plots), f"{chapter}: a plotly figure without rendered traces: {plots}"


@pytest.mark.parametrize("chapter,n_figures", [("book/comparison-of-encodings", 3),
                                               ("book/a-first-gan-and-vae", 2),
                                               ("book/latent-space-size", 1),
                                               ("book/adversarial-autoencoders", 1)])
def test_kernel_free_slider_moves_the_figure(chapter, n_figures, chapter_page):
    page = chapter_page(chapter)
    plots = page.locator("article .js-plotly-plot:has(.slider-container)")
    assert plots.count() == n_figures
    for i in range(plots.count()):
        plot = plots.nth(i)
        plot.scroll_into_view_if_needed()
        image = lambda: [e.get_attribute("href") for e in plot.locator(TRACE_IMAGE).all()]
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


def test_a_slider_let_go_outside_its_figure_stops_following_the_pointer(chapter_page):
    """plotly ends a slider's drag on a mouseup over its own figure only: let go below the
    figure, the slider then followed the pointer with no button pressed (seen in CI: the code
    plane's slider moved to the step under the pointer as it hovered the plane).
    gae-plotly.js ends the drag wherever the button is let go."""
    page = chapter_page("book/adversarial-autoencoders")
    plot = page.locator("article .js-plotly-plot:has(.slider-container)").first
    plot.evaluate("gd => gd.scrollIntoView({block: 'center', behavior: 'instant'})")
    slider = lambda: plot.evaluate(
        "gd => [gd._fullLayout.sliders[0].active, Boolean(gd._fullLayout.sliders[0]._dragging)]")
    rail = plot.locator(".slider-rail-rect").first.bounding_box()
    grip = plot.locator(".slider-grip-rect").first.bounding_box()
    figure = plot.bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(rail["x"] + rail["width"] * 0.6, figure["y"] + figure["height"] + 40, steps=8)
    page.mouse.up()
    let_go = slider()
    assert let_go[1] is False, "the slider is still being dragged after the button was let go"
    page.mouse.move(rail["x"] + rail["width"] * 0.1, rail["y"] + rail["height"] / 2, steps=8)
    page.wait_for_timeout(300)
    assert slider() == let_go, "the slider followed the pointer after the button was let go"
    assert page.errors == [] and page.blocked == []


def test_hovering_the_code_plane_shows_the_image_of_that_code(chapter_page):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = chapter_page("book/adversarial-autoencoders")
    plot = page.locator("article .js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    shown = lambda: plot.locator(".imagelayer image").first.get_attribute("href")
    title = lambda: plot.evaluate("gd => gd.layout.title.text")
    box = plot.locator(".nsewdrag").first.bounding_box()
    seen = {(shown(), title())}
    for fx, fy in ((0.8, 0.3), (0.2, 0.7), (0.5, 0.5)):
        before = title()
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=4)
        # The hover of where the pointer stopped (a busy machine may take a moment): a new
        # "z = (...)" title, not the last position's (seen: the second position's check read
        # the first one's title, the hover not yet drawn).  A title "test digit ..." instead
        # is the slider's: a slider drag still in progress moves the slider as the pointer
        # crosses the plane (the test above).
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                "([gd, before]) => gd.layout.title.text.startsWith('z = (') && "
                "gd.layout.title.text !== before",
                arg=[plot.element_handle(), before], timeout=10_000)
        seen.add((shown(), title()))
        assert title().startswith("z = ("), title()
    page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.9)
    page.wait_for_timeout(300)
    seen.add((shown(), title()))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    plot.screenshot(path=str(SCREENSHOTS / "adversarial-autoencoders-code-plane.png"))
    assert len(seen) == 5, "the image did not follow the pointer"
    # the hover shows a tile of the sprite: the image axis spans one 28-pixel tile
    span = plot.evaluate("gd => gd.layout.xaxis2.range")
    assert span[1] - span[0] == pytest.approx(28)
    assert page.errors == [] and page.blocked == []


def test_the_loss_surface_menu_switches_sizes_and_a_drag_turns_it(chapter_page):
    page = chapter_page("book/latent-space-size")
    plot = page.locator("article .js-plotly-plot:has(.gl-container)").first
    plot.scroll_into_view_if_needed()
    visible = lambda: plot.evaluate("gd => gd._fullData.map(t => t.visible === true)")
    title = lambda: plot.evaluate("gd => gd._fullLayout.title.text")
    assert visible() == [True, False, False, False], visible()
    plot.locator(".updatemenu-header").first.click()
    plot.locator(".updatemenu-dropdown-button").last.click()
    page.wait_for_timeout(500)
    assert visible() == [False, False, False, True], visible()
    assert title().endswith("d = 128"), title()
    camera = lambda: plot.evaluate("gd => JSON.stringify(gd._fullLayout.scene.camera.eye)")
    before = camera()
    box = plot.locator(".gl-container canvas").first.bounding_box()   # the container has no height
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.4, steps=8)
    page.mouse.up()
    page.wait_for_timeout(500)
    assert camera() != before, "dragging the surface did not turn it"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    plot.screenshot(path=str(SCREENSHOTS / "latent-space-size-surface.png"))
    assert page.errors == [] and page.blocked == []


LIVE_CHAPTERS = ["book/comparison-of-encodings", "book/a-first-gan-and-vae"]


def live_page(chapter_page, chapter):
    """The chapter's page once its live sliders have drawn their first frame."""
    page = chapter_page(chapter)
    page.wait_for_selector("div.gae-live.gae-live-ready, div.gae-live.gae-live-failed",
                           timeout=120_000)
    assert page.evaluate("window.gaeLive.errors") == []
    page.wait_for_function("document.querySelector('div.gae-live').dataset.frames >= 1")
    return page


def canvas_pixels(page) -> str:
    return page.eval_on_selector("div.gae-live canvas", "c => c.toDataURL()")


@pytest.mark.parametrize("chapter", LIVE_CHAPTERS)
def test_live_sliders_decode_in_the_browser_as_torch_does(chapter, chapter_page):
    import torch

    from gae_lib import zoo
    from gae_lib.widgets.live import decode_base64

    page = live_page(chapter_page, chapter)
    config = json.loads(page.eval_on_selector("script.gae-live-config", "e => e.textContent"))
    classifier = zoo.load("book/classifier")["classifier"]
    for m in config["models"]:
        z = decode_base64(m["prior_codes"], (-1, m["latent_dim"]))[:4]
        got = np.array(page.evaluate("([label, z]) => window.gaeLive.widgets[0].decode(label, z)",
                                     [m["label"], z.tolist()]))
        with torch.no_grad():
            expected = zoo.load(m["checkpoint"])["generator"](torch.from_numpy(z.copy()))
        assert np.abs(got - expected.flatten().numpy()).max() <= 1e-3, m["label"]
    # The first frame: the first model at the code of the first test digit, sliders at 0.
    first = config["models"][0]
    z = torch.from_numpy(decode_base64(first["digit_codes"], (-1, first["latent_dim"]))[:1].copy())
    with torch.no_grad():
        expected = classifier(zoo.load(first["checkpoint"])["generator"](z)).softmax(1)[0]
    shown = page.eval_on_selector_all("div.gae-live .gae-live-fill",
                                      "bars => bars.map(b => +b.dataset.p)")
    assert np.abs(np.array(shown) - expected.numpy()).max() <= 1e-3
    assert page.errors == [] and page.blocked == []


@pytest.mark.parametrize("chapter", LIVE_CHAPTERS)
def test_dragging_a_live_slider_redraws_the_image(chapter, chapter_page):
    page = live_page(chapter_page, chapter)
    widget = page.locator("div.gae-live").first
    widget.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = Path(chapter).name
    widget.screenshot(path=str(SCREENSHOTS / f"{name}-live-0.png"))
    slider = page.locator("div.gae-live input[data-role=direction-1]").first
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    seen = [canvas_pixels(page)]
    for i, end in enumerate((box["x"] + box["width"] - 2, box["x"] + 2), start=1):
        frames = int(widget.get_attribute("data-frames"))
        page.mouse.move(box["x"] + box["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(end, y, steps=10)          # frames are drawn while dragging
        page.mouse.up()
        page.wait_for_function(f"document.querySelector('div.gae-live').dataset.frames > "
                               f"{frames + 1}")
        page.wait_for_timeout(200)
        widget.screenshot(path=str(SCREENSHOTS / f"{name}-live-{i}.png"))
        seen.append(canvas_pixels(page))
    assert len(set(seen)) == 3, "the image did not change as the slider moved"
    times = page.evaluate("window.gaeLive.frameTimes")
    (SCREENSHOTS / f"{name}-live-frame-ms.json").write_text(json.dumps(times))
    assert page.errors == [] and page.blocked == []


def test_live_sliders_explain_themselves_when_opened_from_disk(browser, built_site):
    page = browser.new_page()
    page.goto((built_site / "book" / "comparison-of-encodings.html").as_uri())
    page.wait_for_selector("div.gae-live.gae-live-failed", timeout=30_000)
    assert "make serve" in page.inner_text("div.gae-live .gae-live-status")
    page.close()


def contrast(css_a: str, css_b: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""
    import re

    def luminance(css):
        r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(css_a), luminance(css_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# An element's text colour and the background it is drawn on: the first ancestor whose
# background is not transparent (outputs sit in boxes of their own colour in dark mode).
EFFECTIVE_COLOURS = """selector => {
  const el = document.querySelector(selector);
  let node = el, bg = "rgba(0, 0, 0, 0)";
  while (node && node.nodeType === 1) {
    bg = getComputedStyle(node).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(bg) && bg !== "transparent") break;
    node = node.parentElement;
  }
  return [getComputedStyle(el).color, bg];
}"""


def test_dark_mode_keeps_the_chapter_readable(browser, site_url, chapter_page):
    """The theme's light/dark switch stays: in dark mode the page switches its colours,
    logs no error, and the live sliders use the theme's text colour (screenshots of both
    modes in _build/screenshots/, looked at when the switch was kept).  Light is what a
    reader with no preference gets: the page the other tests used."""
    chapter = "book/comparison-of-encodings"
    for mode in ("light", "dark"):
        if mode == "light":
            page = chapter_page(chapter)
        else:
            page = finish_loading(start_page(
                browser, f"{site_url}/{chapter}.html",
                init_script=f"localStorage.setItem('theme', '{mode}'); "
                            f"localStorage.setItem('mode', '{mode}');"))
        page.wait_for_selector("div.gae-live.gae-live-ready", timeout=120_000)
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        text, background = page.evaluate(EFFECTIVE_COLOURS, "div.gae-live label")
        assert contrast(text, background) >= 4.5, (mode, text, background)   # WCAG AA
        page.locator("div.gae-live").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"{Path(chapter).name}-{mode}.png"))
        assert page.errors == [] and page.blocked == [], (mode, page.errors, page.blocked)
    page.close()
