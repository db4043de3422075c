/* The web edition's one script: the measures tool's filters (report build --web).
   Without it every measure shows and the form stays hidden; with it the form filters the
   grid and the table together, says how many measures it shows in a status region (once
   a reader stops typing, not at every key), and keeps the choice in the address, so a
   filtered list can be shared: mesures/index.html?status=non+r%C3%A9alis%C3%A9e (a
   status's key, as report.yaml writes it: "non réalisée"). */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var count = document.getElementById("filter-count");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  var rows = items.filter(function (item) { return item.tagName === "TR"; });
  var fields = ["status", "axis", "body", "q"];
  var timer = null;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function chosen() {
    var values = {};
    fields.forEach(function (name) {
      var field = form.elements[name];
      values[name] = field ? field.value : "";
    });
    return values;
  }

  function matches(item, values) {
    if (values.status && item.dataset.status !== values.status) { return false; }
    if (values.axis && item.dataset.axis !== values.axis) { return false; }
    if (values.body && item.dataset.bodies.split(" ").indexOf(values.body) < 0) { return false; }
    var words = fold(values.q).split(" ").filter(Boolean);
    return words.every(function (word) { return item.dataset.search.indexOf(word) >= 0; });
  }

  function say(shown) {
    var key = shown === 0 ? "shownNone" : shown === 1 ? "shownOne" : "shownMany";
    count.textContent = form.dataset[key]
      .replace("%COUNT%", String(shown))
      .replace("%TOTAL%", String(rows.length));
  }

  function remember(values) {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      if (values[name]) { params.set(name, values[name]); }
    });
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    try {
      window.history.replaceState(null, "", address);
    } catch (error) {
      /* file:// pages may refuse: the filter still works, the address stays */
    }
  }

  function apply(announce) {
    var values = chosen();
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, values);
      item.hidden = !visible;
      if (visible && item.tagName === "TR") { shown += 1; }
    });
    remember(values);
    if (announce) { say(shown); }
  }

  var params = new URLSearchParams(window.location.search);
  fields.forEach(function (name) {
    var field = form.elements[name];
    var value = params.get(name);
    if (!field || value === null) { return; }
    if (field.tagName === "SELECT" && !field.querySelector("option[value=\"" + CSS.escape(value) + "\"]")) {
      return;
    }
    field.value = value;
  });
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "q") { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { apply(true); }, 400);
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { apply(true); }, 0);
  });
  apply(params.toString() !== "");
})();
