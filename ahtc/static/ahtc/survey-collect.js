// The enumerators' survey form (templates/surveys/collect.html). Progressive
// enhancement: without this file the form works as a plain POST, with "one
// more" and "remove" buttons that go to the server. With it:
//
// - questions whose relevance is false are hidden and disabled (so they are
//   not sent); the server checks relevance again and drops such answers;
// - repeat rows are added and removed in the page;
// - a completed form of an ordinary instrument is kept in IndexedDB when there
//   is no connection (or the sending fails) and sent by itself as soon as the
//   connection returns; it leaves the device only once the server has answered
//   with a receipt. The server keeps one submission per instanceID, so sending
//   again is always safe. Sensitive instruments (data-offline="no") are never
//   written to the device.
//
// Texts come translated from the data-msg-* attributes of #collect-status.
(function () {
  "use strict";

  if (window.ahtcCollect) return;
  window.ahtcCollect = true;

  var FORM = "form[data-collect-form]";
  var DB_NAME = "ahtc-surveys";
  var STORE = "forms";
  var TIMEOUT_MS = 45000;
  var RETRY_MS = 30000; // a last resort: "online" can be true on a broken network
  // After a failed send while online, try again soon: the "online" event can
  // come a moment before the network really works.
  var SOON_MS = [500, 1000, 2000, 4000, 8000, 15000];

  var storageWorks = false;
  var flushing = false;
  var posting = false;
  var signedOut = false;
  var sealedOffline = false;
  var full = false;
  var sentCount = 0;
  var soonTries = 0;
  var soonTimer = null;
  var lastPressed = null;

  function nothing() {
    return undefined;
  }

  function box() {
    return document.getElementById("collect-status");
  }

  function text(name) {
    var status = box();
    return (status && status.getAttribute("data-msg-" + name)) || "";
  }

  function user() {
    var status = box();
    return (status && status.getAttribute("data-user")) || "";
  }

  function offlineAllowed() {
    var status = box();
    return !!status && status.getAttribute("data-offline") === "yes";
  }

  // ---- relevance -------------------------------------------------------------

  function Unknown() {}

  function controlsNamed(form, name) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name === name;
    });
  }

  function nameFor(path, element, form) {
    var node = element;
    while (node && node !== form) {
      if (node.hasAttribute && node.hasAttribute("data-row")) {
        var repeat = node.getAttribute("data-repeat");
        if (path.indexOf(repeat + "/") === 0) {
          return node.getAttribute("data-row") + "/" + path.slice(repeat.length + 1);
        }
      }
      node = node.parentNode;
    }
    return path;
  }

  function valueOf(path, element, form) {
    var controls = controlsNamed(form, nameFor(path, element, form));
    if (!controls.length) throw new Unknown();
    var values = [];
    controls.forEach(function (control) {
      if (control.disabled) return; // not relevant: empty, as on the server
      if ((control.type === "radio" || control.type === "checkbox") && !control.checked) return;
      if (control.value !== "") values.push(control.value);
    });
    return values.join(" ");
  }

  function num(value) {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return value;
    var trimmed = String(value).trim();
    return trimmed === "" ? NaN : Number(trimmed);
  }

  function str(value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    return value === null || value === undefined ? "" : String(value);
  }

  function bool(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return !isNaN(value) && value !== 0;
    return str(value) !== "";
  }

  function compare(op, a, b) {
    var numeric = (op !== "=" && op !== "!=") || typeof a === "number" || typeof b === "number";
    if ((typeof a === "boolean" || typeof b === "boolean") && (op === "=" || op === "!=")) {
      a = bool(a);
      b = bool(b);
    } else if (numeric) {
      a = num(a);
      b = num(b);
      if (isNaN(a) || isNaN(b)) return op === "!=";
    } else {
      a = str(a);
      b = str(b);
    }
    if (op === "=") return a === b;
    if (op === "!=") return a !== b;
    if (op === "<") return a < b;
    if (op === "<=") return a <= b;
    if (op === ">") return a > b;
    return a >= b;
  }

  // The trees come from ahtc/surveys/expr.py; what it does not list is unknown
  // here, and an unknown relevance shows the question.
  function evaluate(node, element, form) {
    var kind = node[0];
    if (kind === "lit") return node[1];
    if (kind === "path") return valueOf(node[1], element, form);
    if (kind === "and") return bool(evaluate(node[1], element, form)) && bool(evaluate(node[2], element, form));
    if (kind === "or") return bool(evaluate(node[1], element, form)) || bool(evaluate(node[2], element, form));
    if (kind === "cmp") return compare(node[1], evaluate(node[2], element, form), evaluate(node[3], element, form));
    if (kind === "call") {
      var args = node[2].map(function (arg) {
        return evaluate(arg, element, form);
      });
      if (node[1] === "selected") return str(args[0]).split(/\s+/).indexOf(str(args[1])) !== -1;
      if (node[1] === "count-selected") return str(args[0]).split(/\s+/).filter(Boolean).length;
      if (node[1] === "not") return !bool(args[0]);
      if (node[1] === "true") return true;
      if (node[1] === "false") return false;
      if (node[1] === "string-length") return str(args[0]).length;
    }
    throw new Unknown();
  }

  function relevant(element, form) {
    try {
      return bool(evaluate(JSON.parse(element.getAttribute("data-relevant")), element, form));
    } catch (error) {
      return true;
    }
  }

  function applyRelevance(form) {
    // Twice: a question hidden in the first pass empties what depends on it.
    for (var pass = 0; pass < 3; pass += 1) {
      var changed = false;
      Array.prototype.forEach.call(form.querySelectorAll("[data-relevant]"), function (element) {
        var hide = !relevant(element, form);
        if (element.hidden !== hide) {
          element.hidden = hide;
          changed = true;
        }
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-questions] input, [data-questions] select, [data-questions] textarea, [data-questions] button"), function (control) {
        control.disabled = !!control.closest("[hidden]");
      });
      if (!changed) return;
    }
  }

  // ---- repeats ---------------------------------------------------------------

  function renumber(list) {
    Array.prototype.forEach.call(list.children, function (row, index) {
      var number = row.querySelector("[data-row-number]");
      if (number) number.textContent = String(index + 1);
    });
  }

  function addRow(form, repeatName) {
    var section = Array.prototype.filter.call(form.querySelectorAll("[data-repeat-box]"), function (s) {
      return s.getAttribute("data-repeat-box") === repeatName;
    })[0];
    if (!section) return;
    var rows = section.querySelector("[data-rows]");
    var template = section.querySelector("template[data-row-template]");
    var list = section.querySelector("[data-row-list]");
    if (!rows || !template || !list || rows.closest("section") !== section) return;
    var next = parseInt(rows.value, 10) || 0;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.split(template.getAttribute("data-placeholder")).join(String(next));
    var row = holder.firstElementChild;
    list.appendChild(row);
    rows.value = String(next + 1);
    renumber(list);
    applyRelevance(form);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  function removeRow(form, button) {
    var row = button.closest("[data-row]");
    if (!row) return;
    var list = row.parentNode;
    var section = row.closest("[data-repeat-box]");
    row.parentNode.removeChild(row);
    renumber(list);
    applyRelevance(form);
    var add = section && section.querySelector("[data-add-row]");
    if (add) add.focus();
  }

  // ---- the queue -------------------------------------------------------------

  function openStore() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function transact(mode, work) {
    return openStore().then(function (db) {
      return new Promise(function (resolve, reject) {
        var result;
        var tx = db.transaction(STORE, mode);
        work(tx.objectStore(STORE), function (value) {
          result = value;
        });
        tx.oncomplete = function () {
          db.close();
          resolve(result);
        };
        tx.onerror = tx.onabort = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  function load() {
    // Only this user's forms: another user's wait for them to sign in.
    return transact("readonly", function (store, done) {
      store.getAll().onsuccess = function (event) {
        done(event.target.result || []);
      };
    }).then(function (items) {
      return items
        .filter(function (item) {
          return item.user === user();
        })
        .sort(function (a, b) {
          return a.saved - b.saved;
        });
    });
  }

  function keep(item) {
    return transact("readwrite", function (store) {
      store.put(item);
    });
  }

  function forget(id) {
    return transact("readwrite", function (store) {
      store.delete(id);
    }).catch(nothing);
  }

  // ---- forms -----------------------------------------------------------------

  function freshId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function idInput(form) {
    return form.querySelector("input[data-instance]");
  }

  function itemFrom(form) {
    var input = idInput(form);
    if (!input.value) input.value = freshId();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") fields.push([name, value]);
    });
    return {
      id: input.value,
      user: user(),
      action: form.getAttribute("action") || window.location.pathname,
      fields: fields,
      attention: false,
      saved: Date.now(),
    };
  }

  // A new, empty form after one was saved on the device.
  function clearForm(form) {
    var questions = form.querySelector("[data-questions]");
    Array.prototype.forEach.call(questions.querySelectorAll("[data-row-list]"), function (list) {
      while (list.firstChild) list.removeChild(list.firstChild);
    });
    Array.prototype.forEach.call(questions.querySelectorAll("[data-repeat-box]"), function (section) {
      if (!section.parentNode.closest("[data-repeat-box]")) addRow(form, section.getAttribute("data-repeat-box"));
    });
    Array.prototype.forEach.call(questions.querySelectorAll("input, select, textarea"), function (control) {
      if (control.type === "radio" || control.type === "checkbox") control.checked = false;
      else if (control.type !== "hidden") control.value = "";
    });
    idInput(form).value = freshId();
    applyRelevance(form);
    window.scrollTo(0, 0);
  }

  // ---- talking to the server ---------------------------------------------------

  function currentToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function withToken(item, token) {
    return item.fields.map(function (pair) {
      return pair[0] === "csrfmiddlewaretoken" && token ? [pair[0], token] : pair;
    });
  }

  function parse(html) {
    return new window.DOMParser().parseFromString(html, "text/html");
  }

  function post(item, token) {
    var body = new window.URLSearchParams();
    withToken(item, token).forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    var options = { method: "POST", body: body, credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } };
    var timer = null;
    if (window.AbortController) {
      var controller = new window.AbortController();
      options.signal = controller.signal;
      timer = window.setTimeout(function () {
        controller.abort();
      }, TIMEOUT_MS);
    }
    return window.fetch(item.action, options).then(
      function (response) {
        if (timer !== null) window.clearTimeout(timer);
        return response.text().then(function (html) {
          return { status: response.status, redirected: response.redirected, html: html };
        });
      },
      function (error) {
        if (timer !== null) window.clearTimeout(timer);
        throw error;
      }
    );
  }

  // A fresh CSRF token (the cookie expired, or signing in changed it), from the
  // form page itself; a redirect there means the session has ended.
  function freshToken(item) {
    return window.fetch(item.action, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.redirected) return { signin: true };
      return response.text().then(function (html) {
        var input = parse(html).querySelector("input[name=csrfmiddlewaretoken]");
        return { token: input ? input.value : "" };
      });
    });
  }

  // Resolves to {kind, html?}: receipt (stored, or already stored), network (no
  // answer), signin (the session has ended), invalid (the server refused this
  // form: errors to correct), later (refused for now).
  function send(item, token, retried) {
    return post(item, token).then(
      function (answer) {
        if (answer.redirected) return { kind: "signin" };
        var doc = parse(answer.html);
        var receipt = doc.querySelector("[data-receipt]");
        if (answer.status === 200 && receipt && receipt.getAttribute("data-receipt") === item.id.toLowerCase()) {
          return { kind: "receipt", html: answer.html };
        }
        if (answer.status === 403 && !retried && !doc.querySelector(FORM)) {
          return freshToken(item).then(
            function (fresh) {
              if (fresh.signin) return { kind: "signin" };
              if (!fresh.token) return { kind: "later" };
              return send(item, fresh.token, true);
            },
            function () {
              return { kind: "network" };
            }
          );
        }
        if (answer.status >= 500) return { kind: "network" };
        if (answer.status === 400 && doc.querySelector(FORM)) return { kind: "invalid", html: answer.html };
        return { kind: "later", html: answer.html };
      },
      function () {
        return { kind: "network" };
      }
    );
  }

  // ---- what the enumerator sees ------------------------------------------------

  function element(tag, content) {
    var node = document.createElement(tag);
    if (content) node.textContent = content;
    return node;
  }

  function line(message, count) {
    var p = element("p", message + " ");
    p.className = "notice";
    if (count !== undefined) {
      var strong = element("strong", String(count));
      strong.setAttribute("data-count", "");
      p.appendChild(strong);
    }
    return p;
  }

  function draw(queue) {
    var status = box();
    if (!status) return;
    var waiting = queue.filter(function (item) {
      return !item.attention;
    });
    var refused = queue.filter(function (item) {
      return item.attention;
    });
    while (status.firstChild) status.removeChild(status.firstChild);
    var state = flushing || posting ? "sending" : signedOut ? "signin" : waiting.length ? "waiting" : refused.length ? "check" : sentCount ? "sent" : "";
    status.setAttribute("data-state", state);
    status.setAttribute("data-waiting", String(waiting.length));
    if (!navigator.onLine && offlineAllowed() && !waiting.length) status.appendChild(line(text("offline")));
    if (sealedOffline) status.appendChild(line(text("sealed")));
    if (full) status.appendChild(line(text("full")));
    if (waiting.length) status.appendChild(line(text("waiting"), waiting.length));
    if ((flushing || posting) && waiting.length) status.appendChild(line(text("sending")));
    if (signedOut) {
      var p = line(text("signin"));
      var link = element("a", text("signin-link"));
      link.href = status.getAttribute("data-sign-in") || "/";
      p.appendChild(link);
      status.appendChild(p);
    }
    refused.forEach(function (item) {
      var p = line(text("refused"));
      var open = element("button", text("open"));
      open.type = "button";
      open.addEventListener("click", function () {
        openRefused(item);
      });
      p.appendChild(open);
      status.appendChild(p);
    });
    if (sentCount && !waiting.length) status.appendChild(line(text("sent"), sentCount));
  }

  function render() {
    if (!storageWorks) {
      draw([]);
      return Promise.resolve();
    }
    return load().then(draw, function () {
      draw([]);
    });
  }

  // Show the server's answer (a receipt, or the form with what was wrong) as if
  // the browser had posted the form itself.
  function showPage(html) {
    var doc = parse(html);
    if (!doc.body) return;
    document.title = doc.title;
    var body = document.adoptNode(doc.body);
    Array.prototype.forEach.call(body.querySelectorAll("script[src]"), function (old) {
      var script = document.createElement("script");
      script.src = old.getAttribute("src");
      old.parentNode.replaceChild(script, old);
    });
    document.documentElement.replaceChild(body, document.body);
    pageReady();
    window.scrollTo(0, 0);
    var focus = document.getElementById("form-errors") || document.getElementById("main");
    if (focus) focus.focus({ preventScroll: false });
  }

  function openRefused(item) {
    posting = true;
    render();
    send(item, currentToken()).then(function (result) {
      posting = false;
      if (result.kind === "signin") signedOut = true;
      if (result.html && (result.kind === "invalid" || result.kind === "receipt")) showPage(result.html);
      else render();
    });
  }

  // ---- saving and sending ------------------------------------------------------

  function saveOnDevice(form, item) {
    item.attention = false;
    item.saved = Date.now();
    return keep(item).then(
      function () {
        clearForm(form);
        return render();
      },
      function () {
        full = true; // the answers stay in the form on the screen
        return render();
      }
    );
  }

  function flush() {
    if (flushing || signedOut || !storageWorks || !navigator.onLine) return Promise.resolve();
    flushing = true;
    var failed = false;
    var next = function (queue, index) {
      if (index >= queue.length) return undefined;
      var item = queue[index];
      return send(item, currentToken()).then(function (result) {
        if (result.kind === "receipt") {
          sentCount += 1;
          return forget(item.id).then(function () {
            return next(queue, index + 1);
          });
        }
        if (result.kind === "invalid") {
          item.attention = true;
          return keep(item).then(function () {
            return next(queue, index + 1);
          });
        }
        if (result.kind === "signin") signedOut = true;
        if (result.kind === "network") failed = true;
        return undefined; // the rest waits for the next try
      });
    };
    return load()
      .then(function (queue) {
        var waiting = queue.filter(function (item) {
          return !item.attention;
        });
        if (!waiting.length) return undefined;
        render();
        return next(waiting, 0);
      })
      .catch(nothing)
      .then(function () {
        flushing = false;
        if (failed) retrySoon();
        else soonTries = 0;
        return render();
      });
  }

  function retrySoon() {
    if (soonTimer !== null || !navigator.onLine || soonTries >= SOON_MS.length) return;
    var wait = SOON_MS[soonTries];
    soonTries += 1;
    soonTimer = window.setTimeout(function () {
      soonTimer = null;
      flush();
    }, wait);
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form || !form.matches || !form.matches(FORM)) return;
    var by = event.submitter || lastPressed;
    var name = by && by.getAttribute ? by.getAttribute("name") : "";
    if (name === "#add") {
      event.preventDefault();
      addRow(form, by.value);
      return;
    }
    if (name === "#remove") {
      event.preventDefault();
      removeRow(form, by);
      return;
    }
    if (!offlineAllowed()) {
      sealedOffline = !navigator.onLine;
      if (sealedOffline) {
        event.preventDefault(); // the browser's error page would lose the answers
        render();
      }
      return; // online: the browser posts the form itself
    }
    if (!storageWorks) return;
    event.preventDefault();
    if (posting) return; // a second tap while sending
    var item = itemFrom(form);
    if (!navigator.onLine) {
      saveOnDevice(form, item);
      return;
    }
    posting = true;
    render();
    send(item, currentToken()).then(function (result) {
      posting = false;
      if (result.kind === "network" || result.kind === "signin" || result.kind === "later") {
        if (result.kind === "signin") signedOut = true;
        saveOnDevice(form, item);
        if (result.kind === "network") retrySoon();
        return;
      }
      forget(item.id).then(function () {
        showPage(result.html);
      });
    });
  }

  // ---- wiring ------------------------------------------------------------------

  function registerWorker() {
    var status = box();
    var url = status && status.getAttribute("data-sw-url");
    if (!url || !offlineAllowed() || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(url).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      var current = box();
      if (current) current.setAttribute("data-worker", "ready");
    }).catch(nothing);
  }

  function pageReady() {
    var form = document.querySelector(FORM);
    if (form) {
      var input = idInput(form);
      if (input && !input.value) input.value = freshId(); // a page stored by the service worker
      applyRelevance(form);
    }
    var receipt = document.querySelector("[data-receipt]");
    var forgotten = receipt && storageWorks ? forget(receipt.getAttribute("data-receipt")) : Promise.resolve();
    return forgotten.then(render);
  }

  function start() {
    if (!box() || !window.fetch || !window.Promise || !window.DOMParser || !window.URLSearchParams || !window.crypto || !window.crypto.getRandomValues) {
      return; // an old browser keeps the plain form
    }
    document.addEventListener(
      "click",
      function (event) {
        var target = event.target;
        lastPressed = target && target.closest ? target.closest("button, input[type=submit]") : null;
      },
      true
    );
    document.addEventListener("submit", onSubmit);
    document.addEventListener("change", function (event) {
      var form = event.target && event.target.form;
      if (form && form.matches(FORM)) applyRelevance(form);
    });
    document.addEventListener("input", function (event) {
      var form = event.target && event.target.form;
      if (form && form.matches(FORM)) applyRelevance(form);
    });
    window.addEventListener("online", function () {
      soonTries = 0;
      sealedOffline = false;
      flush();
    });
    window.addEventListener("offline", render);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") flush();
    });
    window.setInterval(flush, RETRY_MS);
    registerWorker();
    var opened = window.indexedDB && offlineAllowed() ? openStore() : Promise.reject(new Error("no queue"));
    opened
      .then(function (db) {
        db.close();
        storageWorks = true;
      }, nothing)
      .then(pageReady)
      .then(flush)
      .then(function () {
        var status = box();
        if (status) status.setAttribute("data-checked", "1"); // for tests: the first look is done
      });
  }

  start();
})();
