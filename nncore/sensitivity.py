"""What changing one quantity does to the cost: a weight, a bias or an activation.

One API for all three, with the lesson's layer convention (see :mod:`nncore.sites`): the l of the
quantity's name. A nudge of a_k(l-1) reaches the cost through every neuron j of layer l, so
measuring it checks the sum over paths ∂C0/∂a_k(l-1) = Σ_j w_jk(l) σ'(z_j(l)) ∂C0/∂a_j(l).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore.network import Forward, Network
from nncore.sites import ActivationAt, Site

__all__ = ["Nudge", "nudge", "forward_with", "cost_along", "value_at"]


def value_at(net: Network, fwd: Forward, site: Site) -> float | np.ndarray:
    """The quantity at ``site``: a parameter of ``net``, or an activation of the pass ``fwd`` (one
    per example for a batch)."""
    site.check(net.sizes)
    if isinstance(site, ActivationAt):
        return fwd.a[site.layer][..., site.j]
    return net.parameter(site)


def forward_with(net: Network, x, site: Site, value: float) -> Forward:
    """The forward pass of ``x`` with the quantity at ``site`` set to ``value``.

    For a weight or a bias, the whole pass of the changed network. For an activation a_j(l), the
    pass resumed from layer l (:meth:`Network.resume`): earlier layers and z(l) as they were.
    """
    site.check(net.sizes)
    if not isinstance(site, ActivationAt):
        return net.with_parameter(site, value).forward(x)
    fwd = net.forward(x)
    a = np.array(fwd.a[site.layer], dtype=float)
    a[..., site.j] = value
    return net.resume(fwd, site.layer, a)


def cost_along(net: Network, x, y, site: Site, values) -> np.ndarray:
    """The cost as a function of the quantity at ``site`` alone: its value at each of ``values``,
    everything else as it is (for a batch, the average cost)."""
    net.cost(x, y)  # checks the shapes of x and y once
    return np.array([net.cost_of(forward_with(net, x, site, v), y) for v in np.asarray(values, float)])


@dataclass(frozen=True)
class Nudge:
    """What a small change Δ of one quantity does: every intermediate before and after, the
    actual change of the cost, and the linear prediction (∂C0/∂quantity) · Δ."""

    delta: float
    before: Forward
    after: Forward
    cost_before: float
    cost_after: float
    derivative: float

    @property
    def cost_change(self) -> float:
        """ΔC0, measured."""
        return self.cost_after - self.cost_before

    @property
    def predicted_change(self) -> float:
        """(∂C0/∂quantity) · Δ, the chain rule's linear prediction."""
        return self.derivative * self.delta

    @property
    def ratio(self) -> float:
        """ΔC0 / Δ, which approaches ∂C0/∂quantity as Δ shrinks."""
        return self.cost_change / self.delta


def nudge(net: Network, x, y, delta: float, site: Site) -> Nudge:
    """Add ``delta`` to the quantity at ``site`` (a weight, a bias or an activation) and run
    forward again. ``derivative`` is ∂C0/∂quantity from the backward pass.

    Examples
    --------
    >>> from nncore.sites import ActivationAt, WeightAt
    >>> net = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22])
    >>> n = nudge(net, [0.5], [1.0], 1e-6, ActivationAt(2))
    >>> round(n.ratio, 3), round(n.derivative, 3)
    (-0.139, -0.139)
    >>> round(nudge(net, [0.5], [1.0], 0.001, WeightAt(3)).ratio, 3)
    -0.074
    """
    if not np.isfinite(delta) or delta == 0:
        raise ValueError(f"delta must be a finite nonzero number, got {delta!r}")
    before = net.forward(x)
    after = forward_with(net, x, site, value_at(net, before, site) + delta)
    return Nudge(
        delta=float(delta),
        before=before,
        after=after,
        cost_before=net.cost(x, y),
        cost_after=net.cost_of(after, y),
        derivative=float(net.backward(x, y).at(site)),
    )
