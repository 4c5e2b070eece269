"""Every measurement the five documents use, on batched tensors (see each module)."""

from .reconstruction import reconstruction_error
from .density import (
    binomial_interval,
    densities_of_encoding,
    density_of_encoding,
    outlier_threshold,
)
from .modes import mode_coverage
from .samples import digit_statistics, reconstruction_mse, stacked_mode_coverage, test_accuracy
from .separability import (
    LinearSeparability,
    cross_validated_separability,
    linear_separability,
    pca_2d,
)
from .frechet import (
    FrechetReference,
    FrechetResult,
    classifier_features,
    frechet_distance,
    frechet_with_floor,
)
from .novelty import nearest_distances
from .parzen import ParzenResult, parzen_log_likelihood
from .clustering import clustering_accuracy, majority_accuracy, many_to_one_error
from .mmd import mmd_squared
from .sharpness import laplacian_variance
from .convexity import path_leaves_class
from .surfaces import (
    DecisionMap,
    decision_border_map,
    latent_plane,
    loss_surface,
    plane_through,
    random_plane,
)

__all__ = [
    "reconstruction_error",
    "binomial_interval",
    "density_of_encoding",
    "densities_of_encoding",
    "outlier_threshold",
    "mode_coverage",
    "digit_statistics",
    "reconstruction_mse",
    "stacked_mode_coverage",
    "test_accuracy",
    "LinearSeparability",
    "linear_separability",
    "cross_validated_separability",
    "pca_2d",
    "laplacian_variance",
    "FrechetReference",
    "FrechetResult",
    "classifier_features",
    "frechet_distance",
    "frechet_with_floor",
    "nearest_distances",
    "ParzenResult",
    "parzen_log_likelihood",
    "clustering_accuracy",
    "majority_accuracy",
    "many_to_one_error",
    "mmd_squared",
    "path_leaves_class",
    "DecisionMap",
    "decision_border_map",
    "latent_plane",
    "loss_surface",
    "plane_through",
    "random_plane",
]
