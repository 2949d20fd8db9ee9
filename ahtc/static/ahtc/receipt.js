// Progressive enhancement: the receipt page works without this file.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.classList.remove("js-only");
  button.addEventListener("click", function () { window.print(); });
});
