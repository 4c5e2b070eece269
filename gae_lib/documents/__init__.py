"""The zoo per document: each module here is named by a bibliography key
(``book/references.bib``) and holds the configurations of that document's models and the
notes saying why each was trained as it was.  ``book`` holds the book's own instruments
(the classifier that judges every model's samples).

    >>> from gae_lib import documents
    >>> documents.config("favuzzi2019/dcgan").epochs
    >>> documents.training_order("favuzzi2019")     # dependencies first
    >>> documents.config("favuzzi2019/dcgan-seed1").seed   # another training seed: 1

A model trained with another seed than its configuration's is ``NAME-seedK`` (K the
training seed: initial weights and data order); ``NAME`` itself is the configured seed.
"""
from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
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


SEEDED = re.compile(r"(?P<base>.+)-seed(?P<seed>[0-9]+)")


def seeded(cfg: TrainConfig, seed: int) -> TrainConfig:
    """``cfg`` trained with another training seed: named ``NAME-seedK``, its frozen networks
    (an encoder's generator) taken from the same seed's models.  The configured seed is
    ``cfg`` itself."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed: expected a whole number >= 0, got {seed!r}")
    if seed == cfg.seed:
        return cfg
    if SEEDED.fullmatch(cfg.name):
        raise ValueError(f"{cfg.name} is already one seed of a configured set (its name ends "
                         f"in -seedK); train the set's other members by their names instead")
    known = configs()
    # An objective field naming another zoo model (encoder-for-gan's frozen_generator)
    # follows the seed: the encoder of seed K inverts the generator of seed K.
    objective = {f.name: seeded(known[value], seed).name
                 for f in dataclasses.fields(cfg.objective)
                 if isinstance(value := getattr(cfg.objective, f.name), str) and value in known}
    return cfg.with_(name=f"{cfg.name}-seed{seed}", seed=seed, **objective)


def config(name: str) -> TrainConfig:
    """The configuration of the zoo model ``DOCUMENT/MODEL`` (or ``DOCUMENT/MODEL-seedK``: the
    same with training seed K)."""
    known = configs()
    match = SEEDED.fullmatch(name) if isinstance(name, str) else None
    if name not in known and match and match["base"] in known:
        base = known[match["base"]]
        if int(match["seed"]) == base.seed:
            raise ValueError(f"{name!r} is {base.name!r} itself (its configured seed is "
                             f"{base.seed}); use that name")
        return seeded(base, int(match["seed"]))
    if name not in known:
        from ..zoo import RENAMED
        hint = f" (it is now {RENAMED[name]!r})" if name in RENAMED else ""
        raise ValueError(f"unknown model {name!r}{hint}; expected one of {', '.join(known)}")
    return known[name]


def notes(name: str) -> str:
    """Why the model ``name`` was trained as it was (written into its JSON)."""
    document, _, model = name.partition("/")
    found = getattr(DOCUMENTS.get(document), "NOTES", {})
    match = SEEDED.fullmatch(model)
    if model not in found and match and match["base"] in found:
        return (f"{found[match['base']]} Training seed {match['seed']} (initial weights and "
                f"data order); otherwise as {document}/{match['base']}.")
    return found.get(model, "")


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
