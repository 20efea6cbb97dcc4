// kennisbank serve: live reload. Injected into every page the dev server
// serves, never into a build. It listens for build events on
// /__kennisbank/events (through one SharedWorker for every tab of the
// browser when it can, so many open tabs do not use up the browser's six
// connections per host), reloads after a build that changed the site,
// keeping the scroll position, swaps the stylesheets when only CSS
// changed, and shows the errors of a failed build over the page.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me.getAttribute("data-build") || "";
  var base = me.src.replace(/live\.js(\?.*)?$/, "");
  var key = "kennisbank-scroll:" + location.pathname + location.search;

  function restoreScroll() {
    var saved = sessionStorage.getItem(key);
    if (!saved) return;
    try {
      var xy = JSON.parse(saved);
      window.scrollTo(xy[0], xy[1]);
    } catch (e) {}
  }
  restoreScroll();
  window.addEventListener("load", function () {
    restoreScroll();
    sessionStorage.removeItem(key);
  });

  function reload() {
    sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  function swapCSS(id) {
    // Links being replaced already (data-kb-old) are left to finish.
    var links = document.querySelectorAll('link[rel="stylesheet"]:not([data-kb-old])');
    for (var i = 0; i < links.length; i++) {
      var old = links[i];
      var url = new URL(old.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("kb", id);
      var next = old.cloneNode();
      old.setAttribute("data-kb-old", "");
      next.href = url.href;
      next.addEventListener("load", function () { this.previous.remove(); });
      next.addEventListener("error", function () { this.previous.remove(); });
      next.previous = old;
      old.after(next);
    }
  }

  var overlay = null;
  function show(errors) {
    if (!errors || errors.length === 0) {
      if (overlay) overlay.remove();
      overlay = null;
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "kennisbank-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;z-index:2147483647;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
        "margin:0;padding:1em 1.5em;background:#3b0d0c;color:#fff;border-top:4px solid #e5484d;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var head = document.createElement("strong");
    head.textContent = "kennisbank: the last build failed" + (build ? "; this page shows the last good build" : "");
    overlay.appendChild(head);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5em 0 0;padding-left:1.2em";
    for (var i = 0; i < errors.length; i++) {
      var li = document.createElement("li");
      li.textContent = errors[i];
      li.style.whiteSpace = "pre-wrap";
      list.appendChild(li);
    }
    overlay.appendChild(list);
  }

  // Build ids are "run.n": n counts the builds of one server run.
  function newer(a, b) {
    var pa = a.split("."), pb = b.split(".");
    if (pa[0] !== pb[0]) return true; // the server was restarted
    return Number(pa[1]) > Number(pb[1]);
  }

  function handle(m) {
    if (m.id !== build) {
      if (!newer(m.id, build)) return; // sent before this page was built
      if (m.css && m.prev === build && build !== "" && (!m.errors || m.errors.length === 0)) {
        swapCSS(m.id);
        build = m.id;
      } else {
        reload();
        return;
      }
    }
    show(m.errors);
  }

  try {
    show(JSON.parse(me.getAttribute("data-errors") || "[]"));
  } catch (e) {}

  if (window.SharedWorker) {
    try {
      var worker = new SharedWorker(base + "worker.js", { name: "kennisbank-live" });
      worker.port.onmessage = function (e) { handle(e.data); };
      worker.port.start();
      window.addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
      return;
    } catch (e) {}
  }
  var source = new EventSource(base + "events");
  source.onmessage = function (e) { handle(JSON.parse(e.data)); };
})();
