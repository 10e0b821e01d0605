// The progress bar of a background job's page: asks for the job's state every two
// seconds and reloads the page once the job has finished (to show the download or
// the reason of the failure). Without JavaScript the page shows the state it had
// when opened, and reloading it shows the new one.
(function () {
  "use strict";
  var card = document.querySelector("[data-job-running]");
  if (!card) return;
  var url = card.getAttribute("data-job-status-url");
  var bar = card.querySelector("[data-job-progress]");
  var stage = card.querySelector("[data-job-stage]");
  function show(state) {
    if (state.finished) {
      window.location.reload();
      return;
    }
    if (bar) {
      bar.value = state.percent;
      bar.textContent = state.percent + "%";
    }
    if (stage) {
      var parts = [state.status_display];
      if (state.stage) parts.push(state.stage);
      if (state.total) parts.push(state.done.toLocaleString("vi-VN") + "/" + state.total.toLocaleString("vi-VN"));
      stage.textContent = parts.join(" · ");
    }
    window.setTimeout(poll, 2000);
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) show(state); else window.setTimeout(poll, 5000); })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
