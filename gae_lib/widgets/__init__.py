"""The chapters' interactive figures.  Each live widget (ipywidgets, needs a kernel) has a
kernel-free twin in ``static``: a plotly figure whose slider steps were computed in advance,
so a reader of the website can still move it.  Widgets call the library; they never train a
zoo model (``TestbedTraining`` trains MLPs of a few thousand weights on 2-D points, live)."""
try:
    import ipywidgets  # noqa: F401
    import plotly  # noqa: F401
except ImportError as err:
    raise ImportError(f"gae_lib.widgets needs ipywidgets and plotly ({err.name} is missing): "
                      f"pip install -e '.[book]'") from err

from .code_plane import CodePlane
from .completion import CompletionWidget
from .latent import LatentSliders, principal_directions
from .latent_size import LatentSizeSlider
from .plane import DecisionPlane
from .progress import TrainingSnapshots
from .same_code import SameCodeSliders
from .testbed import TestbedTraining
from . import static

__all__ = [
    "CodePlane",
    "CompletionWidget",
    "LatentSliders",
    "LatentSizeSlider",
    "DecisionPlane",
    "TrainingSnapshots",
    "SameCodeSliders",
    "TestbedTraining",
    "principal_directions",
    "static",
]
