// Presenter mode and speaker view of the lesson page (inlined into index.html by backprop/page.py).
// No library, nothing fetched: it works from file://. The page is a list of <section class="clip">,
// one per idea in story order; presenting shows one of them at a time.
(() => {
  "use strict";
  const ideas = [...document.querySelectorAll("section.clip")];
  if (!ideas.length) return;
  const body = document.body;
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
  const $ = (id) => document.getElementById(id);
  let current = 0; // the idea shown, from 1; 0 when not presenting
  let speaker = null; // the speaker view's window, once opened

  const clamp = (n) => Math.min(Math.max(1, n), ideas.length);
  const titleOf = (n) => `${n}. ${ideas[n - 1].dataset.title}`;
  const fragment = () => /^#(idea|speaker)-?(\d*)$/.exec(location.hash);

  // --- presenting -------------------------------------------------------------------------

  function show(n) {
    n = clamp(n);
    for (const video of document.querySelectorAll("video")) video.pause();
    ideas.forEach((section, i) => section.classList.toggle("current", i === n - 1));
    current = n;
    body.classList.add("presenting");
    $("presenter-bar").hidden = false;
    const video = ideas[n - 1].querySelector("video");
    if (video) {
      video.loop = false; // plays once, then holds on its last frame
      if (!reducedMotion.matches) {
        video.currentTime = 0;
        // A browser may refuse to start a clip with sound by itself: then the clip shows a play
        // control (playback.js), rather than playing muted.
        window.backpropPlayback.start(ideas[n - 1]).catch(() => tellSpeaker());
      }
    }
    if (location.hash !== `#idea-${n}`) history.replaceState(null, "", `#idea-${n}`);
    $("presenter-count").textContent = `${n} / ${ideas.length}`;
    $("presenter-live").textContent = titleOf(n);
    tellSpeaker();
  }

  function leave() {
    if (!current) return;
    const section = ideas[current - 1];
    for (const video of document.querySelectorAll("video")) video.pause();
    ideas.forEach((s) => s.classList.remove("current"));
    body.classList.remove("presenting");
    $("presenter-bar").hidden = true;
    current = 0;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    history.replaceState(null, "", location.pathname + location.search);
    section.scrollIntoView();
    tellSpeaker();
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  }

  function openSpeaker() {
    speaker = window.open(location.pathname + location.search + `#speaker-${current || 1}`, "backprop-speaker",
                          "width=900,height=700");
    tellSpeaker();
  }

  // The speaker view is another window on this same file: the two talk by postMessage (it works
  // between file:// windows, where storage events and BroadcastChannel depend on the browser).
  // It hears the idea shown, the question on screen (if any) and the state of the clip.
  function tellSpeaker() {
    if (!speaker || speaker.closed) return;
    const section = current ? ideas[current - 1] : null;
    const question = section && window.backpropCheckpoints ? window.backpropCheckpoints.openIn(section) : null;
    const video = section && section.querySelector("video");
    const refused = Boolean(section && section.querySelector(".play-control:not([hidden])"));
    const clip = !video ? "" : refused ? "waiting for a click on its play button" : video.ended ? "ended"
      : video.paused ? "paused" : "playing";
    speaker.postMessage({ backpropIdea: current, backpropQuestion: question ? question.dataset.checkpoint : "",
                          backpropQuestionState: question ? question.dataset.state : "", backpropClip: clip }, "*");
  }

  // On the clip and its question: what the keys , . R K, the digits and the speaker view ask for.
  const inClip = (name) => () => { if (current) window.backpropPlayback.commands[name](ideas[current - 1]); };
  const question = () => (current && window.backpropCheckpoints
    ? window.backpropCheckpoints.openIn(ideas[current - 1]) : null);
  const onQuestion = (act) => () => { const q = question(); if (q) act(q); };

  const commands = {
    next: () => { const q = question(); if (q) window.backpropCheckpoints.goOn(q); else show(current + 1); },
    previous: () => show(current - 1),
    first: () => show(1),
    last: () => show(ideas.length),
    leave: leave,
    fullscreen: toggleFullscreen,
    speaker: openSpeaker,
    "previous-cue": inClip("previous"),
    "next-cue": inClip("next"),
    replay: inClip("replay"),
    toggle: inClip("toggle"),
    reveal: onQuestion((q) => window.backpropCheckpoints.reveal(q)),
    "go-on": onQuestion((q) => window.backpropCheckpoints.goOn(q)),
  };
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) { // the class's answer, picked by its number
    commands[`choose-${n}`] = onQuestion((q) => {
      const button = q.querySelectorAll("[data-choice]")[n - 1];
      if (button) button.click();
    });
  }
  const keys = {
    ArrowRight: "next", " ": "next", PageDown: "next",
    ArrowLeft: "previous", PageUp: "previous",
    Home: "first", End: "last", Escape: "leave",
    f: "fullscreen", F: "fullscreen", s: "speaker", S: "speaker", p: "leave", P: "leave",
    ",": "previous-cue", "<": "previous-cue", ".": "next-cue", ">": "next-cue",
    r: "replay", R: "replay", k: "toggle", K: "toggle",
    1: "choose-1", 2: "choose-2", 3: "choose-3", 4: "choose-4", 5: "choose-5", 6: "choose-6",
    7: "choose-7", 8: "choose-8", 9: "choose-9",
  };
  const isField = (element) => element && element.closest && element.closest("input, select, textarea");

  function onKey(event, run) {
    if (event.altKey || event.ctrlKey || event.metaKey || isField(event.target)) return;
    const command = keys[event.key];
    if (!command) return;
    event.preventDefault(); // Space must not also play or pause the clip, nor scroll the page
    event.stopPropagation();
    run(command);
  }

  // --- the speaker view ---------------------------------------------------------------------

  function renderSpeaker(n) {
    const view = $("speaker-view");
    const section = ideas[clamp(n) - 1];
    const text = (selector) => section.querySelector(selector)?.textContent ?? "";
    const line = (label, value) => {
      const row = document.createElement("div");
      const dt = document.createElement("dt");
      const dd = document.createElement("dd");
      dt.textContent = label;
      dd.textContent = value;
      row.append(dt, dd);
      return row;
    };
    $("speaker-now").textContent = n ? titleOf(clamp(n)) : "not presenting";
    $("speaker-formula").textContent = section.querySelector(".formula img")?.alt ?? "";
    $("speaker-narration").textContent = text(".narration");
    const values = $("speaker-values");
    values.replaceChildren(...[...section.querySelectorAll("dl.values dt")].map(
      (dt) => line(dt.textContent, dt.nextElementSibling.textContent)));
    $("speaker-next").textContent = n && n < ideas.length ? titleOf(n + 1) : "(the end)";
    view.dataset.idea = String(n);
    if (location.hash !== `#speaker-${n}`) history.replaceState(null, "", `#speaker-${n}`);
  }

  function renderQuestion(id, state) { // the question the class sees, and its answer for the speaker
    const point = id ? document.querySelector(`[data-checkpoint="${CSS.escape(id)}"]`) : null;
    $("speaker-question").hidden = !point;
    $("speaker-question").dataset.checkpoint = id || "";
    $("speaker-question").dataset.state = state || "";
    if (!point) return;
    $("speaker-question-text").textContent = point.querySelector(".question").textContent;
    $("speaker-answer").textContent = point.querySelector(".answer strong").textContent;
    $("speaker-why").textContent = point.querySelector(".answer .why").textContent;
  }

  function speakerMode(n) {
    body.classList.add("speaker");
    $("speaker-view").hidden = false;
    document.title = "Speaker view: " + document.title;
    const started = Date.now();
    setInterval(() => {
      const s = Math.floor((Date.now() - started) / 1000);
      $("speaker-clock").textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    }, 1000);
    const send = (command) => window.opener && window.opener.postMessage({ backpropCommand: command }, "*");
    for (const video of document.querySelectorAll("video")) { // the sound plays in the main window only
      video.pause();
      video.muted = true;
      video.preload = "none";
      video.addEventListener("play", () => video.pause());
    }
    addEventListener("message", (event) => {
      if (event.source === window.opener && event.data && "backpropIdea" in event.data) {
        renderSpeaker(event.data.backpropIdea);
        renderQuestion(event.data.backpropQuestion, event.data.backpropQuestionState);
        $("speaker-clip").textContent = event.data.backpropClip || "stopped";
      }
    });
    addEventListener("keydown", (event) => onKey(event, send), true);
    for (const button of document.querySelectorAll("#speaker-view button[data-command]")) {
      button.addEventListener("click", () => send(button.dataset.command));
    }
    renderSpeaker(n);
    send("hello");
  }

  // --- wiring -------------------------------------------------------------------------------

  function presenterMode() {
    addEventListener("keydown", (event) => {
      if (!current) {
        if ((event.key === "p" || event.key === "P") && !event.altKey && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          show(1);
        }
        return;
      }
      onKey(event, (command) => commands[command]());
    }, true);
    addEventListener("message", (event) => {
      const command = event.data && event.data.backpropCommand;
      if (!command || !event.source || event.source === window) return;
      // Only a window holding a reference to this one can post to it: the speaker view this page
      // opened, or one it opened before a reload of this page (which forgets its `speaker`).
      speaker = event.source;
      if (command === "hello") tellSpeaker();
      else if (commands[command] && command !== "speaker") {
        if (!current) show(1);
        else commands[command]();
      }
    });
    addEventListener("hashchange", () => {
      const match = fragment();
      if (match && match[1] === "idea" && match[2]) show(Number(match[2]));
    });
    $("present").addEventListener("click", () => show(current || 1));
    document.addEventListener("backprop:checkpoint", tellSpeaker);
    for (const video of document.querySelectorAll("section.clip video")) {
      for (const name of ["play", "pause", "ended"]) video.addEventListener(name, tellSpeaker);
    }
    for (const button of document.querySelectorAll("#presenter-bar button[data-command]")) {
      button.addEventListener("click", () => {
        button.blur(); // so Space keeps meaning "next", not "press this button again"
        commands[button.dataset.command]();
      });
    }
    const match = fragment();
    if (match && match[1] === "idea") show(Number(match[2] || 1));
  }

  // Started once the page's whole script has run: presenting uses its playback and checkpoints.
  queueMicrotask(() => {
    const match = fragment();
    if (match && match[1] === "speaker") speakerMode(Number(match[2] || 1));
    else presenterMode();
  });
})();
