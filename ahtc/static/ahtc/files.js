// Checks chosen files against the server's limits before anything is sent, so
// a reporter on a slow connection does not wait for a refusal. The server
// checks again (core/uploads.py); nothing typed is ever cleared here.
(function () {
  "use strict";

  function inputs(form) {
    return form.querySelectorAll("input[type=file][data-max-bytes]");
  }

  function problem(input) {
    var files = input.files || [];
    var maxFiles = parseInt(input.getAttribute("data-max-files"), 10) || 0;
    var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
    if (maxFiles && files.length > maxFiles) return input.getAttribute("data-msg-too-many");
    for (var i = 0; i < files.length; i += 1) {
      if (maxBytes && files[i].size > maxBytes) {
        return input.getAttribute("data-msg-too-large");
      }
    }
    return "";
  }

  function show(input, message) {
    var id = input.id + "_size";
    var box = document.getElementById(id);
    if (!message) {
      if (box) box.parentNode.removeChild(box);
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "field-errors";
      box.setAttribute("role", "alert");
      input.parentNode.insertBefore(box, input.nextSibling);
    }
    box.textContent = message;
  }

  function check(form) {
    var first = null;
    Array.prototype.forEach.call(inputs(form), function (input) {
      var message = problem(input);
      show(input, message);
      if (message && !first) first = input;
    });
    return first;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[type=file][data-max-bytes]")) {
      show(input, problem(input));
    }
  });

  // Capturing on the document runs before offline.js (which listens as the event
  // bubbles) and still works after offline.js swaps in a new page body.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form || !form.querySelectorAll || !inputs(form).length) return;
      var bad = check(form);
      if (!bad) return;
      event.preventDefault();
      event.stopPropagation();
      bad.focus();
    },
    true
  );
})();
