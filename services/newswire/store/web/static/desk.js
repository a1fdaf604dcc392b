// newswire desk: local times, the live alert stream, the silence dialog, j/k between rows.
// Plain JS, no dependencies; the pages work without it (but are not live).
"use strict";
(function () {
  var fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

  // Times arrive as UTC text; show them in the viewer's zone and keep UTC on hover (title).
  function localTimes(root) {
    root.querySelectorAll("time[data-local]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) { t.textContent = fmt.format(d); }
    });
  }

  function announce(text) {
    var box = document.getElementById("announce");
    if (box) { box.textContent = ""; window.setTimeout(function () { box.textContent = text; }, 50); }
  }

  function rowFrom(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    return tpl.content.firstElementChild;
  }

  var MAX_ROWS = 500;
  var unseen = 0, baseTitle = document.title;
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { unseen = 0; document.title = baseTitle; }
  });

  function liveAlerts() {
    var table = document.getElementById("alerts");
    if (!table || !window.EventSource) { return; }
    var body = table.tBodies[0], empty = document.getElementById("alerts-empty");
    var live = document.getElementById("live"), liveText = live.querySelector(".live-text");
    function state(s, text) { live.dataset.live = s; liveText.textContent = text; }
    var source = new EventSource("/stream?since=" + encodeURIComponent(table.dataset.since || ""));
    source.onopen = function () { state("on", "live"); };
    source.onerror = function () { state(source.readyState === 2 ? "error" : "off", "reconnecting…"); };
    source.addEventListener("alert", function (msg) {
      var data = JSON.parse(msg.data);
      var old = body.querySelector('tr[data-alert-id="' + CSS.escape(data.id) + '"]');
      if (old && old.dataset.version === data.version) { return; }
      var row = rowFrom(data.html);
      if (old && old.classList.contains("silenced")) { markSilenced(row, old.dataset.silencedUntil); }
      if (old) { old.remove(); }
      localTimes(row);
      row.classList.add("fresh");
      body.insertBefore(row, body.firstElementChild);
      while (body.rows.length > MAX_ROWS) { body.deleteRow(-1); }  // a page left open for weeks
      table.hidden = false;
      if (empty) { empty.hidden = true; }
      var title = row.querySelector(".title").textContent;
      announce((data.state === "updated" ? "Alert updated: " : "New alert: ") + title);
      if (document.hidden) { unseen += 1; document.title = "(" + unseen + ") " + baseTitle; }
    });
  }

  function markSilenced(row, until) {
    row.classList.add("silenced");
    row.dataset.silencedUntil = until || "";
    var btn = row.querySelector("button.silence");
    if (btn) { btn.disabled = true; btn.textContent = "Silenced"; }
    var cell = row.querySelector(".actions");
    if (cell && until && !cell.querySelector(".silenced-note")) {
      var note = document.createElement("span");
      note.className = "silenced-note";
      note.textContent = "until " + fmt.format(new Date(until));
      cell.appendChild(note);
    }
  }

  // Mark the alerts an active silence mutes (one made here, or any silence of exactly one alert).
  function knownSilences() {
    if (!document.getElementById("alerts")) { return; }
    fetch("/desk/silences", { headers: { "X-Requested-With": "newswire-desk" } }).then(function (r) {
      return r.ok ? r.json() : { silences: [] };
    }).then(function (answer) {
      answer.silences.forEach(function (s) {
        if (s.matchers.length !== 1 || s.matchers[0].name !== "alert_id" || s.matchers[0].is_regex) { return; }
        var row = document.querySelector('tr[data-alert-id="' + CSS.escape(s.matchers[0].value) + '"]');
        if (row) { markSilenced(row, s.ends_at); }
      });
    }).catch(function () { /* the alert service is down: the buttons say so when used */ });
  }

  function silenceDialog() {
    var dialog = document.getElementById("silence-dialog");
    if (!dialog) { return; }
    var form = document.getElementById("silence-form"), error = document.getElementById("silence-error");
    var current = null, opener = null;
    document.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button.silence");
      if (!btn) { return; }
      current = btn.dataset.alertId; opener = btn;
      document.getElementById("silence-what").textContent = btn.dataset.title;
      error.hidden = true;
      dialog.showModal();
    });
    dialog.addEventListener("close", function () { if (opener) { opener.focus(); } });
    document.getElementById("silence-cancel").addEventListener("click", function () { dialog.close(); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();  // Enter in the form silences; Cancel and Escape close the dialog
      var ok = document.getElementById("silence-ok");
      ok.disabled = true;
      fetch("/desk/silences", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Requested-With": "newswire-desk" },
        body: JSON.stringify({
          alert_id: current,
          duration: form.elements.duration.value,
          comment: form.elements.comment.value,
        }),
      }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, body: j }; });
      }).then(function (res) {
        if (!res.ok) { throw new Error(res.body.detail || "the silence was not created"); }
        var row = document.querySelector('tr[data-alert-id="' + CSS.escape(current) + '"]');
        if (row) { markSilenced(row, res.body.ends_at); }
        dialog.close();
        announce("Silenced until " + fmt.format(new Date(res.body.ends_at)));
      }).catch(function (e) {
        error.textContent = e.message; error.hidden = false;
      }).finally(function () { ok.disabled = false; });
    });
  }

  // j / k move between the rows of the page's table, Enter opens the row's first link.
  function rowKeys() {
    document.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      if (ev.target.closest("input, select, textarea, dialog")) { return; }
      if (ev.key !== "j" && ev.key !== "k") { return; }
      var rows = Array.prototype.slice.call(document.querySelectorAll("main table.grid tbody tr"));
      if (!rows.length) { return; }
      var at = rows.indexOf(document.activeElement.closest("tr"));
      var next = rows[Math.max(0, Math.min(rows.length - 1, at + (ev.key === "j" ? 1 : -1)))];
      if (at < 0) { next = rows[0]; }
      next.tabIndex = -1;
      next.focus();
      ev.preventDefault();
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter" || !ev.target.matches || !ev.target.matches("tr")) { return; }
      var link = ev.target.querySelector("a");
      if (link) { link.click(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    liveAlerts();
    silenceDialog();
    knownSilences();
    rowKeys();
  });
})();
