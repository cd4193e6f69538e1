/* Instant filtering of the desk view. The server already rendered every program once (the ones
 * its filters reject carry `hidden`); here the same rules run on each change. A keyword ranks
 * with the chat's own search (GET /api/search, so 電気代 and しょうえね find the 省エネ
 * programs), best first, then the programs whose text holds every word (an id, a phone number). */
(function () {
  "use strict";
  var SEARCH_LIMIT = 20;  // as the server's page (web/pages.py)
  var form = document.getElementById("filters");
  var items = Array.prototype.slice.call(document.querySelectorAll("li.program"));
  var ranked = document.getElementById("ranked");
  var rankedSection = document.getElementById("ranked-results");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var memoForm = document.getElementById("memo-form");
  var pickedCount = document.getElementById("picked-count");
  var pickNeed = document.getElementById("pick-need");
  var lists = {};
  document.querySelectorAll("ul.program-list[data-section]").forEach(function (ul) {
    lists[ul.getAttribute("data-section")] = ul;
  });
  items.sort(function (a, b) { return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); });
  var byId = {};
  items.forEach(function (item) { byId[item.querySelector("input.pick").value] = item; });
  var rankings = new Map(); // keyword → ranked ids
  var timer = 0;

  function fold(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function has(item, name, value) {
    return !value || item.getAttribute("data-" + name).split("|").indexOf(value) >= 0;
  }

  function passes(item) {
    var f = form.elements;
    return has(item, "tags", f.tag.value) && has(item, "kinds", f.kind.value) && has(item, "levels", f.level.value);
  }

  function literal(item, words) {
    var text = item.getAttribute("data-text");
    return words.every(function (w) { return text.indexOf(w) >= 0; });
  }

  // Show `order` (items, best first) as the ranked list, or, when null, every item in its section.
  function place(order) {
    var count = 0;
    if (order) {
      var chosen = new Set(order);
      items.forEach(function (item) {
        if (!chosen.has(item)) {
          if (item.parentNode === ranked) lists[item.getAttribute("data-section")].appendChild(item);
          item.hidden = true;
        }
      });
      order.forEach(function (item) { ranked.appendChild(item); item.hidden = false; });
      count = order.length;
    } else {
      items.forEach(function (item) {
        lists[item.getAttribute("data-section")].appendChild(item); // in document order
        item.hidden = !passes(item);
        if (!item.hidden) count += 1;
      });
    }
    rankedSection.hidden = !order;
    document.querySelectorAll("section.section, section.pillar").forEach(function (section) {
      section.hidden = !section.querySelector("li.program:not([hidden])");
    });
    shown.textContent = String(count);
    empty.hidden = count > 0;
    var params = new URLSearchParams();
    ["tag", "kind", "level", "q"].forEach(function (k) { if (form.elements[k].value) params.set(k, form.elements[k].value); });
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
  }

  function rankedIds(q) {
    if (rankings.has(q)) return Promise.resolve(rankings.get(q));
    var url = "/api/search?" + new URLSearchParams({ q: q, limit: String(SEARCH_LIMIT) });
    return fetch(url).then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
      .then(function (data) {
        var ids = (data.results || []).map(function (r) { return r.id; });
        rankings.set(q, ids);
        return ids;
      })
      .catch(function () { return []; }); // no search: the words still filter literally
  }

  function apply() {
    var q = form.elements.q.value.trim();
    if (!q) {
      place(null);
      return;
    }
    var words = fold(q).split(/\s+/).filter(Boolean);
    rankedIds(q).then(function (ids) {
      if (form.elements.q.value.trim() !== q) return; // a newer keyword is on its way
      var order = ids.map(function (id) { return byId[id]; }).filter(function (item) { return item && passes(item); });
      var seen = new Set(order);
      items.forEach(function (item) {
        if (!seen.has(item) && passes(item) && literal(item, words)) order.push(item);
      });
      place(order);
    });
  }

  form.addEventListener("input", function (event) {
    if (event.target !== form.elements.q) return;
    clearTimeout(timer);
    timer = setTimeout(apply, 200);
  });
  form.addEventListener("change", function (event) { if (event.target !== form.elements.q) apply(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); apply(); });

  /* ---- the sticky bar: how many are checked, and the 相談メモ button ---- */
  function countPicked() {
    var n = document.querySelectorAll("input.pick:checked").length;
    pickedCount.textContent = String(n);
    pickNeed.hidden = n === 0;
    return n;
  }
  document.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("pick")) countPicked();
  });
  countPicked();

  memoForm.addEventListener("submit", function (event) {
    if (countPicked() > 0) return;
    event.preventDefault();
    var first = document.querySelector("li.program:not([hidden]) input.pick");
    if (first) first.focus();
    var note = memoForm.querySelector(".pick-count");
    var before = Array.prototype.slice.call(note.childNodes);
    note.textContent = "相談メモに入れる制度に、チェックを付けてください。";
    setTimeout(function () { note.replaceChildren.apply(note, before); }, 4000);
  });
})();
