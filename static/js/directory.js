// The directory's filters: unfolded on wide screens, where there is room for them
// beside the results; folded under the search box on a phone. Without JavaScript
// they stay folded and open with a tap (they are a <details> element).
(function () {
  var filters = document.querySelector("details.directory-filters");
  if (filters && window.matchMedia("(min-width: 992px)").matches) {
    filters.open = true;
  }
})();
