/* A button with the attribute data-print prints the page. A script file instead of an onclick
   attribute: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
