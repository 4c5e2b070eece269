"""The chapters' interactive figures.  Each live widget (ipywidgets, needs a kernel) has a
kernel-free twin in ``static``: a plotly figure whose slider steps were computed in advance,
so a reader of the website can still move it.  Widgets call the library; they never train."""
from .completion import CompletionWidget
from .latent import LatentSliders, principal_directions
from .plane import DecisionPlane
from .progress import TrainingSnapshots
from . import static

__all__ = [
    "CompletionWidget",
    "LatentSliders",
    "DecisionPlane",
    "TrainingSnapshots",
    "principal_directions",
    "static",
]
