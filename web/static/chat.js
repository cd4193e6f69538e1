/* ふくしま支援ナビ chat: every server text goes in through textContent / createElement, never
 * innerHTML. Nothing is stored before the first message; after it, the conversation (what was
 * asked, the replies and `context`) is kept in this tab's sessionStorage, so a reload or Back
 * restores it, and 「最初から」 clears it. No cookies, no localStorage. */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var log = document.getElementById("log");
  var announce = document.getElementById("announce");
  var rubyToggle = document.getElementById("ruby-toggle");
  var restartButton = document.getElementById("restart");
  var memoBar = document.getElementById("memo-bar");
  var memoLink = document.getElementById("memo-link");
  var memoCount = document.getElementById("memo-count");
  var compact = root.getAttribute("data-compact") === "true";

  var STORE_KEY = "shien-navi:conversation";
  var STORE_VERSION = 1;
  var MAX_TURNS = 30;      // the oldest turns drop out of what is kept
  var INPUT_MAX_PX = 160;  // the input grows with its text up to this height

  var context = null;      // the previous reply's context, sent back with the next message
  var need = "";           // the visitor's own words, for the 相談メモ
  var busy = false;
  var picked = new Map();  // program id → name, chosen for the 相談メモ
  var transcript = [];     // [{message, data, voted}]: what sessionStorage keeps
  var furigana = false;
  var readings = new Map(); // display text → furigana segments, so toggling does not ask twice
  var phraseMap = new Map(); // text → its display phrases (BudouX, from the server)
  var plainText = new WeakMap(); // node → the text it shows

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

  function strings(list) {
    return Array.isArray(list) ? list.filter(function (s) { return typeof s === "string" && s; }) : [];
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

  var inputComposing = onPlainEnter(input, submit);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  // One line that grows as the visitor types (up to INPUT_MAX_PX, then it scrolls).
  function fitInput() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, INPUT_MAX_PX) + "px";
  }
  input.addEventListener("input", fitInput);

  function submit() {
    var text = input.value.trim();
    if (!text) {
      input.focus();
      return;
    }
    if (send(text)) {
      input.value = "";
      fitInput();
    }
  }

  // A chip sends its words; the keyboard (or mouse) user is put back in the input, so the next
  // question needs no hunting. A finger tap leaves the phone's keyboard closed over the answer.
  root.addEventListener("click", function (event) {
    var chip = event.target.closest("button[data-message]");
    if (!chip || !root.contains(chip)) return;
    send(chip.getAttribute("data-message"));
    if (event.pointerType !== "touch") input.focus({ preventScroll: true });
  });

  // The skip link lands in the input itself.
  var skip = document.getElementById("skip");
  if (skip) skip.addEventListener("click", function (event) {
    event.preventDefault();
    input.focus();
  });

  /* ---- one turn ---- */
  function send(text) {
    if (busy) return false;
    busy = true;
    sendButton.disabled = true;
    var asked = plain(text);
    log.appendChild(el("li", "msg user", asked));
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
      if (!need && text !== "もっと") need = text;
      context = data.context || null;
      var turn = { message: asked, data: data, voted: false };
      transcript.push(turn);
      var reply = renderReply(data, turn);
      log.replaceChild(reply, pending);
      reply.scrollIntoView({ block: "start" });
      announce.textContent = summaryLine(data);
      restartButton.hidden = false;
      updateMemo();
      save();
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
    var line = [data.lead || data.reply || ""].concat(results.length ? [] : strings(data.body)).join(" ");
    if (results.length) line += " " + results.length + "件の制度を表示しました。";
    return line;
  }

  /* ---- kept in this tab: sessionStorage after the first message ---- */
  function save() {
    if (!transcript.length) return;
    transcript = transcript.slice(-MAX_TURNS);
    var kept = { v: STORE_VERSION, turns: transcript, context: context, need: need,
                 picked: Array.from(picked.entries()), furigana: furigana };
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(kept));
    } catch (e) {
      // storage full or switched off: the conversation still works, it is only not kept
    }
  }

  function forget() {
    try { sessionStorage.removeItem(STORE_KEY); } catch (e) { /* nothing was kept */ }
  }

  function readKept() {
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null"); } catch (e) { kept = null; }
    if (!kept || kept.v !== STORE_VERSION || !Array.isArray(kept.turns)) return null;
    var turns = kept.turns.filter(function (t) {
      return t && typeof t.message === "string" && t.data && typeof t.data === "object";
    });
    return turns.length ? { turns: turns, kept: kept } : null;
  }

  function restore() {
    var found = readKept();
    if (!found) return;
    var kept = found.kept;
    transcript = found.turns;
    context = kept.context && typeof kept.context === "object" ? kept.context : null;
    need = typeof kept.need === "string" ? kept.need : "";
    (Array.isArray(kept.picked) ? kept.picked : []).forEach(function (pair) {
      if (Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string") picked.set(pair[0], pair[1]);
    });
    transcript.forEach(function (turn) {
      log.appendChild(el("li", "msg user", plain(turn.message)));
      log.appendChild(renderReply(turn.data, turn));
    });
    restartButton.hidden = false;
    updateMemo();
    if (kept.furigana === true) setFurigana(true);
  }

  // 「最初から」: the conversation, its context and the 相談メモ choices go, here and in storage.
  restartButton.addEventListener("click", function () {
    forget();
    transcript = [];
    context = null;
    need = "";
    picked.clear();
    log.replaceChildren();
    updateMemo();
    restartButton.hidden = true;
    input.value = "";
    fitInput();
    window.scrollTo(0, 0);
    input.focus({ preventScroll: true });
    announce.textContent = "会話を消しました。最初からどうぞ。";
  });

  /* ---- text: phrase by phrase (BudouX on the server), phone numbers as tel: links ---- */
  function rememberPhrases(map) {
    if (!map || typeof map !== "object") return;
    Object.keys(map).forEach(function (text) {
      var list = strings(map[text]);
      if (list.length) phraseMap.set(text, list);
    });
  }

  function phrasesOf(text) {
    return phraseMap.get(text) || [text];
  }

  // Text with every phone number as a tel: link, built node by node; 「電話」 (or TEL) and the
  // number after it are one unbreakable piece.
  var PHONE = /(?:(電話|TEL)[\u00a0 ])?(0\d{1,4}-\d{1,4}-\d{3,5})/g;
  function appendLinked(parent, text) {
    var last = 0;
    text.replace(PHONE, function (whole, label, number, offset) {
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var a = el("a", "tel", number);
      a.href = telHref(number);
      if (label) {
        var piece = el("span", "nowrap", label + "\u00a0");
        piece.appendChild(a);
        parent.appendChild(piece);
      } else {
        parent.appendChild(a);
      }
      last = offset + whole.length;
      return whole;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function phrased(phrases) {
    var span = el("span", "jp");
    phrases.forEach(function (p, i) {
      if (i) span.appendChild(document.createElement("wbr"));
      appendLinked(span, p);
    });
    return span;
  }

  function setText(node, text) {
    text = String(text);
    plainText.set(node, text);
    node.replaceChildren(phrased(phrasesOf(text)));
    return node;
  }

  function textEl(tag, className, text) {
    return setText(el(tag, className ? className + " ruby-target" : "ruby-target"), text);
  }

  // A node the server drew phrase by phrase (<wbr> between phrases): learn its text and phrases.
  function capture(node) {
    if (plainText.has(node)) return;
    var phrases = [""];
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    while (walker.nextNode()) {
      var n = walker.currentNode;
      if (n.nodeType === Node.TEXT_NODE) phrases[phrases.length - 1] += n.nodeValue;
      else if (n.tagName === "WBR") phrases.push("");
    }
    phrases = phrases.filter(function (p) { return p; });
    var text = phrases.join("");
    if (!phraseMap.has(text)) phraseMap.set(text, phrases);
    plainText.set(node, text);
  }

  /* ---- rendering: the reply's parts (lead, body, follow_up) and a card per result ---- */
  function renderReply(data, turn) {
    rememberPhrases(data.phrases);
    var item = el("li", "msg bot");
    var results = Array.isArray(data.results) ? data.results : [];
    var body = strings(data.body);
    // With results the cards show the programs; `body` is the same in words (for text-only
    // channels), so it is drawn only when there is no card. One program asked about in detail
    // (「2番目を詳しく」) is one card opened at its description and every desk.
    var detail = results.length === 1 && body.length > 0;
    item.appendChild(textEl("p", "bubble lead", typeof data.lead === "string" ? data.lead : (data.reply || "")));
    if (!results.length) body.forEach(function (b) { item.appendChild(textEl("p", "bubble body", b)); });
    if (results.length) {
      var cards = el("ul", "cards");
      cards.setAttribute("aria-label", "合う制度");
      var first = Number(data.first) > 0 ? Number(data.first) : 1;
      results.forEach(function (r, i) { cards.appendChild(renderCard(r, detail ? 0 : first + i, detail)); });
      item.appendChild(cards);
    }
    (data.desks || []).forEach(function (d) { item.appendChild(renderDesk(d)); });
    if (data.indicator) item.appendChild(renderIndicator(data.indicator));
    if (typeof data.follow_up === "string" && data.follow_up) item.appendChild(textEl("p", "follow-up", data.follow_up));
    var chips = strings(data.suggestions).map(function (s) { return s === "もっと" ? "もっと見る" : s; });
    if (chips.length) {
      var list = el("ul", "suggestions");
      list.setAttribute("aria-label", "次に聞けること");
      chips.forEach(function (s) {
        var b = textEl("button", "chip", s);
        b.type = "button";
        b.setAttribute("data-message", s === "もっと見る" ? "もっと" : s);
        var li = el("li");
        li.appendChild(b);
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    if (typeof data.turn_id === "string" && data.turn_id && !turn.voted) {
      item.appendChild(renderFeedback(data.turn_id, function () { turn.voted = true; save(); }));
    }
    if (furigana) applyFurigana(item);
    return item;
  }

  var LEVELS = { "市": "city", "県": "prefecture", "国": "national", "その他": "other" };

  function renderCard(r, number, open) {
    var card = el("li", "card");
    card.setAttribute("data-program-id", r.id);
    var h = el("h3", "card-title");
    if (number) {
      var num = el("span", "card-number", String(number));
      num.setAttribute("aria-label", number + "番目");
      h.appendChild(num);
    }
    var href = safePath(r.url, "/programs/" + encodeURIComponent(r.id));
    var a = textEl("a", null, r.name);
    a.href = href;
    if (compact) { a.target = "_blank"; a.rel = "noopener"; }
    h.appendChild(a);
    card.appendChild(h);
    if (LEVELS[r.level]) {
      var level = el("p", "level level-" + LEVELS[r.level]);
      level.appendChild(el("span", "visually-hidden", "窓口: "));
      level.appendChild(document.createTextNode(r.level === "その他" ? "その他" : r.level + "の制度"));
      card.appendChild(level);
    }
    var contacts = Array.isArray(r.contacts) ? r.contacts : [];
    card.appendChild(renderCallFirst(contacts));
    card.appendChild(textEl("p", "summary", r.summary));
    var reasons = strings(r.reasons);
    if (reasons.length) card.appendChild(textEl("p", "why", reasons.join("。") + "。"));
    card.appendChild(renderDetails(r, contacts, open));
    if (r.source) {
      var source = el("p", "source", "出典: ");
      source.appendChild(textEl("span", null, r.source));
      card.appendChild(source);
    }
    card.appendChild(renderCardActions(r, href));
    return card;
  }

  // The desk to call first, with its number as a big button (「電話番号の記載なし」 when none).
  function renderCallFirst(contacts) {
    var box = el("div", "call-first");
    var first = contacts.filter(function (c) { return c.call_first; })[0] || contacts[0];
    if (!first) {
      box.appendChild(el("p", "no-phone", "窓口の記載なし"));
      return box;
    }
    if (contacts.length > 1) box.appendChild(el("p", "call-first-label", "まずはここへ"));
    box.appendChild(deskName(first, "p"));
    box.appendChild(phoneList(first));
    return box;
  }

  function deskName(c, tag) {
    var name = el(tag, "desk-name");
    if (c.role) name.appendChild(textEl("span", "role", c.role + ": "));
    name.appendChild(textEl("span", null, c.name));
    if (c.qualifier) {
      var q = el("span", "qualifier", "（");
      q.appendChild(textEl("span", null, c.qualifier));
      q.appendChild(document.createTextNode("）"));
      name.appendChild(q);
    }
    return name;
  }

  function phoneList(c) {
    var details = Array.isArray(c.phone_details) ? c.phone_details :
      strings(c.phones).map(function (n) { return { number: n }; });
    if (!details.length) return el("p", "no-phone", "電話番号の記載なし");
    var list = el("ul", "phones");
    details.forEach(function (p) {
      var li = el("li");
      li.appendChild(telButton(p.number));
      if (p.label) {
        var label = el("span", "phone-label", "（");
        label.appendChild(textEl("span", null, p.label));
        label.appendChild(document.createTextNode("）"));
        li.appendChild(label);
      }
      list.appendChild(li);
    });
    return list;
  }

  function telButton(number) {
    var a = el("a", "tel tel-button");
    a.href = telHref(number);
    a.appendChild(el("span", "tel-label", "電話"));
    a.appendChild(document.createTextNode("\u00a0" + number));
    return a;
  }

  // 「詳しく」: the program's whole description and every desk, the first to call marked.
  function renderDetails(r, contacts, open) {
    var more = el("details", "card-more");
    if (open) more.open = true;
    var places = contacts.length > 1 ? "説明と窓口" + contacts.length + "か所" : "説明と窓口";
    more.appendChild(el("summary", null, "詳しく（" + places + "）"));
    if (r.description_note) more.appendChild(textEl("p", "note", r.description_note));
    more.appendChild(textEl("p", "description", r.description || r.summary));
    more.appendChild(el("h4", null, "相談・申し込みの窓口"));
    var list = el("ul", "desks");
    contacts.forEach(function (c) {
      var li = el("li");
      if (c.call_first && contacts.length > 1) li.appendChild(el("span", "first-mark", "まずはここへ"));
      li.appendChild(deskName(c, "span"));
      li.appendChild(phoneList(c));
      list.appendChild(li);
    });
    more.appendChild(list);
    return more;
  }

  function renderCardActions(r, href) {
    var actions = el("div", "card-actions");
    var page = el("a", null, "制度のページ");
    page.href = href;
    if (compact) { page.target = "_blank"; page.rel = "noopener"; }
    page.setAttribute("aria-label", r.name + "の制度のページ");
    var pick = el("button", "memo-pick", "相談メモに入れる");
    pick.type = "button";
    pick.setAttribute("aria-pressed", picked.has(r.id) ? "true" : "false");
    pick.setAttribute("aria-label", r.name + "を相談メモに入れる");
    pick.addEventListener("click", function () { togglePick(r.id, r.name); });
    pick.setAttribute("data-pick", r.id);
    actions.appendChild(page);
    actions.appendChild(pick);
    return actions;
  }

  function renderDesk(d) {
    var box = el("div", "card desk");
    box.appendChild(textEl("h3", null, d.name));
    var phones = (d.phone_details || strings(d.phones).map(function (n) { return { number: n }; }));
    box.appendChild(phoneList({ phone_details: phones }));
    return box;
  }

  function renderIndicator(ind) {
    var box = el("div", "card indicator-card");
    var h = el("h3", null, "成果指標: ");
    h.appendChild(textEl("span", null, ind.name));
    box.appendChild(h);
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

  /* ---- 役に立った / 役に立たなかった (POST /api/feedback; the kept conversation only notes that it was sent) ---- */
  var THANKS = "ご意見ありがとうございました。";
  var feedbackCount = 0;

  function renderFeedback(turnId, onThanked) {
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
      if (onThanked) onThanked();
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
    save();
  }

  function updateMemo() {
    memoBar.hidden = picked.size === 0;
    memoCount.textContent = String(picked.size);
    var params = new URLSearchParams();
    params.set("ids", Array.from(picked.keys()).join(","));
    if (need) params.set("need", need);
    memoLink.href = memoLink.pathname + "?" + params.toString();
    log.querySelectorAll("[data-pick]").forEach(function (b) {
      b.setAttribute("aria-pressed", picked.has(b.getAttribute("data-pick")) ? "true" : "false");
    });
  }

  document.getElementById("memo-clear").addEventListener("click", function () {
    picked.clear();
    log.querySelectorAll("[data-pick]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    updateMemo();
    save();
    input.focus();
  });

  /* ---- やさしい日本語: furigana over the kanji of names, desks, chips and replies ---- */
  rubyToggle.addEventListener("click", function () {
    setFurigana(!furigana);
    save();
  });

  function setFurigana(on) {
    furigana = on;
    rubyToggle.setAttribute("aria-checked", on ? "true" : "false");
    if (on) applyFurigana(root);
    else root.querySelectorAll(".ruby-target").forEach(restorePlain);
  }

  function displayOf(node) {
    return phrasesOf(plainText.get(node)).join("");
  }

  // One request for every text still without readings, then ruby on each node.
  function applyFurigana(scope) {
    var nodes = Array.prototype.slice.call(scope.querySelectorAll(".ruby-target"));
    nodes.forEach(capture);
    var missing = Array.from(new Set(nodes.map(displayOf))).filter(function (t) {
      return t && !readings.has(t) && t.length <= 2000;
    });
    fetchReadings(missing).then(function () {
      if (!furigana) return;
      nodes.forEach(function (node) {
        var segments = readings.get(displayOf(node));
        if (segments) fillRuby(node, segments);
      });
    });
  }

  function fetchReadings(texts) {
    var batches = [];
    var batch = [], size = 0;
    texts.forEach(function (t) {
      if (batch.length && (batch.length >= 100 || size + t.length > 4000)) {
        batches.push(batch);
        batch = [];
        size = 0;
      }
      batch.push(t);
      size += t.length;
    });
    if (batch.length) batches.push(batch);
    return Promise.all(batches.map(function (b) {
      return fetch(apiUrl("/api/furigana/batch"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ texts: b })
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          var results = data && Array.isArray(data.results) ? data.results : [];
          results.forEach(function (res, i) {
            if (res && Array.isArray(res.segments)) readings.set(b[i], res.segments);
          });
        }).catch(function () { /* no readings: the text stays as it is */ });
    }));
  }

  // Ruby words over the phrases: <wbr> stays at every phrase boundary between the words.
  function fillRuby(node, segments) {
    var phrases = phrasesOf(plainText.get(node));
    var text = phrases.join("");
    if (segments.map(function (s) { return s.text; }).join("") !== text) return;
    var bounds = new Set();
    phrases.reduce(function (offset, p) { bounds.add(offset); return offset + p.length; }, 0);
    var span = el("span", "jp");
    var pos = 0;
    segments.forEach(function (seg) {
      if (seg.reading && seg.reading !== seg.text) {
        if (pos && bounds.has(pos)) span.appendChild(document.createElement("wbr"));
        var ruby = el("ruby", null, seg.text);
        ruby.appendChild(el("rp", null, "("));
        ruby.appendChild(el("rt", null, seg.reading));
        ruby.appendChild(el("rp", null, ")"));
        span.appendChild(ruby);
        pos += seg.text.length;
        return;
      }
      var start = 0;
      for (var i = 1; i <= seg.text.length; i++) {
        if (i === seg.text.length || bounds.has(pos + i)) {
          if (pos + start && bounds.has(pos + start)) span.appendChild(document.createElement("wbr"));
          appendLinked(span, seg.text.slice(start, i));
          start = i;
        }
      }
      pos += seg.text.length;
    });
    node.replaceChildren(span);
  }

  function restorePlain(node) {
    if (plainText.has(node)) setText(node, plainText.get(node));
  }

  restore();

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
    if (greeting) setText(root.querySelector(".welcome"), greeting);
  }
})();
