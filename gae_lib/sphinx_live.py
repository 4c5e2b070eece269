"""Sphinx extension: every ONNX file a page's live sliders load is in the website.

The chapters export their networks when they execute (gae_lib.widgets.live), but a page can
come from the execution cache of an earlier build, after ``book/_static/live/`` was deleted.
Before Sphinx copies the static files, this exports whatever a written page names and is
missing (from the zoo checkpoint the page's configuration names).
"""

from __future__ import annotations

import json
import re

CONFIG = re.compile(r'<script type="application/json" class="gae-live-config">(.*?)</script>',
                    re.S)


def needed_files(body: str):
    """(checkpoint, network, site path) of every model file the page's widgets load."""
    for text in CONFIG.findall(body):
        config = json.loads(text)   # written by BrowserSliders: "</" escaped as "<\\/"
        yield "book/classifier", "classifier", config["classifier"]
        for m in config["models"]:
            yield m["checkpoint"], "generator", m["generator"]


def export_missing(app, pagename, templatename, context, doctree):
    from . import export
    from .widgets import live

    for checkpoint, network, url in needed_files(context.get("body", "")):
        path = export.export_network(checkpoint, network, live.LIVE)  # skipped when present
        if live.site_path(path) != url:
            raise RuntimeError(f"{pagename}: the page loads {url}, the export wrote "
                               f"{live.site_path(path)}")


def setup(app):
    app.connect("html-page-context", export_missing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
