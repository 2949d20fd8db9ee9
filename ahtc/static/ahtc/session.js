// Staff pages: a warning before the idle sign-out, and drafts of forms kept in
// this browser tab until they are saved. Progressive enhancement: without it
// the pages work as before (templates/base.html holds the markup and texts).
//
// What is kept, and where (docs/threat-model.md, "Staff drafts"): the values of
// a form's text boxes, lists and choices, in sessionStorage (this tab only,
// gone when the tab or browser closes), keyed by user and page; never
// passwords, codes, files, hidden fields or identity fields (names, CNIC,
// phone, passport, address), which are typed again. Signing out deletes every
// draft; a saved form deletes its own.
(function () {
  "use strict";

  var body = document.body;
  var user = body && body.getAttribute("data-session-user");
  if (!user || !window.sessionStorage || !window.JSON) return;

  var IDLE_MS = (parseInt(body.getAttribute("data-session-idle"), 10) || 1800) * 1000;
  var WARN_MS = Math.min(5 * 60 * 1000, IDLE_MS / 3); // warn this long before the end
  var CHECK_MS = 10 * 1000;
  var LAST_KEY = "ahtc-last-request"; // shared by this user's tabs (localStorage)
  var PREFIX = "ahtc-draft:";
  var MAX_AGE_MS = 12 * 60 * 60 * 1000;
  // Identity fields are never kept on the device; they are typed again.
  var IDENTITY = /(^|_)(name|names|cnic|nic|phone|phones|mobile|passport|address|identifier|identifiers|alias|aliases|father|dob|birth|email|contact|password|otp|token|code|secret|key)(_|$)/i;
  var KEPT_TYPES = /^(text|search|number|date|datetime-local|time|month|week|url|radio|checkbox|select-one|select-multiple|textarea)$/;

  // ---- idle warning -----------------------------------------------------------

  var warning = document.getElementById("session-warning");
  var expired = document.getElementById("session-expired");

  function store() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function lastRequest() {
    var shared = store();
    var value = shared ? parseInt(shared.getItem(LAST_KEY) || "0", 10) : 0;
    return Math.max(value || 0, loadedAt);
  }

  function touched() {
    var shared = store();
    var now = Date.now();
    loadedAt = Math.max(loadedAt, now);
    try {
      if (shared) shared.setItem(LAST_KEY, String(now));
    } catch (error) {
      // private mode: this tab's own clock is enough
    }
  }

  function show(node, visible) {
    if (node) node.hidden = !visible;
  }

  function check() {
    var left = lastRequest() + IDLE_MS - Date.now();
    show(warning, left > 0 && left <= WARN_MS);
    if (left <= 0 && expired && expired.hidden) {
      var link = expired.querySelector("a[data-sign-in]");
      if (link) {
        link.href = link.getAttribute("data-sign-in") + "?next=" + encodeURIComponent(location.pathname + location.search);
      }
      show(expired, true);
    }
  }

  function stayAlive(event) {
    event.preventDefault();
    var form = event.target;
    window
      .fetch(form.action, {
        method: "POST",
        body: new window.FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (response.ok) {
          touched();
        } else {
          signedOut(); // too late: say so
        }
        check();
      })
      .catch(function () {
        // no connection: the warning stays, the button can be pressed again
      });
  }

  function signedOut() {
    loadedAt = 0;
    var shared = store();
    if (shared) shared.removeItem(LAST_KEY);
  }

  var loadedAt = Date.now(); // this page's request pushed the expiry forward
  touched();
  if (warning && window.fetch && window.FormData) {
    warning.addEventListener("submit", stayAlive);
    window.addEventListener("storage", function (event) {
      if (event.key === LAST_KEY) check(); // another tab sent a request
    });
    window.setInterval(check, CHECK_MS);
    document.addEventListener("visibilitychange", check);
  }

  // ---- drafts -----------------------------------------------------------------

  function drafts() {
    var keys = [];
    for (var i = 0; i < window.sessionStorage.length; i += 1) {
      var key = window.sessionStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys;
  }

  function read(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function write(key, draft) {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(draft));
    } catch (error) {
      // storage full or refused: the page works, the draft is not kept
    }
  }

  function keptField(element) {
    if (!element.name || element.disabled || element.name === "confirm") return false;
    if (element.hasAttribute("data-no-draft") || element.type === "password") return false;
    if (element.getAttribute("autocomplete") === "one-time-code") return false;
    return KEPT_TYPES.test(element.type) && !IDENTITY.test(element.name);
  }

  function kept(form) {
    return Array.prototype.filter.call(form.elements, keptField);
  }

  function draftable(form) {
    return (
      (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.hasAttribute("data-no-draft") &&
      kept(form).some(function (element) {
        return element.type !== "radio" && element.type !== "checkbox";
      })
    );
  }

  function keyOf(form, index) {
    var which = form.id || form.getAttribute("action") || String(index);
    return PREFIX + user + ":" + location.pathname + "#" + which;
  }

  function valuesOf(form) {
    var values = {};
    kept(form).forEach(function (element) {
      var list = (values[element.name] = values[element.name] || []);
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.checked) list.push(element.value);
      } else if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.options, function (option) {
          if (option.selected) list.push(option.value);
        });
      } else {
        list.push(element.value);
      }
    });
    return values;
  }

  function putBack(form, values) {
    var seen = {};
    kept(form).forEach(function (element) {
      var given = values[element.name];
      if (!given) return;
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = given.indexOf(element.value) !== -1;
      } else if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = given.indexOf(option.value) !== -1;
        });
      } else {
        var n = (seen[element.name] = (seen[element.name] || 0) + 1) - 1;
        if (n < given.length) element.value = given[n];
      }
    });
  }

  function note(form, key) {
    var box = document.getElementById("draft-restored");
    if (!box) return;
    var shown = box.cloneNode(true);
    shown.removeAttribute("id");
    shown.hidden = false;
    shown.querySelector("button").addEventListener("click", function () {
      window.sessionStorage.removeItem(key);
      form.reset();
      shown.parentNode.removeChild(shown);
    });
    form.parentNode.insertBefore(shown, form);
  }

  function saved() {
    return !!document.querySelector(".message-success");
  }

  function refused() {
    return !!document.querySelector(".errorlist, .form-errors, .field-errors, .message-error");
  }

  function settle() {
    // After a submit, the page that follows tells whether the form was saved.
    drafts().forEach(function (key) {
      var draft = read(key);
      if (!draft || key.indexOf(PREFIX + user + ":") !== 0 || Date.now() - draft.at > MAX_AGE_MS) {
        window.sessionStorage.removeItem(key); // another user's, or stale
      } else if (draft.pending && saved() && !refused()) {
        window.sessionStorage.removeItem(key);
      } else if (draft.pending) {
        draft.pending = false; // signed out, refused or unknown: keep it
        write(key, draft);
      }
    });
  }

  function wire(form, index) {
    var key = keyOf(form, index);
    var draft = read(key);
    // A refused form comes back with what was sent: the server's copy wins.
    if (draft && !refused()) {
      putBack(form, draft.values);
      note(form, key);
    }
    var keep = function (pending) {
      write(key, { values: valuesOf(form), at: Date.now(), pending: pending });
    };
    form.addEventListener("input", function () {
      keep(false);
    });
    form.addEventListener("change", function () {
      keep(false);
    });
    form.addEventListener("submit", function () {
      if (read(key)) keep(true);
    });
  }

  settle();
  if (body.classList.contains("workspace")) {
    Array.prototype.forEach.call(document.querySelectorAll("main form"), function (form, index) {
      if (draftable(form)) wire(form, index);
    });
  }

  // Signing out deletes every draft kept in this tab.
  var signOutUrl = body.getAttribute("data-sign-out");
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.getAttribute || !signOutUrl || form.getAttribute("action") !== signOutUrl) return;
    drafts().forEach(function (key) {
      window.sessionStorage.removeItem(key);
    });
    signedOut();
  });
})();
