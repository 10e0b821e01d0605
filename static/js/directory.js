// The directory's filters: unfolded on wide screens, where there is room for them
// beside the results; folded under the search box on a phone. Without JavaScript
// they stay folded and open with a tap (they are a <details> element).
(function () {
  var filters = document.querySelector("details.directory-filters");
  if (filters && window.matchMedia("(min-width: 992px)").matches) {
    filters.open = true;
  }
})();

// Choosing a province narrows the district list to that province's districts at
// once (the server does the same when the form is sent, so it works without
// JavaScript too). The districts come from the JSON the page carries
// (#directory-districts: [{province, name, districts: [[slug, name], …]}, …]).
(function () {
  var data = document.getElementById("directory-districts");
  var province = document.getElementById("id_province");
  var district = document.getElementById("id_district");
  if (!data || !province || !district) {
    return;
  }
  var groups = JSON.parse(data.textContent);
  var allLabel = district.options.length ? district.options[0].text : "";

  function option(value, label, selected) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    element.selected = selected;
    return element;
  }

  function refill() {
    var current = district.value;
    var kept = false;
    district.textContent = "";
    district.appendChild(option("", allLabel, false));
    groups.forEach(function (group) {
      if (province.value && group.province !== province.value) {
        return;
      }
      var parent = district;
      if (!province.value) {
        parent = document.createElement("optgroup");
        parent.label = group.name;
        district.appendChild(parent);
      }
      group.districts.forEach(function (item) {
        var selected = item[0] === current;
        kept = kept || selected;
        parent.appendChild(option(item[0], item[1], selected));
      });
    });
    if (!kept) {
      district.value = "";
    }
  }

  province.addEventListener("change", refill);
})();
