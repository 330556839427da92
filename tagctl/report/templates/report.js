// Tabs, sortable tables, tag search. Without JavaScript every tab shows in turn.
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");
  var tabs = Array.prototype.slice.call(doc.querySelectorAll(".tab"));
  var links = Array.prototype.slice.call(doc.querySelectorAll(".tabs a"));

  function show(id) {
    tabs.forEach(function (tab) { tab.hidden = tab.id !== "tab-" + id; });
    links.forEach(function (a) { a.setAttribute("aria-selected", String(a.dataset.tab === id)); });
  }

  function follow() {
    var hash = decodeURIComponent(location.hash.slice(1));
    var target = hash && doc.getElementById(hash);
    if (!target) { show(tabs.length ? tabs[0].id.slice(4) : ""); return; }
    var tab = target.closest(".tab");
    if (tab) show(tab.id.slice(4));
    if (target === tab) { requestAnimationFrame(function () { window.scrollTo(0, 0); }); return; }
    if (target.tagName === "DETAILS") { target.open = true; target.hidden = false; }
    target.scrollIntoView();
  }

  links.forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      show(a.dataset.tab);
      history.replaceState(null, "", "#tab-" + a.dataset.tab);
      window.scrollTo(0, 0);
    });
  });
  window.addEventListener("hashchange", follow);
  window.addEventListener("load", follow);
  follow();

  function key(cell, numeric) {
    var value = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
    if (!numeric) return value.toLowerCase();
    var number = parseFloat(value);
    return isNaN(number) ? -Infinity : number;
  }

  doc.querySelectorAll("table.data th").forEach(function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table"), body = table.tBodies[0];
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var numeric = th.classList.contains("n");
      var descending = th.getAttribute("aria-sort") !== "descending";
      th.parentNode.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var rows = Array.prototype.slice.call(body.rows).map(function (row) {
        return [key(row.cells[index], numeric), row];
      });
      rows.sort(function (a, b) {
        var order = a[0] < b[0] ? -1 : (a[0] > b[0] ? 1 : 0);
        return descending ? -order : order;
      });
      var fragment = doc.createDocumentFragment();
      rows.forEach(function (pair) { fragment.appendChild(pair[1]); });
      body.appendChild(fragment);
    });
  });

  var box = doc.getElementById("q"), count = doc.getElementById("q-count");
  if (!box) return;
  box.parentNode.hidden = false;
  var items = Array.prototype.slice.call(doc.querySelectorAll("#tab-tags tr[data-s], .entries details"));
  var rows = items.filter(function (item) { return item.tagName === "TR"; }).length;
  var timer = 0;
  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
    items.forEach(function (item) {
      var text = item.getAttribute("data-s") || "";
      var hit = words.every(function (word) { return text.indexOf(word) >= 0; });
      item.hidden = !hit;
      if (hit && item.tagName === "TR") shown += 1;
    });
    count.textContent = words.length
      ? count.dataset.template.replace("{shown}", shown).replace("{total}", rows) : "";
  }
  box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(filter, 120); });
})();
