// Checkpoints of the lesson page: predict, then see (inlined into index.html by backprop/page.py).
// A clip with checkpoints ([data-checkpoint], each pausing at data-at seconds) stops just before
// each one's reveal and asks; the learner picks a choice or types a number, gets the answer with
// the lesson's numbers, and goes on (or skips). Until its questions are done, the clip shows no
// poster (page.py holds it back) and its idea's formula and values stay folded away: they would give
// the answers away.
(() => {
  "use strict";
  const LEAD = 0.05; // pause this much before the cue that reveals: the frame before it
  const sections = [...document.querySelectorAll("section.clip")].filter(
    (s) => s.querySelector("video") && s.querySelector("[data-checkpoint]"));
  const origin = new Map(); // section -> where its clip's current run of playback began

  const pointsOf = (section) => [...section.querySelectorAll("[data-checkpoint]")];
  const pauseAt = (point) => Math.max(0, Number(point.dataset.at) - LEAD);
  const isPending = (point) => !point.dataset.state;
  // The question on screen: asked and not yet gone on from (answered or not).
  const openIn = (section) => pointsOf(section).find((p) => p.classList.contains("open")) || null;
  const sectionOf = (point) => point.closest("section.clip");
  const tell = (point) => document.dispatchEvent(new CustomEvent("backprop:checkpoint", { detail: point }));

  function open(point) {
    const section = sectionOf(point);
    const video = section.querySelector("video");
    video.pause();
    video.currentTime = pauseAt(point);
    video.controls = false; // the question's own buttons go on
    point.dataset.state = "open";
    point.hidden = false;
    point.classList.add("open");
    section.classList.add("asking");
    point.focus({ preventScroll: true });
    if (!document.body.classList.contains("presenting")) point.scrollIntoView({ block: "nearest" });
    tell(point);
  }

  function close(point) { // back to waiting: the clip was taken back before the question
    delete point.dataset.state;
    point.hidden = true;
    point.classList.remove("open");
    const section = sectionOf(point);
    section.classList.remove("asking");
    section.querySelector("video").controls = true;
    tell(point);
  }

  function settle(point, state) {
    point.dataset.state = state;
    point.querySelector(".answer").hidden = false;
    for (const control of point.querySelectorAll("[data-choice], input, form button")) control.disabled = true;
    const right = point.querySelector("[data-correct]");
    if (right) right.classList.add("right");
    point.querySelector("[data-step=skip]").hidden = true;
    const goOn = point.querySelector("[data-step=go-on]");
    goOn.hidden = false;
    goOn.focus({ preventScroll: true });
    tell(point);
  }

  function choose(point, button) {
    if (point.dataset.state !== "open") return;
    button.classList.add("chosen");
    point.querySelector(".feedback").textContent = button.hasAttribute("data-correct")
      ? "Right." : `Not this one: you chose “${button.textContent}”.`;
    settle(point, "answered");
  }

  function parseNumber(text) { // as a learner types it: -0.15, −0.15, 0,15, 1.5e-3
    const cleaned = text.trim().replace(/\u2212/g, "-").replace(/,/g, ".").replace(/\s+/g, "");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
    const value = Number(cleaned);
    return Number.isFinite(value) ? value : null;
  }

  function check(point, form) {
    if (point.dataset.state !== "open") return;
    const typed = form.elements.answer.value;
    const value = parseNumber(typed);
    const feedback = point.querySelector(".feedback");
    if (value === null) {
      feedback.textContent = "Type a number, such as -0.15.";
      return;
    }
    const off = Math.abs(value - Number(form.dataset.answer));
    const tolerance = Number(form.dataset.tolerance);
    feedback.textContent = off <= tolerance * (1 + 1e-9)
      ? `Right: ${typed.trim()} is within ±${tolerance} of the answer.`
      : `Not quite: ${typed.trim()} is off by more than ±${tolerance}.`;
    settle(point, off <= tolerance * (1 + 1e-9) ? "answered" : "missed");
  }

  function reveal(point) { // the presenter shows the class the answer
    if (point.dataset.state !== "open") return;
    point.querySelector(".feedback").textContent = "The answer:";
    settle(point, "revealed");
  }

  function finish(point) { // gone on from: the answer stays in the page, the clip may play on
    const section = sectionOf(point);
    const video = section.querySelector("video");
    if (point.dataset.state === "open") point.dataset.state = "skipped";
    point.querySelector(".answer").hidden = false;
    point.classList.remove("open");
    point.classList.add("done");
    section.classList.remove("asking");
    if (!pointsOf(section).some(isPending)) {
      section.classList.remove("predicting");
      if (video.dataset.poster) video.setAttribute("poster", video.dataset.poster);
    }
    video.controls = true;
    tell(point);
  }

  function goOn(point) {
    finish(point);
    const section = sectionOf(point);
    section.querySelector("video").play().catch((error) => {
      const control = section.querySelector(".play-control");
      if (control && error.name === "NotAllowedError") control.hidden = false;
    });
  }

  function watch(section) { // while the clip plays: stop at the next question it reaches
    const video = section.querySelector("video");
    const point = openIn(section);
    if (point) {
      if (!video.paused) video.pause();
      return;
    }
    const next = pointsOf(section).find(isPending);
    if (next && origin.get(section) <= pauseAt(next) + 1e-3 && video.currentTime >= pauseAt(next)) open(next);
  }

  function before(section, from, to) { // a seek from `from` to `to` meets a question first: ask it
    const next = pointsOf(section).find(isPending);
    if (!next || openIn(section) || !(from <= pauseAt(next) + 1e-3 && to >= pauseAt(next))) return false;
    open(next);
    return true;
  }

  function resume(section) { // play was asked for while a question is open: go on
    const point = openIn(section);
    if (point) goOn(point);
    return Boolean(point);
  }

  for (const section of sections) {
    const video = section.querySelector("video");
    section.classList.add("predicting"); // its poster waits in data-poster (page.py)
    origin.set(section, 0);
    video.addEventListener("seeking", () => {
      origin.set(section, video.currentTime);
      const point = openIn(section);
      if (point && video.currentTime < pauseAt(point) - 1e-3) { // taken back before the question
        if (point.dataset.state === "open") close(point);
        else finish(point);
      }
    });
    const loop = () => { watch(section); if (!video.paused) requestAnimationFrame(loop); };
    video.addEventListener("play", loop);
    video.addEventListener("timeupdate", () => watch(section));
    for (const point of pointsOf(section)) {
      for (const button of point.querySelectorAll("[data-choice]")) {
        button.addEventListener("click", () => choose(point, button));
      }
      const form = point.querySelector("form");
      if (form) form.addEventListener("submit", (event) => { event.preventDefault(); check(point, form); });
      point.querySelector("[data-step=skip]").addEventListener("click", () => goOn(point));
      point.querySelector("[data-step=go-on]").addEventListener("click", () => goOn(point));
    }
  }

  window.backpropCheckpoints = { openIn, before, resume, reveal, goOn, choose, parseNumber };
})();
