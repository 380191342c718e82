"""The lesson's two stages: where the chain and the network stand, the same in every scene.

A scene that continues an earlier one starts from the same picture in the same place, so the
positions live here, once. Scenes put formulas in the free space the stage leaves:

- the chain stage is a row across the top of the frame (formulas below it);
- the network stage is the left half of the frame (formulas to its right).
"""

from __future__ import annotations

import numpy as np
from manim import LEFT, UP

__all__ = ["CHAIN_CENTER", "CHAIN_SPACING", "CHAIN_RADIUS", "NETWORK_CENTER", "NETWORK_WIDTH", "NETWORK_HEIGHT",
           "NETWORK_RADIUS", "FORMULA_AREA_CHAIN", "FORMULA_AREA_NETWORK"]

# The chain: neurons a(0)..a(L) in a row (4 neurons span 10.4 of the frame's 14.2 units).
CHAIN_CENTER: np.ndarray = 1.9 * UP + 0.6 * LEFT
CHAIN_SPACING = 3.2
CHAIN_RADIUS = 0.42

# The network: its layers from left to right in the left half, with its cost node.
NETWORK_CENTER: np.ndarray = 2.95 * LEFT + 0.1 * UP
NETWORK_WIDTH = 6.2
NETWORK_HEIGHT = 4.8
NETWORK_RADIUS = 0.36

# Centres of the free space each stage leaves for formulas.
FORMULA_AREA_CHAIN: np.ndarray = 1.4 * np.array([0.0, -1.0, 0.0])
FORMULA_AREA_NETWORK: np.ndarray = 3.6 * np.array([1.0, 0.0, 0.0])
