"""The book builds, executed, with warnings as errors, and the intro shows its figures and numbers."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jupyter_cache import get_cache

from conftest import REPO

sys.path.insert(0, str(REPO / "book"))
from chapters import toc_chapters  # noqa: E402


@pytest.fixture(scope="module")
def built_site(tmp_path_factory, cache) -> Path:
    out = tmp_path_factory.mktemp("book")
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    config["execute"]["cache"] = str(out / "jupyter_cache")  # a fresh cache: every cell runs
    (out / "_config.yml").write_text(yaml.safe_dump(config))
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(REPO), "-W", "--path-output", str(out),
                           "--config", str(out / "_config.yml")],
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "build succeeded" in proc.stdout
    return out / "_build" / "html"


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
    """Nothing silently skipped: each TOC chapter has an executed, error-free notebook in the
    build's (fresh) execution cache."""
    cache = get_cache(built_site.parent.parent / "jupyter_cache")
    records = {Path(r.uri).resolve(): r for r in cache.list_project_records()}
    for chapter in toc_chapters():
        record = records.get((REPO / f"{chapter}.md").resolve())
        assert record is not None, f"{chapter} was not executed by the build"
        assert not record.traceback, f"{chapter} raised while executing:\n{record.traceback}"
        assert cache.get_cached_project_nb(record.pk) is not None, \
            f"{chapter}: no executed notebook in the cache (execution failed or was skipped)"
