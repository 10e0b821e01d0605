/* Unit pickers of the pair form (templates/workspace/pairs/_org_picker.html).
   Without JavaScript the "Search" button narrows each list on the server. With it,
   the list follows the search box as you type, and the kind of pair chosen. */
(function () {
  "use strict";
  var DELAY = 250;

  function kind(form, picker) {
    if (picker.hasAttribute("data-kind")) return picker.getAttribute("data-kind");
    var checked = form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : "school";
  }

  function setup(picker) {
    var form = picker.closest("form");
    var search = picker.querySelector("[data-org-search]");
    var select = picker.querySelector("[data-org-select]");
    var hint = picker.querySelector("[data-org-hint]");
    var find = picker.querySelector("[data-org-find]");
    var url = picker.getAttribute("data-search-url");
    var timer = null;
    var latest = 0;
    if (find) {
      find.classList.add("d-none");
      search.classList.add("rounded-end"); // the button no longer closes the group
    }

    function refresh(keepSelection) {
      var ticket = ++latest;
      var params = new URLSearchParams({ kind: kind(form, picker), q: search.value });
      if (keepSelection && select.value) params.set("selected", select.value);
      picker.setAttribute("aria-busy", "true");
      fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          if (ticket !== latest) return; // an older answer arriving late
          select.innerHTML = html;
          if (hint) hint.classList.toggle("text-warning-emphasis", !!select.querySelector("option[disabled]"));
        })
        .catch(function () {
          if (find) {
            find.classList.remove("d-none"); // fall back to the server-side search
            search.classList.remove("rounded-end");
          }
        })
        .finally(function () {
          picker.removeAttribute("aria-busy");
        });
    }

    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { refresh(false); }, DELAY);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches, it does not send the form
        clearTimeout(timer);
        refresh(false);
      }
    });
    if (!picker.hasAttribute("data-kind")) {
      form.querySelectorAll('input[name="kind"]').forEach(function (radio) {
        radio.addEventListener("change", function () { refresh(false); });
      });
    }
    // Text typed while this script was still loading on a slow connection (or put back
    // by the browser on "Back") has not narrowed the list yet: do it now.
    if (search.value !== search.defaultValue) refresh(false);
  }

  document.querySelectorAll("[data-org-picker]").forEach(setup);
})();
