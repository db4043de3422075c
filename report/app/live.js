// The live preview's one script (report serve, report/app/server.py): the page follows the
// author's saves by itself and the reader stays where they were reading.
//
// The server's event stream (/_preview/events) sends the page's version and the PDF's
// state. On a new version the script fetches the page and swaps in the parts of the body
// that changed (a chapter, the bar, the notices): no reload, no flash, the scroll position
// untouched. When the head changed (a stylesheet saved: its address carries its version;
// the theme in report.yaml), the page reloads instead, and the scroll position is put
// back from sessionStorage.
(function () {
  "use strict";
  var version = document.currentScript.getAttribute("data-version");
  var latest = version;
  var fetching = false;
  var failed = false;
  var key = "report-preview-scroll";
  if ("scrollRestoration" in history) {
    history.scrollRestoration = "manual";
  }

  function restore() {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      window.scrollTo(0, parseFloat(saved));
    }
  }
  document.addEventListener("DOMContentLoaded", restore);
  window.addEventListener("load", restore); // again once fonts and images are in

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    window.location.reload();
  }

  // What only a reload applies: stylesheets, the theme's style element, the language.
  function headOf(doc) {
    var links = doc.querySelectorAll("link[rel=stylesheet]");
    var styles = doc.querySelectorAll("head style");
    return [
      doc.documentElement.lang,
      doc.body.className,
      Array.prototype.map.call(links, function (link) { return link.getAttribute("href"); }),
      Array.prototype.map.call(styles, function (style) { return style.textContent; })
    ].join("\n");
  }

  function swapBody(next) {
    var body = document.body;
    var old = Array.prototype.slice.call(body.children);
    var fresh = Array.prototype.slice.call(next.body.children);
    fresh.forEach(function (part, index) {
      if (index >= old.length) {
        body.appendChild(document.adoptNode(part));
      } else if (!old[index].isEqualNode(part)) {
        body.replaceChild(document.adoptNode(part), old[index]);
      }
    });
    old.slice(fresh.length).forEach(function (part) { body.removeChild(part); });
  }

  function update() {
    if (fetching || latest === version) {
      return;
    }
    fetching = true;
    fetch("/", { cache: "no-store" })
      .then(function (answer) { return answer.text(); })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html");
        var script = next.querySelector("script[data-version]");
        if (!script || headOf(next) !== headOf(document)) {
          reload();
          return;
        }
        swapBody(next);
        version = script.getAttribute("data-version");
      })
      .catch(function () { failed = true; }) // the server is gone, or going
      .then(function () {
        fetching = false;
        window.setTimeout(update, failed ? 1000 : 0); // a save made meanwhile
        failed = false;
      });
  }

  var events = new EventSource("/_preview/events");
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    var pdf = document.getElementById("preview-pdf-state");
    if (pdf) {
      pdf.textContent = state.pdf;
    }
    latest = String(state.version);
    update();
  };
})();
