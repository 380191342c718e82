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
        video.play().catch(() => { // autoplay refused: hold the last frame; the play button works
          if (Number.isFinite(video.duration)) video.currentTime = video.duration;
        });
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
  function tellSpeaker() {
    if (speaker && !speaker.closed) speaker.postMessage({ backpropIdea: current }, "*");
  }

  const commands = {
    next: () => show(current + 1),
    previous: () => show(current - 1),
    first: () => show(1),
    last: () => show(ideas.length),
    leave: leave,
    fullscreen: toggleFullscreen,
    speaker: openSpeaker,
  };
  const keys = {
    ArrowRight: "next", " ": "next", PageDown: "next",
    ArrowLeft: "previous", PageUp: "previous",
    Home: "first", End: "last", Escape: "leave",
    f: "fullscreen", F: "fullscreen", s: "speaker", S: "speaker", p: "leave", P: "leave",
  };

  function onKey(event, run) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
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
    addEventListener("message", (event) => {
      if (event.source === window.opener && event.data && "backpropIdea" in event.data) {
        renderSpeaker(event.data.backpropIdea);
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
    for (const button of document.querySelectorAll("#presenter-bar button[data-command]")) {
      button.addEventListener("click", () => {
        button.blur(); // so Space keeps meaning "next", not "press this button again"
        commands[button.dataset.command]();
      });
    }
    const match = fragment();
    if (match && match[1] === "idea") show(Number(match[2] || 1));
  }

  const match = fragment();
  if (match && match[1] === "speaker") speakerMode(Number(match[2] || 1));
  else presenterMode();
})();
