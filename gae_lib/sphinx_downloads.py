"""Sphinx extension: every chapter page offers its executed notebook (.ipynb) for download,
beside its MyST source (.md) that the theme offers already.

sphinx-book-theme copies a Markdown notebook's .ipynb into ``_sources/`` (where its download
button links) only when launch buttons (Binder, Colab, ...) are configured; the website has
none (no live kernel).  And the copy myst-nb leaves in ``jupyter_execute/`` has no outputs
when the page came from the execution cache (myst-nb merges the cached outputs into another
notebook object).  So this merges the cached outputs itself, as myst-nb does to render the
page, writes the result to ``_sources/``, and names it for the theme's button.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat


def executed_notebook(app, pagename: str):
    """The page's notebook with the outputs the page shows, or None."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    path = Path(app.env.doc2path(pagename))
    text = path.read_text(encoding="utf8")
    config = app.env.mystnb_config
    reader = create_nb_reader(str(path), app.env.myst_config, config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    # The kernel alias myst-nb applies before matching (nb_kernel_rgx_aliases): the cache key
    # includes the kernelspec.
    kernel = notebook.metadata.get("kernelspec", {})
    for pattern, alias in (config.kernel_rgx_aliases or {}).items():
        if kernel.get("name") and re.fullmatch(pattern, kernel["name"]):
            kernel["name"] = alias
            break
    try:
        _, merged = get_cache(config.execution_cache_path or ".jupyter_cache") \
            .merge_match_into_notebook(notebook)
    except KeyError:
        return None
    return merged


def offer_notebook(app, pagename, templatename, context, doctree):
    is_notebook = "kernelspec" in app.env.metadata.get(pagename, {})
    if not is_notebook or not context.get("sourcename", "").endswith((".md", ".md.txt")):
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    merged = executed_notebook(app, pagename) if app.config.nb_execution_mode == "cache" else None
    if merged is not None:
        nbformat.write(merged, target)
    else:   # executed in place (modes "force", "auto"): myst-nb's copy has the outputs
        executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
        if not executed.exists():
            return
        shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # Before the theme's header buttons (priority 501) read ``ipynb_source``.
    app.connect("html-page-context", offer_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
