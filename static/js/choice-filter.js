/* A filter box for a long list of checkboxes (languages): typing hides the choices
   whose label doesn't contain the text; ticked ones always stay in sight.
   <input type="search" data-choice-filter="ID of the list"> — no inline script (CSP). */
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-choice-filter]")) return;
    var list = document.getElementById(box.getAttribute("data-choice-filter"));
    if (!list) return;
    var text = box.value.trim().toLocaleLowerCase();
    list.querySelectorAll("label").forEach(function (label) {
      var input = label.querySelector("input");
      var match = !text || label.textContent.toLocaleLowerCase().indexOf(text) !== -1;
      (label.parentElement.tagName === "DIV" && label.parentElement !== list
        ? label.parentElement
        : label
      ).hidden = !(match || (input && input.checked));
    });
  });
  document.querySelectorAll("[data-choice-filter]").forEach(function (box) {
    box.hidden = false;
  });
})();
