// Narrows the tehsil list to the chosen district. Without this script the list
// stays grouped by district (<optgroup>) and the server narrows it once the
// district is known; the server also refuses a tehsil of another district.
(function () {
  "use strict";
  function narrow(district, tehsil) {
    var chosen = district.options[district.selectedIndex];
    var name = chosen && chosen.value ? chosen.text : "";
    var groups = tehsil.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var keep = !name || groups[i].label === name;
      groups[i].hidden = !keep;
      groups[i].disabled = !keep;
    }
    var picked = tehsil.options[tehsil.selectedIndex];
    if (picked && picked.parentNode.disabled) {
      tehsil.value = "";
    }
  }
  function wire(form) {
    var district = form.querySelector("select[name=district]");
    var tehsil = form.querySelector("select[name=tehsil]");
    if (!district || !tehsil) {
      return;
    }
    district.addEventListener("change", function () { narrow(district, tehsil); });
    narrow(district, tehsil);
  }
  var forms = document.querySelectorAll("form");
  for (var i = 0; i < forms.length; i++) {
    wire(forms[i]);
  }
})();
