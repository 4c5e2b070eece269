"""The zoo per document: each module here is named by a bibliography key
(``book/references.bib``) and holds the configurations of that document's models and the
notes saying why each was trained as it was.  ``book`` holds the book's own instruments
(the classifier that judges every model's samples).

    >>> from gae_lib import documents
    >>> documents.config("favuzzi2019/dcgan").epochs
    >>> documents.training_order("favuzzi2019")     # dependencies first
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from ..config import TrainConfig
from ..families import family_of

DOCUMENTS: dict[str, ModuleType] = {
    info.name: importlib.import_module(f"{__name__}.{info.name}")
    for info in pkgutil.iter_modules(__path__)}


def configs(document: str | None = None) -> dict[str, TrainConfig]:
    """Every configuration (of one document), by zoo name."""
    if document is not None and document not in DOCUMENTS:
        raise ValueError(f"unknown document {document!r}; expected one of {', '.join(DOCUMENTS)}")
    keys = [document] if document else list(DOCUMENTS)
    return {c.name: c for key in keys for c in DOCUMENTS[key].CONFIGS}


def config(name: str) -> TrainConfig:
    """The configuration of the zoo model ``DOCUMENT/MODEL``."""
    known = configs()
    if name not in known:
        from ..zoo import RENAMED
        hint = f" (it is now {RENAMED[name]!r})" if name in RENAMED else ""
        raise ValueError(f"unknown model {name!r}{hint}; expected one of {', '.join(known)}")
    return known[name]


def notes(name: str) -> str:
    """Why the model ``name`` was trained as it was (written into its JSON)."""
    document, _, model = name.partition("/")
    return getattr(DOCUMENTS.get(document), "NOTES", {}).get(model, "")


def training_order(document: str | None = None) -> list[str]:
    """The models of ``document`` (default: all) with everything they need first: a frozen
    generator before its encoder, the classifier before any model it measures."""
    known = configs()
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in path:
            raise ValueError(f"circular dependency: {' -> '.join(path + (name,))}")
        if name not in known:
            raise ValueError(f"{path[-1]} needs {name!r}, which no document configures")
        for need in sorted(family_of(known[name]).needs(known[name])):
            visit(need, path + (name,))
        order.append(name)

    for name in configs(document):
        visit(name, ())
    return order
