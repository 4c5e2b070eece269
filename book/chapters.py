"""The book's chapters as the TOC lists them, and their QUICK parameters: shared by the
papermill tests and `make bench` (not a page of the book)."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

BOOK = Path(__file__).resolve().parent
REPO = BOOK.parent


def toc_chapters() -> list[str]:
    """Every chapter file of _toc.yml (without suffix), the root first."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    chapters = [toc["root"]]
    for part in toc.get("parts", [toc]):
        chapters += [c["file"] for c in part.get("chapters", [])]
    return chapters


def quick_parameters(chapter: str) -> dict:
    """Small, fast papermill parameters of a chapter; {} runs it on its defaults."""
    return json.loads((BOOK / "quick-parameters.json").read_text()).get(chapter, {})
