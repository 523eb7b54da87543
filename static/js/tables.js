/* Every table scrolls inside its own box: a table that a template did not put in a .table-scroll
   region gets one here (labelled by the table's caption, focusable so that it scrolls with the
   keyboard), and cells that hold only a date, a period or an amount are kept on one line. The
   templates of the monitor, the SLA pages and the signals write the region themselves; this
   covers every other table, including ones added later. Without JavaScript the tables still wrap
   their long words (static/css/sddcase.css). */
(function () {
  "use strict";
  var ONE_LINE = /^(\d{2}-\d{2}-\d{4}( \d{2}:\d{2})?)(\s*[–-]\s*\S+)?$|^€?\s?-?[\d.]+(,\d+)?\s?%?$/;

  function regionFor(table, index) {
    var box = table.parentElement;
    if (!box.classList.contains("table-scroll")) {
      box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    } else if (box.hasAttribute("role")) {
      return;  // written complete by its template
    }
    box.setAttribute("role", "region");
    box.tabIndex = 0;
    if (table.caption) {
      if (!table.caption.id) table.caption.id = "tabel-bijschrift-" + index;
      box.setAttribute("aria-labelledby", table.caption.id);
    } else {
      box.setAttribute("aria-label", "Tabel");
    }
  }

  function enhance() {
    var tables = document.querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      regionFor(table, i);
      var cells = table.querySelectorAll("td, th");
      for (var j = 0; j < cells.length; j++) {
        if (ONE_LINE.test(cells[j].textContent.trim())) cells[j].classList.add("nowrap");
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
