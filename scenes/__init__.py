"""The lesson's Manim scenes, in story order.

Scene classes load lazily (``from scenes import NeuronChain``): ``manim render scenes/x.py``
loads a scene file by path as ``scenes.x`` before this package, and an eager import here would
import that half-loaded module again.
"""

from __future__ import annotations

import importlib

__all__ = [
    "NeuronChain",
    "CostOfOneExample",
    "CostTree",
    "ChainRule",
    "AverageOverExamples",
    "GradientVector",
    "BiasAndPreviousActivation",
    "BackwardsThroughChain",
    "MultiNeuronNotation",
    "WeightDerivativeWithIndices",
    "SumOverPaths",
    "GeneralRecursion",
    "GradientDescent",
]

# Scene name -> module, in story order.
LESSON: dict[str, str] = {
    "NeuronChain": "scenes.neuron_chain",
    "CostOfOneExample": "scenes.cost",
    "CostTree": "scenes.cost_tree",
    "ChainRule": "scenes.chain_rule",
    "AverageOverExamples": "scenes.averaging",
    "GradientVector": "scenes.averaging",
    "BiasAndPreviousActivation": "scenes.other_factors",
    "BackwardsThroughChain": "scenes.other_factors",
    "MultiNeuronNotation": "scenes.many_neurons",
    "WeightDerivativeWithIndices": "scenes.many_neurons",
    "SumOverPaths": "scenes.many_neurons",
    "GeneralRecursion": "scenes.recursion",
    "GradientDescent": "scenes.descent",
}


def __getattr__(name: str):
    if name in LESSON:
        return getattr(importlib.import_module(LESSON[name]), name)
    raise AttributeError(f"module 'scenes' has no attribute {name!r}")
