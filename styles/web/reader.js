/* Reading settings for the web edition: text size and line spacing, kept between pages.
   The pages read fully without this script; it only adds the controls. */
(function () {
  "use strict";
  var root = document.documentElement;
  var SIZES = [0.875, 1, 1.125, 1.25, 1.5, 1.75, 2];
  var SPACINGS = [["Normal", 1.55], ["Wide", 1.85], ["Widest", 2.2]];
  var KEY = "publish-web-reading";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(state) {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  var state = load();
  if (typeof state.size !== "number" || state.size < 0 || state.size >= SIZES.length) { state.size = 1; }
  if (typeof state.spacing !== "number" || state.spacing < 0 || state.spacing >= SPACINGS.length) { state.spacing = 0; }

  function apply() {
    root.style.setProperty("--text-scale", String(SIZES[state.size]));
    root.style.setProperty("--leading", String(SPACINGS[state.spacing][1]));
  }
  apply();

  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function build() {
    var bar = document.querySelector(".site-bar");
    if (!bar) { return; }
    var group = document.createElement("div");
    group.className = "reading-settings";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Reading settings");
    var status = document.createElement("span");
    status.className = "setting-status";
    status.setAttribute("aria-live", "polite");
    var smaller = button("Smaller text", function () { change(-1, 0); });
    var larger = button("Larger text", function () { change(1, 0); });
    var spacing = button("Line spacing", function () { change(0, 1); });
    function show() {
      smaller.disabled = state.size === 0;
      larger.disabled = state.size === SIZES.length - 1;
      spacing.textContent = "Line spacing: " + SPACINGS[state.spacing][0];
      status.textContent = "Text " + Math.round(SIZES[state.size] * 100) + "%";
    }
    function change(size, space) {
      state.size = Math.max(0, Math.min(SIZES.length - 1, state.size + size));
      state.spacing = (state.spacing + space) % SPACINGS.length;
      apply();
      save(state);
      show();
    }
    group.appendChild(smaller);
    group.appendChild(larger);
    group.appendChild(spacing);
    group.appendChild(status);
    bar.appendChild(group);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", build);
  } else {
    build();
  }
}());
