// Progressive enhancement of the matrix table: filter by level, highlight
// the row and column under the pointer or keyboard focus, sort rows by a
// column. The table is complete and readable without this script.
(function () {
  "use strict";
  var table = document.getElementById("kb_matrix");
  if (!table) return;
  var controls = document.querySelector(".matrix-controls");
  var filter = document.getElementById("kb_level_filter");
  var tbody = table.tBodies[0];
  if (controls) controls.hidden = false;

  if (filter) {
    filter.addEventListener("change", function () {
      var want = filter.value;
      table.querySelectorAll("td.cell").forEach(function (td) {
        var lv = td.getAttribute("data-level");
        td.classList.toggle("dim", want !== "" && lv !== want);
      });
      table.setAttribute("data-filter", want);
    });
  }

  function clear() {
    table.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
  }
  function highlight(cell) {
    clear();
    var tr = cell.parentElement;
    if (!tr || tr.parentElement.tagName !== "TBODY") return;
    var idx = Array.prototype.indexOf.call(tr.children, cell);
    Array.prototype.forEach.call(tr.children, function (c) { c.classList.add("hl"); });
    Array.prototype.forEach.call(tbody.rows, function (r) { if (r.children[idx]) r.children[idx].classList.add("hl"); });
    var head = table.tHead.rows[0].children[idx];
    if (head) head.classList.add("hl");
  }
  table.addEventListener("mouseover", function (e) {
    var cell = e.target.closest("td, th");
    if (cell) highlight(cell);
  });
  table.addEventListener("focusin", function (e) {
    var cell = e.target.closest("td, th");
    if (cell) highlight(cell);
  });
  table.addEventListener("mouseleave", clear);

  // Sort buttons in the column headers: strongest level first, then the
  // original order; a second press restores the original order.
  var original = Array.prototype.slice.call(tbody.rows);
  var label = table.getAttribute("data-sort-label") || "Sort";
  var sortedBy = -1;
  Array.prototype.forEach.call(table.tHead.rows[0].children, function (th, idx) {
    if (th.tagName !== "TH" || th.classList.contains("common")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = "⇅";
    b.setAttribute("aria-label", label + ": " + th.textContent.trim());
    th.appendChild(b);
    b.addEventListener("click", function () {
      var rows = original.slice();
      if (sortedBy !== idx) {
        var isCount = th.classList.contains("count");
        rows.sort(function (a, c) {
          var ra = +a.children[idx].getAttribute("data-rank") || (isCount ? 0 : 99);
          var rc = +c.children[idx].getAttribute("data-rank") || (isCount ? 0 : 99);
          return isCount ? rc - ra : ra - rc;
        });
        sortedBy = idx;
        th.setAttribute("aria-sort", th.classList.contains("count") ? "descending" : "ascending");
      } else {
        sortedBy = -1;
        th.removeAttribute("aria-sort");
      }
      table.tHead.rows[0].querySelectorAll("th").forEach(function (o) { if (o !== th) o.removeAttribute("aria-sort"); });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
})();
