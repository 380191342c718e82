"""NeuronChain and CostOfOneExample move: the network folds into the chain, a signal travels along
every edge, and CostOfOneExample starts from the very picture NeuronChain ends on.

Checked on the rendered frames (tiny), not on the scene's objects: what a viewer sees.
"""

from __future__ import annotations

import av
import numpy as np
import pytest
from conftest import render_scene

from scenes.kit.stage import CHAIN_CENTER, CHAIN_RADIUS, CHAIN_SPACING

SIZE = (256, 144)
FRAME_RATE = 5  # render_scene's
FRAME_WIDTH, FRAME_HEIGHT = 14.222, 8.0


def frames_of(media, name: str) -> list[np.ndarray]:
    video = next(media.rglob(f"{name}.mp4"))
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(container.streams.video[0])]


def column(x: float) -> int:
    return int(round((x / FRAME_WIDTH + 0.5) * SIZE[0]))


def row(y: float) -> int:
    return int(round((0.5 - y / FRAME_HEIGHT) * SIZE[1]))


def at(seconds: float) -> int:
    """The index of the frame shown at ``seconds`` of the video."""
    return int(round(seconds * FRAME_RATE))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with pytest.MonkeyPatch.context() as monkeypatch:
        chain = render_scene("NeuronChain", media, None, monkeypatch, size=SIZE)
        cost = render_scene("CostOfOneExample", media, None, monkeypatch, size=SIZE)
    return {"NeuronChain": (chain, frames_of(media, "NeuronChain")),
            "CostOfOneExample": (cost, frames_of(media, "CostOfOneExample"))}


def test_the_network_folds_into_the_chain(rendered):
    scene, frames = rendered["NeuronChain"]
    idea = scene.ideas[0]
    drawn, folded = idea.animations[0][1], idea.animations[scene.L + 1][1]  # Create, then one fold per layer
    below_chain = slice(row(CHAIN_CENTER[1] - CHAIN_RADIUS - 0.3), SIZE[1])

    def lit_below(seconds: float) -> float:
        frame = frames[min(at(seconds), len(frames) - 1)]
        return float((frame[below_chain].max(axis=2) > 60).mean())

    assert lit_below(drawn - 0.1) > 0.02, "the many-neuron network fills the frame below the chain's row"
    assert lit_below(folded - 0.1) < 0.002, "folded into the chain's row: nothing below it yet"


def travels(heads: list[float], frames: int = 3, distance: float = 0.3) -> bool:
    """Whether ``frames`` frames in a row show the signal further along than the frame before,
    covering ``distance`` (a share of the edge's length) between them."""
    for i in range(len(heads) - frames + 1):
        run = heads[i : i + frames]
        if all(a < b for a, b in zip(run, run[1:])) and run[-1] - run[0] > distance:
            return True
    return False


def test_a_signal_travels_along_every_edge(rendered):
    scene, frames = rendered["NeuronChain"]
    forward = scene.ideas[1]
    y = CHAIN_CENTER[1]
    strip = slice(row(y) - 2, row(y) + 3)
    xs = [CHAIN_CENTER[0] + (l - scene.L / 2) * CHAIN_SPACING for l in range(scene.L + 1)]
    for l in range(1, scene.L + 1):
        left, right = column(xs[l - 1] + CHAIN_RADIUS), column(xs[l] - CHAIN_RADIUS)
        heads = []  # where along the edge the gold signal is, frame by frame
        for frame in frames[at(forward.start):at(forward.end)]:
            part = frame[strip, left:right].astype(int)
            # gold: red high, blue well below it (over a blue edge the dot's blue rises to about 155)
            red, green, blue = part[..., 0], part[..., 1], part[..., 2]
            gold = (red > 190) & (green > 130) & (green < 215) & (blue < red - 40)
            if gold.any():
                heads.append(np.flatnonzero(gold.any(axis=0)).mean() / (right - left))
        assert travels(heads), f"no signal travels along edge {l}: {heads}"


def test_cost_of_one_example_starts_from_the_picture_neuron_chain_ends_on(rendered):
    last = rendered["NeuronChain"][1][-1].astype(int)
    first = rendered["CostOfOneExample"][1][0].astype(int)
    differ = (np.abs(last - first).max(axis=2) > 40).mean()
    assert differ < 0.003, f"{differ:.2%} of the pixels differ"
    assert (last.max(axis=2) > 60).mean() > 0.02  # and it is a picture, not a black frame


def test_the_square_of_the_error_grows_as_the_output_moves_off_and_back(rendered):
    from scenes.cost import COST_Y, LINE_Y

    scene, frames = rendered["CostOfOneExample"]
    cost = next(idea for idea in scene.ideas if idea.name == "cost")
    band = slice(row(LINE_Y - 0.1), row(COST_Y + 0.45))  # under the number line, above C0

    def red(frame: np.ndarray) -> int:
        part = frame[band].astype(int)
        return int(((part[..., 0] > 70) & (part[..., 0] > 2 * part[..., 1])).sum())

    areas = [red(frame) for frame in frames[at(cost.start):at(cost.end)]]
    assert areas[0] < 5, "no square before the cost idea squares the error"
    assert max(areas) > 2.5 * areas[-1] > 0, "the square grows while the output moves off, and is back at the end"
