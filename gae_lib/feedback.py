"""nbgrader's feedback pages with the prose's numbers as the student's run gave them:
nbconvert renders them without jupyterlab-myst, so each {eval} number of the graded edition
becomes plain text first (``edition.prose_as_run``).  Named in the course's
``nbgrader_config.py`` (``gae_lib.assignments``)."""
from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .edition import prose_as_run


class ProseOfTheRun(Preprocessor):
    """The prose's {eval} numbers as plain text: the run's value, or the book's, marked."""

    enabled = Bool(True)   # nbgrader registers it without enabling it (nbconvert's default)

    def preprocess(self, nb, resources):
        prose_as_run(nb.cells)
        return nb, resources
