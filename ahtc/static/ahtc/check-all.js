// "Choose all" for a list of checkboxes: <button data-check-all="NAME">.
// Without JavaScript the boxes are ticked one by one; nothing depends on this.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-check-all]");
  if (!button) return;
  var name = button.getAttribute("data-check-all");
  var boxes = button.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
  var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
  Array.prototype.forEach.call(boxes, function (box) { box.checked = !all; });
});
