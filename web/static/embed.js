/* ふくしま支援ナビ embed: <script src="https://…/embed.js" async data-title="…"></script>
 * adds a labelled launcher button; the chat (/widget) loads in an iframe only when opened, so
 * nothing is fetched or stored before the visitor asks for it. Messages go to the frame only
 * once it has loaded (before, its window is about:blank of another origin). While open, the
 * launcher reads 「閉じる」 and the panel sits above it, so it never covers the chat's input. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="embed.js"]');
  if (!script || window.__shienNaviEmbed) return;
  window.__shienNaviEmbed = true;

  var data = script.dataset;
  var title = (data.title || "ふくしま支援ナビ").slice(0, 40);
  var accent = /^#[0-9a-fA-F]{6}$/.test(data.accent || "") ? data.accent : "#0b5cad";
  var side = data.position === "left" ? "left" : "right";
  var openOnLoad = data.open !== undefined && data.open !== "false";
  var greeting = (data.firstMessage || "").slice(0, 200);
  var widgetUrl = new URL("widget", script.src);  // the widget takes its title and greeting by postMessage only
  var widgetOrigin = widgetUrl.origin;

  // White or black text on the accent colour, whichever reaches the higher contrast.
  function luminance(hex) {
    var c = [1, 3, 5].map(function (i) {
      var v = parseInt(hex.substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  var L = luminance(accent);
  var ink = (1.05 / (L + 0.05)) >= ((L + 0.05) / 0.05) ? "#ffffff" : "#000000";

  function style(node, rules) {
    Object.keys(rules).forEach(function (k) { node.style.setProperty(k, rules[k]); });
  }

  var openLabel = title + "に相談";
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = openLabel;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "shien-navi-panel");
  button.setAttribute("data-shien-navi", "launcher");
  style(button, {
    position: "fixed", bottom: "16px", "z-index": "2147483000", background: accent, color: ink,
    border: "2px solid " + ink, "border-radius": "999px", padding: "12px 18px", "font-size": "16px",
    "font-weight": "700", "font-family": "system-ui, sans-serif", cursor: "pointer",
    "box-shadow": "0 2px 8px rgba(0,0,0,.3)", "min-height": "48px", "white-space": "nowrap",
    "max-width": "calc(100vw - 32px)", overflow: "hidden", "text-overflow": "ellipsis"
  });
  button.style.setProperty(side, "16px");

  var panel = document.createElement("div");
  panel.id = "shien-navi-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);
  panel.hidden = true;
  style(panel, {
    position: "fixed", bottom: "76px", "z-index": "2147483000", width: "min(400px, calc(100vw - 16px))",
    height: "min(640px, calc(100vh - 92px))", background: "#fff", border: "1px solid #888",
    "border-radius": "12px", overflow: "hidden", "box-shadow": "0 4px 24px rgba(0,0,0,.35)"
  });
  panel.style.setProperty(side, "8px");
  var frame = null;
  var frameLoaded = false;

  // The panel's foot clears the launcher, whatever its height.
  function placePanel() {
    panel.style.setProperty("bottom", (16 + button.offsetHeight + 12) + "px");
    panel.style.setProperty("height", "min(640px, calc(100vh - " + (16 + button.offsetHeight + 12 + 16) + "px))");
  }

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = title + "（チャット）";
      frame.src = widgetUrl.toString();
      style(frame, { width: "100%", height: "100%", border: "0", display: "block" });
      frame.addEventListener("load", function () {
        frameLoaded = true;
        frame.contentWindow.postMessage({ type: "shien-navi:config", title: title, greeting: greeting }, widgetOrigin);
        focusFrame();
      });
      panel.appendChild(frame);
    }
    button.textContent = "閉じる";
    button.setAttribute("aria-expanded", "true");
    placePanel();
    panel.hidden = false;
    focusFrame();
  }

  function focusFrame() {
    if (!frame || panel.hidden) return;
    frame.focus();
    if (frameLoaded) frame.contentWindow.postMessage({ type: "shien-navi:focus" }, widgetOrigin);
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    button.textContent = openLabel;
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }

  button.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
  window.addEventListener("message", function (event) {
    if (event.origin === widgetOrigin && frame && event.source === frame.contentWindow &&
        event.data && event.data.type === "shien-navi:close") close();
  });

  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(button);
    if (openOnLoad) open();
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
