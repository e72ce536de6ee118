// Fanout run pages: live updates of a running run, cancel and start. No library; loaded with `defer`.
"use strict";
(function () {
  var UI_HEADER = { "X-Fanout-UI": "1" };
  var TABLE_REFRESH_MS = 2000;
  var TREE_REFRESH_MS = 5000;
  // The public URL's path (/fanout behind a proxy's sub-path; empty without), which the server writes on the body:
  // every request the script makes starts with it, as the server's links do.
  var BASE = document.body.getAttribute("data-base") || "";

  function byId(id) { return document.getElementById(id); }
  function lower(key) { return String(key).toLowerCase(); }
  function title(text) { text = String(text); return text.charAt(0).toUpperCase() + text.slice(1); }

  // Counts arrive keyed by status name; compare case-insensitively whatever the JSON's casing.
  function normalize(counts) {
    var out = {};
    Object.keys(counts || {}).forEach(function (k) { out[lower(k)] = counts[k]; });
    return out;
  }
  function done(counts) { return (counts.succeeded || 0) + (counts.failed || 0) + (counts.cancelled || 0); }

  function setBar(bar, ended, total) {
    if (!bar) return;
    bar.max = Math.max(total, 1);
    bar.value = ended;
    bar.setAttribute("data-done", ended);
    bar.setAttribute("data-total", total);
    bar.textContent = ended + " of " + total;
  }

  function setCounts(scope, attribute, counts) {
    scope.querySelectorAll("[" + attribute + "]").forEach(function (el) {
      if (attribute === "data-group-count" && el.closest("details") !== scope.closest("details")) return;
      var n = counts[el.getAttribute(attribute)] || 0;
      el.textContent = String(n);
      if (el.parentElement) el.parentElement.classList.toggle("zero", n === 0);
    });
  }

  function errorText(response, body) {
    try { var parsed = JSON.parse(body); if (parsed && parsed.error) return parsed.error; } catch (e) { /* not JSON */ }
    return "the node answered " + response.status + (body ? ": " + body.slice(0, 300) : "");
  }

  function showError(el, text) { if (el) { el.textContent = text; el.hidden = false; } }

  function RunWatch(runId) {
    this.runId = runId;
    this.lastCounts = null;
    this.tableAt = 0;
    this.tableTimer = null;
    this.treeAt = 0;
  }

  RunWatch.prototype.start = function () {
    var self = this;
    var source = new EventSource(BASE + "/ui/runs/" + encodeURIComponent(this.runId) + "/events");
    source.addEventListener("summary", function (e) { self.apply(JSON.parse(e.data)); });
    source.addEventListener("end", function () {
      source.close();
      var live = byId("live");
      if (live) { live.setAttribute("data-state", "ended"); live.textContent = "ended"; }
      var cancel = byId("cancel-run");
      if (cancel) cancel.remove();
      self.refreshTable(true);
      // A failed run's error is rendered by the server; fetch the page once to show it.
      if (byId("run-status") && byId("run-status").textContent === "Failed" && !byId("error")) window.location.reload();
    });
  };

  RunWatch.prototype.apply = function (summary) {
    var counts = normalize(summary.counts);
    var status = byId("run-status");
    if (status) { status.textContent = title(summary.status); status.className = "status-" + lower(summary.status); }
    if (summary.finishedAt && byId("run-finished")) byId("run-finished").textContent = summary.finishedAt.replace("T", " ").replace(/\.\d+/, "");
    if (byId("total-actions")) byId("total-actions").textContent = String(summary.totalActions);
    setCounts(document.getElementById("run-counts") || document, "data-count", counts);
    setBar(byId("run-progress"), done(counts), summary.totalActions);
    this.applyFolders(summary.folders || []);
    var key = JSON.stringify(counts) + summary.totalActions;
    if (key !== this.lastCounts) { this.lastCounts = key; this.refreshTable(false); }
  };

  // The server sends the folders the page draws, each already counting its nested groups' actions.
  RunWatch.prototype.applyFolders = function (folders) {
    var tree = byId("group-tree");
    if (!tree) return;
    var drawn = {};
    tree.querySelectorAll("details[data-group]").forEach(function (node) { drawn[node.getAttribute("data-group")] = node; });
    var missing = 0;
    folders.forEach(function (folder) {
      var node = drawn[folder.path];
      if (!node) { missing++; return; }
      var counts = normalize(folder.counts);
      var summary = node.querySelector(":scope > summary");
      setCounts(summary, "data-group-count", counts);
      var total = summary.querySelector("[data-group-total]");
      if (total) total.textContent = String(folder.total);
      setBar(summary.querySelector("progress"), done(counts), folder.total);
    });
    // Folders the page has not drawn yet (groups started since it loaded): draw the tree again, now and then.
    if (missing > 0) this.refreshTree();
  };

  RunWatch.prototype.refreshTable = function (force) {
    var self = this;
    var wait = this.tableAt + TABLE_REFRESH_MS - Date.now();
    if (!force && wait > 0) {
      if (!this.tableTimer) this.tableTimer = setTimeout(function () { self.tableTimer = null; self.refreshTable(true); }, wait);
      return;
    }
    var section = byId("actions-section");
    if (!section) return;
    this.tableAt = Date.now();
    fetch(section.getAttribute("data-fragment"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("actions-section");
        var current = byId("actions-section");
        // Keyboard focus inside the table stays where it was rather than being swapped away under the user.
        if (fresh && current && !current.contains(document.activeElement)) current.replaceWith(fresh);
      })
      .catch(function () { /* the next change tries again */ });
  };

  RunWatch.prototype.refreshTree = function () {
    if (Date.now() - this.treeAt < TREE_REFRESH_MS) return;
    this.treeAt = Date.now();
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("group-tree");
        var current = byId("group-tree");
        if (!fresh || !current || current.contains(document.activeElement)) return;
        current.querySelectorAll("details[open][data-group]").forEach(function (open) {
          fresh.querySelectorAll("details[data-group]").forEach(function (d) {
            if (d.getAttribute("data-group") === open.getAttribute("data-group")) d.open = true;
          });
        });
        current.replaceWith(fresh);
      })
      .catch(function () { /* the next change tries again */ });
  };

  // Paging and filtering the actions table swap #actions-section in place (fetched from the page's fragment route) and
  // push the page's URL, instead of loading and drawing the whole run page again: the links and the form still work
  // without the script, and back/forward show the page they name.
  function fragmentUrl(href) {
    var url = new URL(href, window.location.href);
    var path = url.pathname.slice(BASE.length);
    if (url.origin !== window.location.origin || url.pathname.indexOf(BASE + "/") !== 0 || !/^\/ui\/runs\/[^\/]+$/.test(path)) return null;
    return url.pathname + "/actions" + url.search;
  }

  function syncFilterForm(href) {
    var params = new URL(href, window.location.href).searchParams;
    [["action-status", "status"], ["action-group", "group"], ["action-task", "task"]].forEach(function (pair) {
      var field = byId(pair[0]);
      if (field) field.value = params.get(pair[1]) || "";
    });
    var clear = byId("clear-filter");
    if (clear) clear.hidden = !(params.get("status") || params.get("group") || params.get("task"));
  }

  function showActions(href, push) {
    var fragment = fragmentUrl(href);
    var current = byId("actions-section");
    if (!fragment || !current) return false;
    current.setAttribute("aria-busy", "true");
    fetch(fragment, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error("status " + r.status)); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("actions-section");
        if (!fresh) { window.location.assign(href); return; }
        byId("actions-section").replaceWith(fresh);
        if (push) window.history.pushState({ fanoutActions: true }, "", href);
        syncFilterForm(href);
      })
      .catch(function () { window.location.assign(href); });
    return true;
  }

  function wireActionPaging() {
    if (!byId("actions-section")) return;
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a#next-actions, a#prev-actions, a.filter-group, a#clear-filter");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      if (showActions(link.href, true)) event.preventDefault();
    });
    var form = byId("actions-filter");
    if (form) form.addEventListener("submit", function (event) {
      var url = new URL(form.getAttribute("action"), window.location.href);
      new FormData(form).forEach(function (value, key) { if (value !== "") url.searchParams.set(key, value); });
      if (showActions(url.pathname + url.search, true)) event.preventDefault();
    });
    window.addEventListener("popstate", function () { showActions(window.location.href, false); });
  }

  function wireCancel() {
    var button = byId("cancel-run");
    if (!button) return;
    button.addEventListener("click", function () {
      var runId = button.getAttribute("data-run-id");
      if (!window.confirm("Cancel run " + runId + "? Its running actions are cancelled too.")) return;
      button.disabled = true;
      fetch(BASE + "/runs/" + encodeURIComponent(runId) + "/cancel", { method: "POST", credentials: "same-origin", headers: UI_HEADER })
        .then(function (r) {
          if (r.ok) { window.location.reload(); return; }
          return r.text().then(function (body) { showError(byId("cancel-error"), errorText(r, body)); button.disabled = false; });
        })
        .catch(function (e) { showError(byId("cancel-error"), "could not reach the node: " + e); button.disabled = false; });
    });
  }

  function wireStart() {
    var form = byId("start-run");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var error = byId("start-error");
      error.hidden = true;
      var input;
      try { input = JSON.parse(byId("input").value || "null"); }
      catch (e) { showError(error, "the input is not JSON: " + e.message); byId("input").focus(); return; }
      var body = { task: byId("task").value, input: input };
      var id = byId("run-id").value.trim();
      if (id) body.id = id;
      var button = byId("start");
      button.disabled = true;
      var headers = { "Content-Type": "application/json", "X-Fanout-UI": "1" };
      fetch(BASE + "/runs", { method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(body) })
        .then(function (r) {
          return r.text().then(function (text) {
            if (r.status === 201) { window.location.assign(BASE + "/ui/runs/" + encodeURIComponent(JSON.parse(text).runId)); return; }
            showError(error, errorText(r, text));
            button.disabled = false;
          });
        })
        .catch(function (e) { showError(error, "could not reach the node: " + e); button.disabled = false; });
    });
  }

  function init() {
    var live = byId("live");
    var runId = document.body.getAttribute("data-run-id");
    if (live && runId && live.getAttribute("data-state") === "live" && window.EventSource) new RunWatch(runId).start();
    wireActionPaging();
    wireCancel();
    wireStart();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
