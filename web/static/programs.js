/* Instant filtering of the desk view. The server already rendered every program (the ones its
 * filters reject carry `hidden`); here the same rules run on each keystroke or change. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var items = Array.prototype.slice.call(document.querySelectorAll("li.program"));
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var memoForm = document.getElementById("memo-form");

  function fold(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function has(item, name, value) {
    return !value || item.getAttribute("data-" + name).split("|").indexOf(value) >= 0;
  }

  function apply() {
    var tag = form.elements.tag.value, kind = form.elements.kind.value, level = form.elements.level.value;
    var words = fold(form.elements.q.value).split(/\s+/).filter(Boolean);
    var count = 0;
    items.forEach(function (item) {
      var text = item.getAttribute("data-text");
      var ok = has(item, "tags", tag) && has(item, "kinds", kind) && has(item, "levels", level) &&
        words.every(function (w) { return text.indexOf(w) >= 0; });
      item.hidden = !ok;
      if (ok) count += 1;
    });
    document.querySelectorAll("section.section, section.pillar").forEach(function (section) {
      section.hidden = !section.querySelector("li.program:not([hidden])");
    });
    shown.textContent = String(count);
    empty.hidden = count > 0;
    var params = new URLSearchParams();
    ["tag", "kind", "level", "q"].forEach(function (k) { if (form.elements[k].value) params.set(k, form.elements[k].value); });
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });

  memoForm.addEventListener("submit", function (event) {
    if (!document.querySelector("input.pick:checked")) {
      event.preventDefault();
      var first = document.querySelector("li.program:not([hidden]) input.pick");
      if (first) first.focus();
      document.getElementById("count").textContent = "相談メモに入れる制度に、チェックを付けてください。";
      setTimeout(function () { document.getElementById("count").replaceChildren(shown, document.createTextNode(" / " + items.length + " 件を表示")); }, 4000);
    }
  });
})();
