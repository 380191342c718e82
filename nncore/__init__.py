"""nncore: the math of the lesson, in numpy only (never imports manim).

Networks and activations, forward and backward passes with every intermediate, the chain rule's
factors, the path terms, nudges, gradient descent and a gradient check.
"""

from nncore.activations import ACTIVATIONS, Activation, get_activation
from nncore.chainrule import (
    Factors,
    Nudge,
    PathFactor,
    bias_factors,
    chain_path_factors,
    cost_derivative,
    cost_of_example,
    nudge,
    path_terms,
    previous_activation_factors,
    weight_factors,
)
from nncore.descent import DescentHistory, gradient_check, gradient_descent, numerical_gradients
from nncore.network import Forward, Gradients, Network
from nncore.sensitivity import nudge_activation

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "Network",
    "Forward",
    "Gradients",
    "Factors",
    "PathFactor",
    "Nudge",
    "cost_of_example",
    "cost_derivative",
    "weight_factors",
    "bias_factors",
    "previous_activation_factors",
    "path_terms",
    "chain_path_factors",
    "nudge",
    "nudge_activation",
    "DescentHistory",
    "gradient_descent",
    "numerical_gradients",
    "gradient_check",
]
