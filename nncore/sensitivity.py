"""How the cost responds to a nudge of one activation (not a parameter).

A nudge of a_k(l-1) reaches the cost through every neuron j of layer l, so measuring it checks
the sum over paths ∂C0/∂a_k(l-1) = Σ_j w_jk(l) σ'(z_j(l)) ∂C0/∂a_j(l).
"""

from __future__ import annotations

import numpy as np

from nncore.chainrule import Nudge
from nncore.network import Forward, Network

__all__ = ["nudge_activation"]


def nudge_activation(net: Network, x, y, delta: float, layer: int, k: int = 0) -> Nudge:
    """Add ``delta`` to a_k(layer) and run the layers after it forward again.

    ``layer`` is 0..L-1 (a nudge of the output a(L) itself would skip every weight). In
    ``after``, layers up to ``layer`` keep their z; ``after.a[layer]`` holds the nudged
    activation and the later layers are recomputed from it:
    z(m) = W(m) a(m-1) + b(m), a(m) = σ(z(m)) for m = layer+1..L. ``derivative`` is
    ∂C0/∂a_k(layer) from the backward pass, so ``ratio`` ΔC0/Δa approaches it as Δ shrinks.

    Examples
    --------
    >>> net = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22])
    >>> n = nudge_activation(net, [0.5], [1.0], 1e-6, layer=2)
    >>> round(n.ratio, 3), round(n.derivative, 3)
    (-0.139, -0.139)
    """
    if not np.isfinite(delta) or delta == 0:
        raise ValueError(f"delta must be a finite nonzero number, got {delta!r}")
    if not 0 <= layer < net.depth:
        raise ValueError(f"layer must be 0..{net.depth - 1}, got {layer}")
    if not 0 <= k < net.sizes[layer]:
        raise ValueError(f"k must be 0..{net.sizes[layer] - 1}, got {k}")
    before = net.forward(x)
    z = [v.copy() for v in before.z[: layer + 1]]
    a = [v.copy() for v in before.a[: layer + 1]]
    a[layer][k] += delta
    for m in range(layer + 1, net.depth + 1):
        z.append(net.weights[m - 1] @ a[-1] + net.biases[m - 1])
        a.append(net.activation(z[-1]))
    y = np.asarray(y, dtype=float)
    return Nudge(
        delta=float(delta),
        before=before,
        after=Forward(z, a),
        cost_before=net.cost(x, y),
        cost_after=float(np.sum((a[-1] - y) ** 2)),
        derivative=float(net.backward(x, y).activations[layer][k]),
    )
