"""nncore: the math of the lesson, in numpy only (never imports manim).

Networks and activations (a softmax output among them), the costs (squared error, binary
cross-entropy, cross-entropy), forward and backward passes with every intermediate, the chain
rule's factors, the path terms, nudges of one quantity, gradient descent and a gradient check.
One layer convention throughout (:mod:`nncore.sites`): layer 0 is the input, L the output, and a
quantity's layer is the l of its name (w_jk(l), b_j(l), a_j(l)).
"""

from nncore.activations import (
    ACTIVATIONS,
    OUTPUTS,
    SOFTMAX,
    Activation,
    Output,
    Softmax,
    get_activation,
    get_output,
    log_sigmoid,
    log_softmax,
    softmax,
    softmax_jacobian,
)
from nncore.chainrule import (
    Factors,
    PathFactor,
    bias_factors,
    chain_path_factors,
    path_terms,
    previous_activation_factors,
    weight_factors,
)
from nncore.cost import (
    BINARY_CROSS_ENTROPY,
    COSTS,
    CROSS_ENTROPY,
    SQUARED_ERROR,
    BinaryCrossEntropy,
    Cost,
    CostNotation,
    CrossEntropy,
    SquaredError,
    cost_derivative,
    cost_of_outputs,
    get_cost,
    output_error,
)
from nncore.descent import DescentHistory, gradient_check, gradient_descent, numerical_gradients
from nncore.network import Forward, Gradients, Network
from nncore.sensitivity import Nudge, cost_along, forward_with, nudge, value_at
from nncore.sites import ActivationAt, BiasAt, Parameter, Site, WeightAt

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "Softmax",
    "SOFTMAX",
    "softmax",
    "log_softmax",
    "log_sigmoid",
    "softmax_jacobian",
    "Output",
    "OUTPUTS",
    "get_output",
    "Network",
    "Forward",
    "Gradients",
    "WeightAt",
    "BiasAt",
    "ActivationAt",
    "Site",
    "Parameter",
    "COSTS",
    "get_cost",
    "SQUARED_ERROR",
    "BINARY_CROSS_ENTROPY",
    "CROSS_ENTROPY",
    "Cost",
    "SquaredError",
    "BinaryCrossEntropy",
    "CrossEntropy",
    "CostNotation",
    "output_error",
    "cost_of_outputs",
    "cost_derivative",
    "Factors",
    "PathFactor",
    "weight_factors",
    "bias_factors",
    "previous_activation_factors",
    "path_terms",
    "chain_path_factors",
    "Nudge",
    "nudge",
    "forward_with",
    "cost_along",
    "value_at",
    "DescentHistory",
    "gradient_descent",
    "numerical_gradients",
    "gradient_check",
]
