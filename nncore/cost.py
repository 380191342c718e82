"""The cost, written once: the squared error of the outputs and its derivative."""

from __future__ import annotations

import numpy as np

__all__ = ["cost_of_outputs", "cost_derivative"]


def cost_of_outputs(a_out, y) -> float:
    """C0 = Σ_j (a_j(L) - y_j)^2 of one example; for a batch (one row per example) the average
    cost C = (1/n) Σ_k C_k."""
    errors = np.asarray(a_out, float) - np.asarray(y, float)
    return float(np.mean(np.sum(errors**2, axis=-1)))


def cost_derivative(a_out, y) -> np.ndarray:
    """∂C0/∂a_j(L) = 2 (a_j(L) - y_j): proportional to the error a_j(L) - y_j."""
    return 2.0 * (np.asarray(a_out, float) - np.asarray(y, float))
