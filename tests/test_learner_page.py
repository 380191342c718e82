"""The learner's parts of the lesson page in real Chromium, without a render: checkpoints that
pause and resume, answers right and wrong, cue by cue playback, a voiced clip the browser will not
start by itself, the nudge sandbox and the network panel against nncore.

The page is the real one (``backprop.page.render_page`` for a real config); its clips are short
videos made here with PyAV, whose records (cues, the values they name) place real checkpoints.
"""

from __future__ import annotations

import json
import math
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from browser import Chromium
from conftest import config_file
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_lesson_costs import expected_network
from test_reliability import two_decimals

import nncore
from backprop import media
from backprop.assemble import Clip
from backprop.page import render_page
from lessonmodel.checkpoints import NUDGE, checkpoints_of
from lessonmodel.config import CROSS_ENTROPY_TOML, load_config
from lessonmodel.fmt import format_number
from lessonmodel.names import C0, bias, change, derivative, nudged, weight
from lessonmodel.record import CueRecord, IdeaRecord
from lessonmodel.sandbox import sandbox_spec
from lessonmodel.values import lesson_values

LEAD = 0.05  # backprop.page_checkpoints.PAUSE_LEAD: the clip stops this much before the cue


def make_clip(path: Path, seconds: float, voiced: bool = False, fps: int = 10) -> None:
    """A small H.264 clip whose frames brighten with time; ``voiced``: with a tone as its sound."""
    with av.open(str(path), mode="w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for n in range(round(seconds * fps)):
            image = np.full((36, 64, 3), int(255 * n / (seconds * fps)), np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = n
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    if voiced:
        silent = path.with_suffix(".silent.mp4")
        path.rename(silent)
        t = np.arange(round(seconds * media.AUDIO_RATE)) / media.AUDIO_RATE
        media.with_audio(silent, (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), path)
        silent.unlink()


def cues(scene: str, idea: str, starts: list[float], mentions: dict[int, str], length: float):
    """The clip's cues (media.Cue) and their record (id, start, end, the values each names)."""
    ends = starts[1:] + [length]
    subtitles = [media.Cue(s, e, f"cue {n + 1} of {idea}") for n, (s, e) in enumerate(zip(starts, ends))]
    said = [CueRecord(f"{scene}.{idea}.{n + 1}", c.text, c.text, c.start, c.end, [mentions[n]] if n in mentions else [])
            for n, c in enumerate(subtitles)]
    return subtitles, said


# The clips: a choice question (nudge-direction) at 3.0 s, a number question (bias-derivative) at
# 2.0 s, a clip with no question, and a voiced clip with no question.
CLIPS = [
    ("CostTree", "nudge", 6.0, [0.0, 1.5, 3.0, 4.5], {2: str(nudged(change(C0), weight(3), NUDGE))}, False),
    ("BiasAndPreviousActivation", "bias", 5.0, [0.0, 1.0, 2.0, 3.5], {2: str(derivative(C0, bias(3)))}, False),
    ("ChainRule", "product", 3.0, [0.0, 1.0], {}, False),
    ("GradientDescent", "rule", 4.0, [0.0, 2.0], {}, True),
]


def build_page(folder: Path, config: Path | None = None) -> Path:
    """The lesson page for ``config`` (default: the shipped one) over the clips above, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    clips, start = [], 0.0
    for number, (scene, idea, length, starts, mentions, voiced) in enumerate(CLIPS, 1):
        stem = f"{number:02}_{scene}_{idea}"
        if not (folder / f"{stem}.mp4").exists():
            make_clip(folder / f"{stem}.mp4", length, voiced)
            (folder / f"{stem}.png").write_bytes(media_poster(folder / f"{stem}.mp4"))
        subtitles, said = cues(scene, idea, starts, mentions, length)
        record = IdeaRecord(idea, narration=" ".join(c.text for c in subtitles), cues=said)
        clips.append(Clip(number, scene, record, stem, f"{stem}.mp4", f"{stem}.png", duration=length, start=start,
                          cues=subtitles))
        start += length
    (folder / "lesson.mp4").write_bytes((folder / f"{clips[0].stem}.mp4").read_bytes())
    cfg = load_config(config)
    values = {"config": {"file": "lesson.toml", "text": cfg.text}, "scenes": {}}
    page = folder / "index.html"
    page.write_text(render_page(clips, values, "lesson.mp4", lesson=cfg), encoding="utf-8")
    return page


def media_poster(clip: Path) -> bytes:
    target = clip.with_suffix(".poster.png")
    media.poster(clip, target)
    data = target.read_bytes()
    target.unlink()
    return data


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    return build_page(tmp_path_factory.mktemp("learner") / "lesson")


@pytest.fixture(scope="module")
def browser():
    with Chromium() as chromium:
        chromium.viewport(1000, 800)
        yield chromium


def checkpoint_of(cid: str):
    return next(c for c in checkpoints_of(load_config()) if c.id == cid)


STATE = """((cid) => {
  const point = document.querySelector(`[data-checkpoint="${cid}"]`);
  const section = point.closest('section.clip');
  const video = section.querySelector('video');
  const rect = point.getBoundingClientRect();
  return {state: point.dataset.state || null, hidden: point.hidden, paused: video.paused, time: video.currentTime,
          controls: video.controls, poster: video.getAttribute('poster'), focused: document.activeElement === point,
          predicting: section.classList.contains('predicting'),
          ideaShown: [...section.querySelectorAll('.idea > *')].some(e => getComputedStyle(e).display !== 'none'),
          feedback: point.querySelector('.feedback').textContent, answerShown: !point.querySelector('.answer').hidden,
          answer: point.querySelector('.answer').textContent.replace(/\\s+/g, ' ').trim(),
          goOn: !point.querySelector('[data-step=go-on]').hidden, cover: [rect.width, rect.height]};
})"""


def state(browser, cid: str, session=True) -> dict:
    return browser.evaluate(f"{STATE}({json.dumps(cid)})", session=session)


def wait_until(browser, expression: str, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not browser.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.05)


def play_to_question(browser, cid: str) -> dict:
    browser.evaluate(f"""(() => {{ const v = document.querySelector('[data-checkpoint="{cid}"]').closest('section')
                         .querySelector('video'); v.playbackRate = 4; return v.play(); }})()""")
    wait_until(browser, f"""document.querySelector('[data-checkpoint="{cid}"]').dataset.state === 'open'""")
    return state(browser, cid)


def test_a_choice_question_pauses_before_its_reveal_and_explains_a_wrong_answer(page, browser):
    browser.open(page.as_uri())
    before = state(browser, "nudge-direction")
    assert before["hidden"] and before["state"] is None and before["poster"] is None, before  # no spoiling poster
    assert before["predicting"] and not before["ideaShown"], before  # its formula and values wait too
    asked = play_to_question(browser, "nudge-direction")
    assert asked["paused"] and asked["time"] == pytest.approx(3.0 - LEAD, abs=0.02), asked  # before cue 3's reveal
    assert not asked["hidden"] and asked["focused"] and not asked["controls"], asked
    wrong = browser.evaluate("""(() => { const b = document.querySelector(
        '[data-checkpoint="nudge-direction"] [data-choice]:not([data-correct])');
        b.click(); return b.textContent; })()""")
    after = state(browser, "nudge-direction")
    c = checkpoint_of("nudge-direction")
    assert after["state"] == "answered" and after["feedback"] == f"Not this one: you chose “{wrong}”.", after
    assert after["answerShown"] and after["answer"] == f"Answer: {c.answer_text}. {c.explanation}", after
    assert after["goOn"] and after["paused"], after  # the learner reads, then goes on
    browser.evaluate("""document.querySelector('[data-checkpoint="nudge-direction"] [data-step=go-on]').click()""")
    wait_until(browser, """(() => { const v = document.querySelector('[data-checkpoint="nudge-direction"]')
        .closest('section').querySelector('video'); return !v.paused && v.currentTime > 3.2; })()""")
    done = state(browser, "nudge-direction")
    assert done["state"] == "answered" and done["poster"] and done["controls"] and done["ideaShown"], done
    assert browser.errors() == []


def test_a_number_question_accepts_an_answer_within_its_tolerance(page, browser):
    c = checkpoint_of("bias-derivative")
    for typed, verdict, settled in [("seven", "Type a number, such as -0.15.", None),
                                    (format_number(c.answer + 1.5 * c.tolerance, 4), "Not quite", "missed"),
                                    (format_number(c.answer - 0.9 * c.tolerance, 4).replace("-", "−"), "Right",
                                     "answered")]:
        browser.open(page.as_uri())
        play_to_question(browser, "bias-derivative")
        asked = state(browser, "bias-derivative")
        assert asked["time"] == pytest.approx(2.0 - LEAD, abs=0.02), asked
        browser.evaluate(f"""(() => {{ const f = document.querySelector('[data-checkpoint="bias-derivative"] form');
            f.elements.answer.value = {json.dumps(typed)}; f.requestSubmit(); }})()""")
        now = state(browser, "bias-derivative")
        assert now["feedback"].startswith(verdict) and now["state"] == (settled or "open"), (typed, now)
        assert now["answerShown"] == bool(settled), now
        if settled:
            assert now["answer"] == f"Answer: {c.answer_text}. {c.explanation}"
    assert browser.errors() == []


def test_skipping_goes_on_and_shows_the_answer(page, browser):
    browser.open(page.as_uri())
    play_to_question(browser, "bias-derivative")
    browser.evaluate("""document.querySelector('[data-checkpoint="bias-derivative"] [data-step=skip]').click()""")
    wait_until(browser, """(() => { const v = document.querySelector('[data-checkpoint="bias-derivative"]')
        .closest('section').querySelector('video'); return !v.paused && v.currentTime > 2.1; })()""")
    skipped = state(browser, "bias-derivative")
    assert skipped["state"] == "skipped" and skipped["answerShown"], skipped


STEP = """((n, command) => { const s = document.querySelectorAll('section.clip')[n - 1];
  s.querySelector(`[data-playback="${command}"]`).click(); const v = s.querySelector('video');
  return {time: v.currentTime, paused: v.paused, count: s.querySelector('.cue-count').textContent}; })"""


def test_a_clip_steps_cue_by_cue_and_never_past_its_question(page, browser):
    browser.open(page.as_uri())
    step = lambda command: browser.evaluate(f"{STEP}(1, {json.dumps(command)})")  # noqa: E731
    assert step("next") == {"time": pytest.approx(1.5, abs=0.002), "paused": True, "count": "cue 2 / 4"}
    asked = step("next")  # the next cue reveals: the question comes first
    assert asked["time"] == pytest.approx(3.0 - LEAD) and state(browser, "nudge-direction")["state"] == "open"
    browser.evaluate("""document.querySelector('[data-checkpoint="nudge-direction"] [data-step=skip]').click()""")
    browser.evaluate("document.querySelector('section.clip video').pause()")
    assert step("next")["time"] == pytest.approx(4.5, abs=0.002)
    assert step("previous")["time"] == pytest.approx(3.0, abs=0.002)
    assert step("previous")["time"] == pytest.approx(1.5, abs=0.002)
    browser.evaluate("document.querySelector('section.clip video').currentTime = 2.7")
    wait_until(browser, "!document.querySelector('section.clip video').seeking")
    assert step("previous")["time"] == pytest.approx(1.5, abs=0.002)  # well into a cue: back to its start
    # the keys do the same, for the clip last used
    browser.evaluate("document.querySelector('section.clip [data-playback=next]').focus()")
    now = "document.querySelector('section.clip video').currentTime"
    browser.press(".")
    assert browser.evaluate(now) == pytest.approx(3.0, abs=0.002)
    browser.press(",")
    assert browser.evaluate(now) == pytest.approx(1.5, abs=0.002)
    replay = step("replay")
    assert replay["time"] == 0
    wait_until(browser, "!document.querySelector('section.clip video').paused")
    assert browser.errors() == []


PRESENTED = """(() => {
  const current = document.querySelector('section.clip.current');
  const open = current && current.querySelector('.checkpoint.open');
  const r = open ? open.getBoundingClientRect() : null;
  return {current: current && current.id, open: open ? open.dataset.checkpoint : null,
          covers: r ? r.width >= innerWidth - 1 && r.height >= innerHeight * 0.85 : false,
          fontSize: open ? parseFloat(getComputedStyle(open.querySelector('.question')).fontSize) : 0,
          paused: current.querySelector('video').paused, time: current.querySelector('video').currentTime};
})()"""


def test_in_presenter_mode_the_question_fills_the_screen_and_the_speaker_sees_the_answer(page, browser):
    browser.open("about:blank")
    browser.open(page.as_uri() + "#idea-1")
    wait_until(browser, "!!document.querySelector('section.clip.current .checkpoint.open')")
    shown = browser.evaluate(PRESENTED)
    assert shown["open"] == "nudge-direction" and shown["covers"] and shown["fontSize"] >= 24, shown
    browser.press("s")
    speaker = browser.attach_page("#speaker")
    c = checkpoint_of("nudge-direction")
    deadline = time.monotonic() + 10
    while True:
        try:
            seen = browser.evaluate("""({answer: document.getElementById('speaker-answer').textContent,
                why: document.getElementById('speaker-why').textContent,
                visible: !document.getElementById('speaker-question').hidden})""", session=speaker)
        except RuntimeError:  # the window is between documents
            seen = {}
        if seen.get("visible") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert seen == {"answer": c.answer_text, "why": c.explanation, "visible": True}, seen
    right = 1 + [x.correct for x in c.choices].index(True)
    browser.press(str(right))  # the class's answer, by its number
    assert state(browser, "nudge-direction")["feedback"] == "Right."
    browser.press("ArrowRight")  # go on: the clip plays its reveal
    wait_until(browser, "(() => { const v = document.querySelector('section.clip.current video'); "
                        "return !v.paused && v.currentTime > 3.1; })()")
    assert browser.evaluate(PRESENTED)["current"] == "clip-01"
    browser.press(".")  # the next cue, in presenter mode
    assert browser.evaluate("document.querySelector('section.clip.current video').currentTime") == pytest.approx(
        4.5, abs=0.002)
    assert browser.errors() == []


def test_a_voiced_clip_the_browser_will_not_start_shows_a_play_control(page):
    """Without the tests' autoplay flag, Chromium refuses to start a clip with sound unasked: the
    page shows its play control (never a muted clip); a click plays it, and the speaker view can
    pause and start it, its own copy of the clip staying silent."""
    with Chromium(autoplay=False) as browser:
        browser.viewport(1000, 700)
        browser.open(page.as_uri() + "#idea-4")
        wait_until(browser, "!document.querySelector('section.clip.current .play-control').hidden")
        video = "document.querySelector('section.clip.current video')"
        assert browser.evaluate(f"{video}.paused") and not browser.evaluate(f"{video}.muted")
        browser.click("section.clip.current .play-control")
        wait_until(browser, f"!{video}.paused && {video}.currentTime > 0.2")
        assert browser.evaluate("document.querySelector('section.clip.current .play-control').hidden")
        browser.press("s")
        speaker = browser.attach_page("#speaker")
        wait_until(browser, "document.readyState === 'complete'")
        for expected_paused in (True, False):
            deadline = time.monotonic() + 10
            while True:
                try:
                    browser.evaluate("document.querySelector('#speaker-view [data-command=toggle]').click()",
                                     session=speaker)
                    break
                except RuntimeError:
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
            wait_until(browser, f"{video}.paused === {str(expected_paused).lower()}")
        silent = browser.evaluate("[...document.querySelectorAll('video')].every(v => v.paused && v.muted)",
                                  session=speaker)
        assert silent, "the speaker view plays a clip too"
        assert browser.errors() == []


# --- the nudge sandbox against nncore -----------------------------------------------------------

ACTS = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 10.0)}  # the target sliders' ranges


@st.composite
def chains(draw):
    act = draw(st.sampled_from(sorted(ACTS)))
    return {"activation": act, "w": draw(st.lists(two_decimals(-10, 10), min_size=3, max_size=3)),
            "b": draw(st.lists(two_decimals(-10, 10), min_size=3, max_size=3)), "x": draw(two_decimals(-10, 10)),
            "y": draw(two_decimals(*ACTS[act])), "parameter": draw(st.sampled_from(["w", "b"])) +
            f"({draw(st.integers(1, 3))})", "delta": draw(st.sampled_from([0.5, 0.1, 0.01, 0.001]))}


DRIVE = """((chains) => chains.map((c) => {
  const root = document.getElementById('sandbox');
  const set = (name, value, event) => { const f = root.querySelector(`[name="${name}"]`);
                                        f.value = String(value); f.dispatchEvent(new Event(event, {bubbles: true})); };
  set('activation', c.activation, 'change');
  for (let l = 1; l <= 3; l++) { set(`w(${l})`, c.w[l - 1], 'input'); set(`b(${l})`, c.b[l - 1], 'input'); }
  set('x', c.x, 'input');
  set('y', c.y, 'input');
  set('nudge-parameter', c.parameter, 'change');
  set('nudge-delta', c.delta, 'change');
  root.querySelector('[data-nudge]').click();
  const out = {};
  for (const e of root.querySelectorAll('[data-value]')) {
    out[e.dataset.value] = [Number(e.dataset.number), e.textContent];
  }
  return out;
}))"""


def nncore_values(c: dict, cost: str = "squared") -> dict:
    """The oracle: nncore's chain for the drawn config under ``cost`` (the config's name), its values
    by the names backprop values uses."""
    net = nncore.Network.chain(c["w"], c["b"], c["activation"], cost=cost)
    x, y = [c["x"]], [c["y"]]
    fwd, grads = net.forward(x), net.backward(x, y)
    out = {"C0": net.cost(x, y), "a(L) - y": float(fwd.a[3][0] - c["y"]), "dz(3)/dw(3)": float(fwd.a[2][0])}
    if net.slope_cancels:
        out["dC0/dz(3)"] = grads.z[3][0]  # a(L) - y: σ'(z(L)) cancelled
    for l in range(1, 4):
        out |= {f"z({l})": fwd.z[l][0], f"a({l})": fwd.a[l][0], f"da({l})/dz({l})": fwd.slopes[l][0],
                f"dC0/da({l})": grads.activations[l][0], f"dC0/dw({l})": grads.weights[l - 1][0, 0],
                f"dC0/db({l})": grads.biases[l - 1][0]}
    site = (nncore.WeightAt if c["parameter"][0] == "w" else nncore.BiasAt)(int(c["parameter"][2]))
    n = nncore.nudge(net, x, y, c["delta"], site)
    out |= {f"ΔC0 | Δ{c['parameter']} = {c['delta']:g}": n.cost_change,
            f"ΔC0/Δ{c['parameter']} | Δ{c['parameter']} = {c['delta']:g}": n.ratio}
    return {k: float(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def sandbox(page, browser):
    browser.open(page.as_uri())
    return browser, shown_decimals(load_config())


EDGES = [  # ReLU'(0) = 0 (z(1) = 2 · 0.5 - 1 = 0 exactly); a saturated sigmoid, σ'(110) ≈ 1.7e-48, not 0
    {"activation": "relu", "w": [2.0, 1.0, 1.0], "b": [-1.0, 0.5, 0.0], "x": 0.5, "y": 1.0, "parameter": "w(1)",
     "delta": 0.001},
    {"activation": "sigmoid", "w": [10.0, 10.0, 10.0], "b": [10.0, 10.0, 10.0], "x": 10.0, "y": 0.0,
     "parameter": "b(1)", "delta": 0.5},
    {"activation": "tanh", "w": [-10.0, 10.0, -10.0], "b": [-10.0, 10.0, 10.0], "x": 10.0, "y": -1.0,
     "parameter": "w(2)", "delta": 0.1},
]


def shown_decimals(cfg) -> dict[str, int]:
    """The decimals the sandbox writes each value with, by name."""
    spec = sandbox_spec(cfg)
    decimals = {v["name"]: v["decimals"] for v in spec["values"]}
    for n in spec["nudges"]:
        decimals |= {n["change"]["name"]: n["change"]["decimals"], n["ratio"]["name"]: n["ratio"]["decimals"]}
    return decimals


@settings(max_examples=3, deadline=None, derandomize=True)
@given(drawn=st.lists(chains(), min_size=100, max_size=100))
@example(drawn=EDGES)
def test_the_sandbox_computes_what_nncore_computes(sandbox, drawn):
    browser, decimals = sandbox
    check_sandbox(browser, drawn, decimals)


def check_sandbox(browser, drawn: list[dict], decimals: dict, cost: str = "squared") -> None:
    """Drive the open page's sandbox through the ``drawn`` chains and find nncore's numbers."""
    shown = browser.evaluate(f"{DRIVE}({json.dumps(drawn)})", timeout=60)
    for c, page in zip(drawn, shown):
        expected = nncore_values(c, cost)
        assert set(expected) <= set(page), sorted(set(expected) - set(page))
        for name, value in expected.items():
            number, text = page[name]
            assert math.isclose(number, value, rel_tol=1e-9, abs_tol=1e-9), (c, name, number, value)
            if name.startswith("da("):  # a slope keeps its true size, however flat (nncore's σ' form)
                assert math.isclose(number, value, rel_tol=1e-9), (c, name, number, value)
            assert text == format_number(number, decimals[name]), (c, name, text)  # as lessonmodel.fmt writes it
    assert browser.errors() == []


CROSS_ENTROPY_EDGES = [  # confidently wrong (z(L) = -20: ∂C0/∂a(L) ≈ -4.9e8, a(L) - y = -1), a target between
    {"activation": "sigmoid", "w": [10.0, 10.0, -10.0], "b": [10.0, 10.0, -10.0], "x": 10.0, "y": 1.0,
     "parameter": "b(3)", "delta": 0.5},
    {"activation": "sigmoid", "w": [-0.9, -2.49, 0.91], "b": [-0.31, 0.73, -3.4], "x": 0.5, "y": 0.37,
     "parameter": "w(1)", "delta": 0.01},
    {"activation": "sigmoid", "w": [10.0, 10.0, 10.0], "b": [10.0, 10.0, 10.0], "x": 10.0, "y": 0.0,
     "parameter": "w(3)", "delta": 0.1},
]


@st.composite
def sigmoid_chains(draw):
    return draw(chains()) | {"activation": "sigmoid", "y": draw(two_decimals(0.0, 1.0))}


@settings(max_examples=1, deadline=None, derandomize=True)
@given(drawn=st.lists(sigmoid_chains(), min_size=100, max_size=100))
@example(drawn=CROSS_ENTROPY_EDGES)
def test_the_sandbox_of_a_cross_entropy_chain_computes_its_cost(cross_entropy_page, browser, drawn):
    browser.open(cross_entropy_page.as_uri())
    options = browser.evaluate("[...document.querySelectorAll('#sandbox [name=activation] option')].map(o => o.value)")
    assert options == ["sigmoid"]  # the cross-entropy takes a sigmoid output alone
    check_sandbox(browser, drawn, shown_decimals(load_config(CROSS_ENTROPY_TOML)), "cross_entropy")


@pytest.fixture(scope="module")
def cross_entropy_page(tmp_path_factory) -> Path:
    return build_page(tmp_path_factory.mktemp("learner") / "lesson", CROSS_ENTROPY_TOML)


def test_the_sandbox_starts_from_the_lessons_chain_within_the_configs_limits(page, browser):
    browser.open(page.as_uri())
    sliders = browser.evaluate("""[...document.querySelectorAll('#sandbox input[type=range]')].map(
        i => [i.name, Number(i.value), Number(i.min), Number(i.max)])""")
    cfg = load_config().chain
    assert sliders == [["w(1)", cfg.weights[0], -10, 10], ["w(2)", cfg.weights[1], -10, 10],
                       ["w(3)", cfg.weights[2], -10, 10], ["b(1)", cfg.biases[0], -10, 10],
                       ["b(2)", cfg.biases[1], -10, 10], ["b(3)", cfg.biases[2], -10, 10],
                       ["x", cfg.input, -10, 10], ["y", cfg.target, 0, 1]]
    c0 = browser.evaluate("document.querySelector('#sandbox dd[data-value=C0]').textContent")
    assert c0 == "0.116"  # the lesson's own, before a slider moves
    browser.evaluate("""(() => { const a = document.querySelector('#sandbox [name=activation]');
        a.value = 'tanh'; a.dispatchEvent(new Event('change')); })()""")
    assert browser.evaluate("document.querySelector('#sandbox [name=y]').min") == "-1"


# --- click any edge ------------------------------------------------------------------------------

PANELS = """(() => [...document.querySelectorAll('#network [data-weight], #network [data-neuron]')].map((e) => {
  e.dispatchEvent(new Event('click'));
  const panel = document.querySelector('#network .edge-panel');
  const numbers = {};
  for (const n of panel.querySelectorAll('[data-value]')) numbers[n.dataset.value] = Number(n.dataset.number);
  return {name: e.dataset.weight || e.dataset.neuron, showing: panel.dataset.showing, numbers,
          terms: [...panel.querySelectorAll('[data-term]')].map(t => t.dataset.term), text: panel.textContent};
}))()"""


def network_oracle(cfg):
    """nncore's network for the config, its example 0, forward and backward pass."""
    from expected import _network  # the tests' own reading of the [network] section

    net, x, y = _network(cfg)
    return net, x, y, net.forward(x), net.backward(x, y)


def _panel_names(p: dict, cfg, sizes: list[int]) -> list[str]:
    """The values a weight's or a neuron's panel must show, by name: a weight's factors (a_k(L-1)
    and ∂C0/∂z_j(L) where the cost cancels the output's slope), a neuron's paths or its cost's
    derivative."""
    L, cancels = len(sizes) - 1, cfg.network.cost == "cross_entropy"
    if p["name"].startswith("w_"):
        l, j, k = int(p["name"][-2]), int(p["name"][2]), int(p["name"][3])
        if cancels and l == L:
            return [f"dC0/dw_{j}{k}({l})", f"a_{k}({l - 1})", f"dC0/dz_{j}({l})"]
        return [f"dC0/dw_{j}{k}({l})", f"a_{k}({l - 1})", f"da_{j}({l})/dz_{j}({l})", f"dC0/da_{j}({l})"]
    l, j = int(p["name"][-2]), int(p["name"][2])
    if l < L:  # one term per path, through each neuron i of the next layer
        assert p["terms"] == [str(i) for i in range(sizes[l + 1])]
        return [f"dC0/da_{j}({l})"] + [f"dC0/da_{j}({l}) via {i}" for i in range(sizes[l + 1])]
    assert (f"∂C0/∂z_{j}(L) = " in p["text"]) == cancels
    assert (f"= 2(a_{j}(L) - y_{j})" in p["text"]) == (cfg.network.cost == "squared")
    return [f"dC0/da_{j}({l})", f"a_{j}({l})", f"y_{j}"] + ([f"dC0/dz_{j}({l})"] if cancels else [])


@pytest.mark.parametrize("name", ["default", "tanh_243", "softmax_network"])
def test_every_edge_and_neuron_shows_nncores_numbers(name, tmp_path, browser):
    page = build_page(tmp_path / "lesson", config_file(name))
    browser.open(page.as_uri())
    panels = browser.evaluate(PANELS)
    cfg = load_config(config_file(name))
    net = network_oracle(cfg)[0]
    named = {str(q): v for q, v in lesson_values(cfg)["network"].items()}
    oracle = expected_network(cfg, named)  # torch's autograd, under the config's own cost and output
    for k in range(net.sizes[0]):  # the input's paths: w_ik(1) ∂C0/∂z_i(1), from torch's values
        via = {f"dC0/da_{k}(0) via {i}": oracle[f"w_{i}{k}(1)"] * oracle[f"dC0/dz_{i}(1)"] for i in range(net.sizes[1])}
        oracle |= via | {f"dC0/da_{k}(0)": sum(via.values())}
    assert len(panels) == sum(w.size for w in net.weights) + sum(net.sizes)
    for p in panels:
        assert p["showing"] == p["name"]
        got = p["numbers"]
        names = _panel_names(p, cfg, net.sizes)
        if p["name"].startswith("w_"):  # the product of the factors shown is the derivative shown
            assert got[names[0]] == pytest.approx(math.prod(got[n] for n in names[1:]), rel=1e-9)
        for key in names:
            assert got[key] == pytest.approx(float(oracle[key]), rel=1e-9, abs=1e-12), (p["name"], key)
    # the keyboard: Tab from the sandbox's last control reaches the first edge, Enter on a neuron shows it
    showing = "document.querySelector('#network .edge-panel').dataset.showing"
    browser.evaluate("document.querySelector('#sandbox [data-nudge]').focus()")
    browser.press("Tab")
    assert browser.evaluate("document.activeElement.dataset.weight") == panels[0]["name"] == browser.evaluate(showing)
    browser.evaluate("document.querySelector('#network [data-neuron]').focus({preventScroll: true})")
    browser.evaluate("document.querySelector('#network .edge-panel').dataset.showing = ''")
    browser.press("Enter")
    first_neuron = browser.evaluate("document.querySelector('#network [data-neuron]').dataset.neuron")
    assert browser.evaluate(showing) == first_neuron
    assert browser.errors() == []


def test_the_learners_parts_fetch_nothing_and_fit_a_phone(page):
    with Chromium() as browser:
        browser.viewport(360, 800, mobile=True)
        browser.open(page.as_uri())
        report = browser.evaluate("""(() => ({scroll: document.documentElement.scrollWidth,
          wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                 .slice(0, 5).map(e => e.tagName + '.' + e.className.baseVal + e.className)}))()""")
        urls = browser.requested_urls()
        errors = browser.errors()
    assert report["scroll"] <= 360 and not report["wide"], report
    assert all(u.startswith(("data:", page.parent.as_uri() + "/")) for u in urls), urls
    assert errors == [], errors


def test_with_reduced_motion_nothing_moves_by_itself(page, browser):
    browser.media_features(prefers_reduced_motion="reduce")
    try:
        browser.open("about:blank")
        browser.open(page.as_uri() + "#idea-1")
        time.sleep(0.5)
        calm = browser.evaluate("""(() => { const v = document.querySelector('section.clip.current video');
          const moving = [...document.querySelectorAll('#sandbox *, #network *')].filter(e => {
            const s = getComputedStyle(e);
            return s.animationName !== 'none' || s.transitionDuration.split(',').some(d => parseFloat(d) > 0); });
          return {paused: v.paused, time: v.currentTime, moving: moving.length}; })()""")
    finally:
        browser.media_features(prefers_reduced_motion="no-preference")
    assert calm == {"paused": True, "time": 0, "moving": 0}, calm
