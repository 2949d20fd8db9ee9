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

  // ---- the file box in the page's language --------------------------------

  // The browser's own file box speaks the browser's language ("Choose files",
  // "No file chosen"). With this file the box is hidden (still focusable and
  // labelled) under a button in the page's language and the chosen names.
  function names(pick) {
    var input = pick.querySelector("input[type=file]");
    var list = pick.querySelector(".file-names");
    if (!input || !list) return;
    var chosen = Array.prototype.map.call(input.files || [], function (file) {
      return file.name;
    });
    var comma = document.documentElement.getAttribute("dir") === "rtl" ? "، " : ", ";
    list.textContent = chosen.length ? chosen.join(comma) : pick.getAttribute("data-msg-none") || "";
    list.setAttribute("dir", "auto");
  }

  function enhance() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-file-pick]"), function (pick) {
      if (pick.classList.contains("enhanced")) return;
      pick.classList.add("enhanced");
      names(pick);
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[type=file][data-max-bytes]")) {
      show(input, problem(input));
    }
    var pick = input && input.closest ? input.closest("[data-file-pick]") : null;
    if (pick) names(pick);
  });
  // offline.js puts the files of a refused report back into the box.
  document.addEventListener("ahtc:files", function (event) {
    var pick = event.target && event.target.closest ? event.target.closest("[data-file-pick]") : null;
    if (pick) names(pick);
  });

  // offline.js may swap in a new page body, or put files back into the box.
  if (window.MutationObserver) {
    new window.MutationObserver(enhance).observe(document.documentElement, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();

  // The language button submits the report form too, but sends no files.
  var lastPressed = null;
  document.addEventListener(
    "click",
    function (event) {
      var target = event.target;
      lastPressed = target && target.closest ? target.closest("button, input[type=submit]") : null;
    },
    true
  );

  function switchesLanguage(event) {
    var by = event.submitter || lastPressed;
    return !!(by && by.hasAttribute && by.hasAttribute("data-switch-language"));
  }

  // Capturing on the document runs before offline.js (which listens as the event
  // bubbles) and still works after offline.js swaps in a new page body.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form || !form.querySelectorAll || !inputs(form).length || switchesLanguage(event)) return;
      var bad = check(form);
      if (!bad) return;
      event.preventDefault();
      event.stopPropagation();
      bad.focus();
    },
    true
  );
})();
