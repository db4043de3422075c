// The live preview's one script (report serve, report/app/server.py): the page reloads
// itself when the report changed and puts the reader back where they were reading.
// The server's event stream (/_preview/events) sends the page's version and the PDF's
// state; a version other than this page's means there is a newer page to load.
(function () {
  "use strict";
  var version = document.currentScript.getAttribute("data-version");
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
  window.addEventListener("load", function () {
    restore(); // again once fonts and images are in: the heights may have changed
    window.addEventListener("scroll", function () {
      sessionStorage.setItem(key, String(window.scrollY));
    }, { passive: true });
  });

  var events = new EventSource("/_preview/events");
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    var pdf = document.getElementById("preview-pdf-state");
    if (pdf) {
      pdf.textContent = state.pdf;
    }
    if (String(state.version) !== version) {
      events.close();
      sessionStorage.setItem(key, String(window.scrollY));
      window.location.reload();
    }
  };
})();
