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
    if (target === tab) { window.scrollTo(0, 0); setTimeout(function () { window.scrollTo(0, 0); }, 0); return; }
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

  // Sort `items` (rows or entries) by the cell `cellOf` finds, toggling the header's order.
  function sorter(header, items, cellOf, place) {
    var numeric = header.classList.contains("n");
    var descending = header.getAttribute("aria-sort") !== "descending";
    header.parentNode.querySelectorAll("[aria-sort]").forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var keyed = items.map(function (item) { return [key(cellOf(item), numeric), item]; });
    keyed.sort(function (a, b) {
      var order = a[0] < b[0] ? -1 : (a[0] > b[0] ? 1 : 0);
      return descending ? -order : order;
    });
    var fragment = doc.createDocumentFragment();
    keyed.forEach(function (pair) { fragment.appendChild(pair[1]); });
    place.appendChild(fragment);
  }

  doc.querySelectorAll("table.data th").forEach(function (th) {
    th.addEventListener("click", function () {
      var body = th.closest("table").tBodies[0];
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      sorter(th, Array.prototype.slice.call(body.rows), function (row) { return row.cells[index]; }, body);
    });
  });

  var list = doc.querySelector(".entries");
  var entries = list ? Array.prototype.slice.call(list.children) : [];
  doc.querySelectorAll(".list .head button").forEach(function (button) {
    var index = Number(button.dataset.col);
    button.addEventListener("click", function () {
      sorter(button, entries, function (entry) { return entry.firstElementChild.children[index]; }, list);
    });
  });

  var box = doc.getElementById("q"), count = doc.getElementById("q-count");
  if (!box) return;
  box.parentNode.hidden = false;
  var texts = null;  // each entry's whole text, lower-cased, read at the first search
  var timer = 0;
  function filter() {
    texts = texts || entries.map(function (entry) { return entry.textContent.toLowerCase(); });
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
    entries.forEach(function (entry, i) {
      var hit = words.every(function (word) { return texts[i].indexOf(word) >= 0; });
      if (entry.hidden === hit) entry.hidden = !hit;
      if (hit) shown += 1;
    });
    count.textContent = words.length
      ? count.dataset.template.replace("{shown}", shown).replace("{total}", entries.length) : "";
  }
  box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(filter, 120); });
})();
