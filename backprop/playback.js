// Learner-paced playback of the lesson page's clips (inlined into index.html by backprop/page.py):
// replay a clip, step it cue by cue (previous / next cue: seek to the cue's start), play or pause.
// Each <section class="clip"> lists where its cues start (data-cues, in seconds). Buttons with
// data-playback act on their own clip; the keys , . R K act on the clip last used (presenter mode
// passes them its current idea). Seeking never jumps over a checkpoint (checkpoints.js).
(() => {
  "use strict";
  const sections = [...document.querySelectorAll("section.clip")];
  if (!sections.length) return;
  const EARLY = 0.05; // a seek lands this close to a cue's start: still "on" that cue
  const INTO = 0.001; // a step lands just inside its cue: at the very start the cue before still shows
  let active = null; // the section whose clip the keys step, outside presenter mode

  const videoOf = (section) => section.querySelector("video");
  const startsOf = (section) => (section.dataset.cues || "").split(" ").filter(Boolean).map(Number);

  function cueAt(section, time) { // index of the cue on at `time` (-1 before the first)
    const starts = startsOf(section);
    let index = -1;
    starts.forEach((start, i) => { if (start <= time + EARLY) index = i; });
    return index;
  }

  function seek(section, time) {
    const video = videoOf(section);
    const checkpoints = window.backpropCheckpoints;
    if (checkpoints && checkpoints.before(section, video.currentTime, time)) return; // a question comes first
    video.currentTime = time > 0 ? time + INTO : 0;
  }

  function step(section, direction) {
    const video = videoOf(section);
    const starts = startsOf(section);
    const now = video.currentTime;
    const i = cueAt(section, now);
    if (direction > 0) {
      const next = starts.find((start) => start > now + EARLY);
      seek(section, next !== undefined ? next : (Number.isFinite(video.duration) ? video.duration : now));
    } else if (i >= 0 && now - starts[i] > 1.0) {
      seek(section, starts[i]); // well into a cue: back to its start, as players do
    } else {
      seek(section, i > 0 ? starts[i - 1] : 0);
    }
    showCount(section);
  }

  function play(section) { // with a question on screen, play means: go on from it
    const checkpoints = window.backpropCheckpoints;
    if (checkpoints && checkpoints.resume(section)) return Promise.resolve();
    return start(section);
  }

  function start(section) {
    const video = videoOf(section);
    const control = section.querySelector(".play-control");
    return video.play().then(() => { if (control) control.hidden = true; }, (error) => {
      // The browser refused to start the clip with its sound by itself: say so, never mute it.
      // (A play cut short by a pause, a question's say, is no refusal.)
      if (control && error.name === "NotAllowedError") control.hidden = false;
      throw error;
    });
  }

  const commands = {
    previous: (section) => step(section, -1),
    next: (section) => step(section, 1),
    replay: (section) => { seek(section, 0); play(section).catch(() => {}); },
    toggle: (section) => { const v = videoOf(section); if (v.paused) play(section).catch(() => {}); else v.pause(); },
    play: (section) => play(section).catch(() => {}),
  };

  function showCount(section) {
    const count = section.querySelector(".cue-count");
    const starts = startsOf(section);
    if (!count || !starts.length) return;
    count.textContent = `cue ${Math.max(0, cueAt(section, videoOf(section).currentTime)) + 1} / ${starts.length}`;
  }

  const keys = { ",": "previous", "<": "previous", ".": "next", ">": "next", r: "replay", R: "replay",
                 k: "toggle", K: "toggle" };
  const isField = (element) => element && element.closest && element.closest("input, select, textarea");

  for (const section of sections) {
    const video = videoOf(section);
    if (!video) continue;
    for (const button of section.querySelectorAll("[data-playback]")) {
      button.addEventListener("click", () => commands[button.dataset.playback](section));
    }
    for (const event of ["timeupdate", "seeked", "loadedmetadata"]) {
      video.addEventListener(event, () => showCount(section));
    }
    video.addEventListener("play", () => { active = section; });
    section.addEventListener("focusin", () => { active = section; });
  }

  addEventListener("keydown", (event) => {
    const presenting = document.body.classList.contains("presenting") || document.body.classList.contains("speaker");
    if (presenting || !active || event.altKey || event.ctrlKey || event.metaKey || isField(event.target)) return;
    const command = keys[event.key];
    if (!command) return;
    event.preventDefault();
    commands[command](active);
  });

  window.backpropPlayback = { commands, keys, cueAt, play, start };
})();
