"""The book builds, executed, with warnings as errors; the intro shows its figures and numbers."""

import re

from conftest import REPO

from gae_lib.book import toc_chapters


def test_intro_page_has_its_figures_and_glued_numbers(built_site):
    html = (built_site / "book" / "intro.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', html)
    assert len(images) >= 2  # Figure 1 and the data-set gallery
    for src in images:
        assert (built_site / "book" / src).stat().st_size > 10_000, src
    assert "60,000" in html and "10,000" in html  # glued from the loaded data
    assert "Traceback" not in html and "Error" not in html
    assert (built_site / "index.html").exists()


def test_site_serves_mathjax_itself(built_site):
    html = (built_site / "book" / "intro.html").read_text()
    assert re.search(r'src="[^"]*_static/mathjax/tex-chtml.js', html)
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert "cdn.jsdelivr.net" not in html


def test_every_chapter_in_the_toc_was_executed_without_error(built_site):
    """Nothing silently skipped: each TOC chapter's page shows every code cell of the chapter
    with outputs (figures, tables, glued values) in most of them, and no error output.  (The
    build's jupyter_execute/ copies carry no outputs when they come from the execution
    cache, a myst-nb behaviour; the page is what readers get.)"""
    for chapter in toc_chapters():
        html = (built_site / f"{chapter}.html").read_text()
        cells = re.findall(r'class="cell(?: tag_[^" ]+)* docutils container"', html)
        outputs = html.count('class="cell_output docutils container"')
        source = (REPO / f"{chapter}.md").read_text()
        assert len(cells) == source.count("```{code-cell}"), f"{chapter}: code cells missing"
        assert outputs >= len(cells) // 2, (
            f"{chapter}: {outputs} of {len(cells)} cells have outputs"
        )
        assert "output traceback" not in html and "output error" not in html, chapter
        assert "Claim(id=" not in html, f"{chapter}: a claim's repr printed as a cell output"


def test_encodings_chapter_has_its_figures_tables_and_kernel_free_figures(built_site):
    html = (built_site / "book" / "comparison-of-encodings.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', html)
    assert len(images) >= 12, len(images)
    for src in images:
        assert (built_site / "book" / src).stat().st_size > 2_000, src
    assert html.count("Plotly.newPlot") == 3  # the three kernel-free widget twins
    assert re.search(r'src="[^"]*_static/plotly/plotly.min.js', html)
    assert (built_site / "_static" / "plotly" / "plotly.min.js").stat().st_size > 1_000_000
    assert "cdn.plot.ly" not in html and "require.min.js" not in html
    assert html.count("<table") >= 8
    assert "Traceback" not in html


def test_first_chapter_has_its_figures_tables_and_kernel_free_figures(built_site):
    html = (built_site / "book" / "a-first-gan-and-vae.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', html)
    assert len(images) >= 10, len(images)
    assert html.count("Plotly.newPlot") == 2   # training snapshots and latent walk
    # the snapshot slider's steps: PNG data URIs in the figure's JSON (plotly writes "/" as \u002f)
    assert html.count("data:image\\u002fpng;base64,") >= 10
    assert html.count("<table") >= 6   # networks, GANs, sweep, recreations, judged, claims
    assert "Traceback" not in html and "Claim(" not in html   # no stray repr output


def test_chapter_pages_offer_their_executed_notebook_and_source_for_download(built_site):
    """The theme's download button: the MyST source and the executed notebook, both served
    by the site (offline), the notebook with the outputs the page shows."""
    import json

    for chapter in toc_chapters():
        html = (built_site / f"{chapter}.html").read_text()
        for suffix in (".md", ".ipynb"):
            assert f'href="../_sources/{chapter}{suffix}"' in html, f"{chapter}: no {suffix}"
        source = built_site / "_sources" / f"{chapter}.md"
        assert source.read_text() == (REPO / f"{chapter}.md").read_text()
        notebook = json.loads((built_site / "_sources" / f"{chapter}.ipynb").read_text())
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        with_outputs = sum(bool(c.get("outputs")) for c in code)
        assert len(code) == (REPO / f"{chapter}.md").read_text().count("```{code-cell}")
        assert with_outputs >= len(code) // 2, f"{chapter}: {with_outputs} of {len(code)}"


def test_aae_chapter_has_its_figures_tables_and_kernel_free_figure(built_site):
    html = (built_site / "book" / "adversarial-autoencoders.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', html)
    assert len(images) >= 8, len(images)   # diagram, codes, grid, samples, bars, styles, ...
    assert html.count("Plotly.newPlot") == 1   # the code plane
    assert "plotly_hover" in html             # its hover script came with it
    assert html.count("<table") >= 6   # networks, prior, Parzen, Table 2, clusters, claims
    assert "Traceback" not in html and "Claim(" not in html


def test_latent_space_chapter_has_its_figures_tables_and_interactive_figures(built_site):
    html = (built_site / "book" / "latent-space-size.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', html)
    assert len(images) >= 10, len(images)   # diagram, errors, grids, norms, surfaces, weights
    for src in images:
        assert (built_site / "book" / src).stat().st_size > 2_000, src
    assert html.count("Plotly.newPlot") == 2   # the latent-size twin and the 3-D loss surface
    assert '"type": "surface"' in html or '"type":"surface"' in html
    assert html.count("<table") >= 5   # models, errors, Frechet, weights, claims
    assert "Traceback" not in html and "Claim(" not in html
