/* ふくしま支援ナビ chat: every server text goes in through textContent / createElement, never
 * innerHTML. The conversation state (`context`) lives only in this page's memory: nothing is
 * written to cookies or storage. */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var log = document.getElementById("log");
  var announce = document.getElementById("announce");
  var rubyToggle = document.getElementById("ruby-toggle");
  var memoBar = document.getElementById("memo-bar");
  var memoLink = document.getElementById("memo-link");
  var memoCount = document.getElementById("memo-count");
  var compact = root.getAttribute("data-compact") === "true";

  var context = null;      // the previous reply's context, sent back with the next message
  var need = "";           // the visitor's own words, for the 相談メモ
  var busy = false;
  var picked = new Map();  // program id → name, chosen for the 相談メモ
  var furigana = false;
  var readings = new Map(); // text → segments, so toggling does not ask twice
  var plainText = new WeakMap();

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Bidirectional controls in what a visitor typed would reorder the text around them.
  var BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  function plain(text) {
    return String(text).replace(BIDI_CONTROLS, "");
  }

  function telHref(number) {
    return "tel:" + String(number).replace(/[^0-9-]/g, "");
  }

  function safePath(url, fallback) {
    // Only same-site absolute paths become links.
    return typeof url === "string" && /^\/[^/\\]/.test(url) ? url : fallback;
  }

  /* ---- IME-safe Enter: never send while a Japanese IME is composing ---- */
  // Calls onEnter for a plain Enter in field; returns a function telling whether an IME composes.
  function onPlainEnter(field, onEnter) {
    var composing = false;
    var justComposed = false; // Safari fires compositionend before the Enter keydown
    var composedTimer = 0;
    field.addEventListener("compositionstart", function () { composing = true; });
    field.addEventListener("compositionend", function () {
      composing = false;
      justComposed = true;
      clearTimeout(composedTimer);
      composedTimer = setTimeout(function () { justComposed = false; }, 120);
    });
    field.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      if (event.isComposing || event.keyCode === 229 || composing || justComposed) {
        justComposed = false;
        return;
      }
      if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return; // new line
      event.preventDefault();
      onEnter();
    });
    return function () { return composing; };
  }
  var inputComposing = onPlainEnter(input, submit);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  function submit() {
    var text = input.value.trim();
    if (!text) {
      input.focus();
      return;
    }
    if (send(text)) input.value = "";
  }

  root.addEventListener("click", function (event) {
    var chip = event.target.closest("button[data-message]");
    if (chip && root.contains(chip)) send(chip.getAttribute("data-message"));
  });

  /* ---- one turn ---- */
  function send(text) {
    if (busy) return false;
    busy = true;
    sendButton.disabled = true;
    if (!need && text !== "もっと") need = text;
    log.appendChild(el("li", "msg user", plain(text)));
    var pending = el("li", "msg bot pending");
    pending.appendChild(el("p", "bubble", "探しています…"));
    log.appendChild(pending);
    pending.scrollIntoView({ block: "nearest" });
    var body = { message: text };
    if (context) body.context = context;
    fetch(apiUrl("/api/chat"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error((data && data.error && data.error.message) || "エラーが発生しました。");
        return data;
      });
    }).then(function (data) {
      context = data.context || null;
      var reply = renderReply(data);
      log.replaceChild(reply, pending);
      reply.scrollIntoView({ block: "start" });
      announce.textContent = summaryLine(data);
    }).catch(function (error) {
      var failed = el("li", "msg bot error");
      failed.appendChild(el("p", "bubble", "うまく答えられませんでした: " + error.message + " もう一度お試しください。"));
      log.replaceChild(failed, pending);
      announce.textContent = failed.textContent;
    }).then(function () {
      busy = false;
      sendButton.disabled = false;
    });
    return true;
  }

  function apiUrl(path) {
    return new URL(path, document.baseURI).toString();
  }

  function summaryLine(data) {
    var results = data.results || [];
    var line = replyText(data);
    if (results.length) line += " " + results.length + "件の制度を表示しました。";
    return line;
  }

  /* ---- rendering ---- */
  function renderReply(data) {
    var item = el("li", "msg bot");
    var results = data.results || [];
    var bubble = el("p", "bubble ruby-target");
    fillText(bubble, replyText(data));
    item.appendChild(bubble);
    if (results.length) {
      var cards = el("ul", "cards");
      cards.setAttribute("aria-label", "合う制度");
      results.forEach(function (r) { cards.appendChild(renderCard(r)); });
      item.appendChild(cards);
    }
    (data.desks || []).forEach(function (d) { item.appendChild(renderDesk(d)); });
    if (data.indicator) item.appendChild(renderIndicator(data.indicator));
    var chips = (data.suggestions || []).map(function (s) { return s === "もっと" ? "もっと見る" : s; });
    if (results.length && chips.indexOf("もっと見る") < 0) chips.push("もっと見る");
    if (chips.length) {
      var list = el("ul", "suggestions");
      list.setAttribute("aria-label", "次に聞けること");
      chips.forEach(function (s) {
        var b = el("button", "chip", s);
        b.type = "button";
        b.setAttribute("data-message", s === "もっと見る" ? "もっと" : s);
        var li = el("li");
        li.appendChild(b);
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    if (typeof data.turn_id === "string" && data.turn_id) item.appendChild(renderFeedback(data.turn_id));
    if (furigana) applyFurigana(item);
    return item;
  }

  // The reply's parts: the lead, any details, how to go on. The programs are the cards, so
  // nothing is parsed out of the terminal text (`reply` stays for clients without parts).
  function replyText(data) {
    if (typeof data.lead !== "string") return data.reply || "";
    var parts = [data.lead].concat(data.body || []);
    if (data.follow_up) parts.push(data.follow_up);
    return parts.filter(function (p) { return p; }).join("\n\n");
  }

  // Text with every phone number as a tel: link, built node by node.
  var PHONE = /0\d{1,4}-\d{1,4}-\d{3,5}/g;
  function appendLinked(parent, text) {
    var last = 0;
    text.replace(PHONE, function (number, offset) {
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var a = el("a", "tel", number);
      a.href = telHref(number);
      parent.appendChild(a);
      last = offset + number.length;
      return number;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function fillText(node, text) {
    plainText.set(node, text);
    node.replaceChildren();
    appendLinked(node, text);
  }

  function renderCard(r) {
    var card = el("li", "card");
    card.setAttribute("data-program-id", r.id);
    var h = el("h3");
    var a = el("a", null, r.name);
    a.href = safePath(r.url, "/programs/" + encodeURIComponent(r.id));
    if (compact) { a.target = "_blank"; a.rel = "noopener"; }
    h.appendChild(a);
    card.appendChild(h);
    card.appendChild(el("p", "summary ruby-target", r.summary));
    var why = (r.why && r.why.length) ? r.why : (r.matched || []);
    if (why.length) card.appendChild(el("p", "why", "合った理由: " + why.join("、")));
    if (r.kinds && r.kinds.length) {
      var kinds = el("p", "meta");
      kinds.appendChild(el("span", "visually-hidden", "支援の種類: "));
      r.kinds.forEach(function (k) { kinds.appendChild(el("span", "kind", k)); });
      card.appendChild(kinds);
    }
    card.appendChild(renderContacts(r.contacts || []));
    if (r.source) card.appendChild(el("p", "source", "出典: " + r.source));
    card.appendChild(renderCardActions(r, a.href));
    return card;
  }

  function renderContacts(contacts) {
    var list = el("ul", "desks");
    list.setAttribute("aria-label", "窓口と電話番号");
    contacts.forEach(function (c) {
      var li = el("li", null, c.name + (c.qualifier ? "(" + c.qualifier + ")" : "") + " ");
      (c.phones || []).forEach(function (n) {
        var tel = el("a", "tel", n);
        tel.href = telHref(n);
        li.appendChild(tel);
        li.appendChild(document.createTextNode(" "));
      });
      list.appendChild(li);
    });
    return list;
  }

  function renderCardActions(r, href) {
    var actions = el("div", "card-actions");
    var more = el("a", null, "詳しく見る");
    more.href = href;
    if (compact) { more.target = "_blank"; more.rel = "noopener"; }
    more.setAttribute("aria-label", r.name + "を詳しく見る");
    var pick = el("button", "memo-pick", "相談メモに入れる");
    pick.type = "button";
    pick.setAttribute("aria-pressed", picked.has(r.id) ? "true" : "false");
    pick.setAttribute("aria-label", r.name + "を相談メモに入れる");
    pick.addEventListener("click", function () { togglePick(r.id, r.name); });
    pick.setAttribute("data-pick", r.id);
    actions.appendChild(more);
    actions.appendChild(pick);
    return actions;
  }

  function renderDesk(d) {
    var box = el("div", "card desk");
    box.appendChild(el("h3", null, d.name));
    var phones = el("ul", "phones");
    (d.phone_details || (d.phones || []).map(function (n) { return { number: n }; })).forEach(function (p) {
      var li = el("li");
      var tel = el("a", "tel", p.number);
      tel.href = telHref(p.number);
      li.appendChild(tel);
      if (p.label) li.appendChild(el("span", "phone-label", "(" + p.label + ")"));
      phones.appendChild(li);
    });
    box.appendChild(phones);
    return box;
  }

  function renderIndicator(ind) {
    var box = el("div", "card indicator-card");
    box.appendChild(el("h3", null, "成果指標: " + ind.name));
    var s = (ind.series && ind.series[0]) || {};
    var parts = [];
    if (s.baseline && s.baseline.text) parts.push("基準値 " + s.baseline.text);
    if (s.target && s.target.text) parts.push("目標値 " + s.target.text);
    Object.keys(s.actuals || {}).forEach(function (year) {
      var q = s.actuals[year];
      if (q && q.text) parts.push(year + "実績 " + q.text);
    });
    box.appendChild(el("p", null, parts.join(" / ")));
    return box;
  }

  /* ---- 役に立った / 役に立たなかった (POST /api/feedback; nothing kept in the browser) ---- */
  var THANKS = "ご意見ありがとうございました。";
  var feedbackCount = 0;

  function renderFeedback(turnId) {
    var n = ++feedbackCount;
    var box = el("div", "feedback");
    box.setAttribute("role", "group");
    var question = el("p", "feedback-question", "この回答は役に立ちましたか？");
    question.id = "fb-q-" + n;
    box.setAttribute("aria-labelledby", question.id);
    box.appendChild(question);

    var buttons = el("div", "feedback-buttons");
    var yes = el("button", "feedback-vote", "役に立った");
    var no = el("button", "feedback-vote", "役に立たなかった");
    [yes, no].forEach(function (b) {
      b.type = "button";
      b.setAttribute("aria-pressed", "false");
      buttons.appendChild(b);
    });
    box.appendChild(buttons);

    var commentRow = el("div", "feedback-comment");
    commentRow.hidden = true;
    var label = el("label", null, "よろしければ理由をひとこと(任意)");
    label.htmlFor = "fb-comment-" + n;
    var comment = el("input");
    comment.type = "text";
    comment.id = label.htmlFor;
    comment.maxLength = 500;
    comment.autocomplete = "off";
    comment.enterKeyHint = "send";
    var sendComment = el("button", "primary", "送信");
    sendComment.type = "button";
    commentRow.appendChild(label);
    commentRow.appendChild(comment);
    commentRow.appendChild(sendComment);
    box.appendChild(commentRow);

    var status = el("p", "feedback-status");
    status.hidden = true;
    box.appendChild(status);

    // Requests for one answer go one after another, so a comment never lands before its vote.
    // The buttons stay enabled (a disabled button drops the keyboard focus); while a request is
    // out, clicks on the vote buttons are ignored.
    var queue = Promise.resolve();
    var inFlight = 0;
    var commentQueued = false;

    function post(helpful, text, done) {
      inFlight += 1;
      box.setAttribute("aria-busy", "true");
      status.hidden = true;
      var body = { turn_id: turnId, helpful: helpful };
      if (text) body.comment = text;
      queue = queue.then(function () {
        return fetch(apiUrl("/api/feedback"), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body)
        });
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        if (done) done();
      }).catch(function () {
        commentQueued = false; // let the visitor try again
        status.textContent = "すみません、評価を送れませんでした。時間をおいてもう一度お試しください。";
        status.className = "feedback-status error";
        status.hidden = false;
        announce.textContent = status.textContent;
      }).then(function () {
        inFlight -= 1;
        if (!inFlight) box.removeAttribute("aria-busy");
      });
    }

    function thank() {
      var active = document.activeElement;
      var hadFocus = !active || active === document.body || box.contains(active);
      var thanks = el("p", "feedback-thanks", THANKS);
      thanks.tabIndex = -1;
      box.replaceChildren(thanks);
      box.removeAttribute("role");
      box.removeAttribute("aria-labelledby");
      if (hadFocus) thanks.focus();
      announce.textContent = THANKS;
    }

    yes.addEventListener("click", function () {
      if (inFlight) return;
      yes.setAttribute("aria-pressed", "true");
      no.setAttribute("aria-pressed", "false");
      commentRow.hidden = true;
      post(true, "", thank);
    });
    no.addEventListener("click", function () {
      if (inFlight) return;
      var again = no.getAttribute("aria-pressed") === "true";
      no.setAttribute("aria-pressed", "true");
      yes.setAttribute("aria-pressed", "false");
      commentRow.hidden = false;
      comment.focus();
      if (!again) post(false, ""); // the vote counts even if no comment follows
    });
    function submitComment() {
      if (commentQueued) return;
      commentQueued = true;
      post(false, comment.value.trim(), thank);
    }
    onPlainEnter(comment, submitComment);
    sendComment.addEventListener("click", submitComment);
    return box;
  }

  /* ---- 相談メモ ---- */
  function togglePick(id, name) {
    if (picked.has(id)) picked.delete(id); else picked.set(id, name);
    log.querySelectorAll("[data-pick]").forEach(function (b) {
      b.setAttribute("aria-pressed", picked.has(b.getAttribute("data-pick")) ? "true" : "false");
    });
    updateMemo();
  }

  function updateMemo() {
    memoBar.hidden = picked.size === 0;
    memoCount.textContent = String(picked.size);
    var params = new URLSearchParams();
    params.set("ids", Array.from(picked.keys()).join(","));
    if (need) params.set("need", need);
    memoLink.href = memoLink.pathname + "?" + params.toString();
  }

  document.getElementById("memo-clear").addEventListener("click", function () {
    picked.clear();
    log.querySelectorAll("[data-pick]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    updateMemo();
    input.focus();
  });

  /* ---- やさしい日本語: furigana over the kanji of replies ---- */
  rubyToggle.addEventListener("click", function () {
    furigana = !furigana;
    rubyToggle.setAttribute("aria-pressed", furigana ? "true" : "false");
    if (furigana) applyFurigana(log);
    else log.querySelectorAll(".ruby-target").forEach(restorePlain);
  });

  function applyFurigana(scope) {
    scope.querySelectorAll(".ruby-target").forEach(function (node) {
      if (!plainText.has(node)) plainText.set(node, node.textContent);
      var text = plainText.get(node);
      segmentsFor(text).then(function (segments) {
        if (furigana && segments) fillRuby(node, segments);
      });
    });
  }

  function segmentsFor(text) {
    if (readings.has(text)) return Promise.resolve(readings.get(text));
    return fetch(apiUrl("/api/furigana"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text.slice(0, 2000) })
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var segments = data && data.segments;
        if (segments) readings.set(text, segments);
        return segments;
      }).catch(function () { return null; });
  }

  function fillRuby(node, segments) {
    var frag = document.createDocumentFragment();
    var run = ""; // plain text between ruby words, linked as one piece so phone numbers stay whole
    segments.forEach(function (seg) {
      if (seg.reading && seg.reading !== seg.text) {
        appendLinked(frag, run);
        run = "";
        var ruby = el("ruby", null, seg.text);
        ruby.appendChild(el("rp", null, "("));
        ruby.appendChild(el("rt", null, seg.reading));
        ruby.appendChild(el("rp", null, ")"));
        frag.appendChild(ruby);
      } else {
        run += seg.text;
      }
    });
    appendLinked(frag, run);
    node.replaceChildren(frag);
  }

  function restorePlain(node) {
    if (plainText.has(node)) fillText(node, plainText.get(node));
  }

  /* ---- inside the embed.js frame: Esc and 閉じる hand focus back to the host page ---- */
  if (compact && window.parent !== window) {
    var close = document.getElementById("close-widget");
    var closeFrame = function () { window.parent.postMessage({ type: "shien-navi:close" }, "*"); };
    close.hidden = false;
    close.addEventListener("click", closeFrame);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !event.isComposing && !inputComposing()) closeFrame();
    });
    window.addEventListener("message", function (event) {
      if (event.source !== window.parent || !event.data) return;
      if (event.data.type === "shien-navi:focus") input.focus();
      if (event.data.type === "shien-navi:config" && embedderAllowed(event.origin)) configure(event.data);
    });
  }

  /* The title and greeting come only from an allowed embedding site (never from the URL), under
     the same rules as the server's CORS and frame-ancestors (web/origins.py). */
  function embedderAllowed(origin) {
    var rules;
    try { rules = JSON.parse(root.getAttribute("data-embedders") || "[]"); } catch (e) { return false; }
    if (rules === "*" || origin === window.location.origin) return true;  // 'self' may frame it too
    var m = /^(https?):\/\/([a-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(String(origin));
    if (!m) return false;
    var port = m[3] ? Number(m[3]) : (m[1] === "https" ? 443 : 80);
    return rules.some(function (r) {
      if (r.scheme !== m[1] || r.port !== port) return false;
      return r.wildcard ? m[2].slice(-(r.host.length + 1)) === "." + r.host : m[2] === r.host;
    });
  }

  function configure(data) {
    var titleMax = Number(root.getAttribute("data-title-max")) || 40;
    var greetingMax = Number(root.getAttribute("data-greeting-max")) || 200;
    var title = typeof data.title === "string" ? plain(data.title).trim().slice(0, titleMax) : "";
    var greeting = typeof data.greeting === "string" ? plain(data.greeting).trim().slice(0, greetingMax) : "";
    if (title) {
      root.querySelector(".widget-head h1").textContent = title;
      document.title = title;
    }
    if (greeting) root.querySelector(".welcome").textContent = greeting;
  }
})();
