// Printable report: show the "Print" button (hidden without JavaScript, where the page
// tells people to use the browser's Print) and open the print dialog with it.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
