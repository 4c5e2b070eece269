"""The book's chapters as the TOC lists them, and their QUICK parameters: shared by the
papermill tests and `make bench` (not a page of the book)."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import yaml

BOOK = Path(__file__).resolve().parent
REPO = BOOK.parent


def toc_pages() -> list[str]:
    """Every page of _toc.yml (without suffix), the root first."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", [toc]):
        pages += [c["file"] for c in part.get("chapters", [])]
    return pages


def is_notebook(page: str) -> bool:
    """A chapter with code (a jupytext MyST notebook), not a plain Markdown page."""
    head = (REPO / f"{page}.md").read_text().split("\n---", 1)[0]
    return head.startswith("---") and "kernelspec:" in head


def toc_chapters() -> list[str]:
    """The executable chapters of _toc.yml, the root first."""
    return [page for page in toc_pages() if is_notebook(page)]


# Wall-time budgets on 2 idle CPU cores from the shipped models, checked by `make bench`:
# a chapter in QUICK mode (tests) and in full mode (the website), and its longest cell in
# full mode (the build's per-cell timeout in _config.yml leaves room for a machine ~15x
# slower than that: a laptop shared with other work).
TIME_BUDGETS_S = {"book/comparison-of-encodings": {"quick": 90, "full": 300}}
DEFAULT_BUDGET_S = {"quick": 90, "full": 360}
CELL_BUDGET_S = 120


def time_budget(chapter: str, mode: str) -> float:
    return TIME_BUDGETS_S.get(chapter, DEFAULT_BUDGET_S)[mode]


def quick_parameters(chapter: str) -> dict:
    """Small, fast papermill parameters of a chapter; {} runs it on its defaults."""
    return json.loads((BOOK / "quick-parameters.json").read_text()).get(chapter, {})


def glued_values(notebook: dict) -> dict:
    """Every value a chapter glued (myst_nb.glue), read from an executed notebook's outputs:
    numbers and strings as Python values (literal_eval of the text form; nothing unpickled)."""
    values = {}
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            record = out.get("metadata", {}).get("scrapbook", {})
            name = record.get("name")
            text = out.get("data", {}).get(record.get("mime_prefix", "") + "text/plain")
            if name and text is not None:
                text = "".join(text) if isinstance(text, list) else text
                try:
                    values[name] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    values[name] = text
    return values
