/* "Add a row" for the inline formsets (signatories, working group members). Without
   JavaScript the form comes with empty rows to fill in and can be saved and edited
   again for more. */
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-prefix");
    var total = box.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var rows = box.querySelector("[data-formset-rows]");
    var template = box.querySelector("template[data-formset-empty]");
    var add = box.querySelector("[data-formset-add]");
    if (!total || !rows || !template || !add) return;
    add.classList.remove("d-none");
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  });
})();
