// Progressive enhancement: the report form works without this file, as a plain
// POST. With it, a report made without a connection, or whose sending fails on
// the network, is kept on this phone and sent by itself when the connection
// returns. The server keeps one report per client_token, so sending the same
// report again is always safe: it answers with the same receipt code.
//
// Texts come translated from data-msg-* attributes of #offline-status
// (templates/portal/base_public.html). The queue lives in IndexedDB, which
// keeps attached files as they are; an entry is removed only once the server
// has answered with a receipt code (or the user deletes a refused one).
(function () {
  "use strict";

  if (window.ahtcOffline) return; // a page body swapped in below loads this file again
  if (
    !document.getElementById("offline-status") ||
    !window.fetch ||
    !window.Promise ||
    !window.DOMParser ||
    !window.FormData ||
    !window.URLSearchParams ||
    !window.indexedDB ||
    !window.crypto ||
    !window.crypto.getRandomValues
  ) {
    return; // an old browser keeps the plain form
  }
  window.ahtcOffline = true;

  var FORM = "form[data-offline-form]";
  var DB_NAME = "ahtc-offline";
  var STORE = "reports";
  var TIMEOUT_MS = 45000; // a send still unanswered by then is kept for later...
  var BYTES_PER_MS = 4; // ...plus time for files at 32 kbit/s
  var RETRY_MS = 30000; // "online" may be true while the network is broken
  // After a failed send while the phone says it is online, try again soon: the
  // "online" event can arrive a moment before the network really works.
  var SOON_MS = [500, 1000, 2000, 4000, 8000, 15000];

  var storageWorks = false; // until the database has opened once
  var flushing = false;
  var posting = false; // the form is being sent while the user waits
  var dirty = false; // the user has typed into the form since it was shown
  var filesLost = false; // the phone had no room for a report's files
  var sentCodes = []; // receipt codes of reports sent from this page, shown until it is left
  var draws = 0;
  var waitingCount = 0; // as last drawn
  var soonTries = 0; // quick retries since the connection came back
  var soonTimer = null;
  var lastPressed = null; // the button that submitted a form, where event.submitter is missing
  var languageOffline = false; // the language button was pressed without a connection
  // Receipt codes drawn below survive a change of language: kept here between
  // the press and the next page only (never longer; see start()).
  var CARRY_KEY = "ahtc-sent-codes";

  function nothing() {
    return undefined;
  }

  // ---- the queue -----------------------------------------------------------

  function openStore() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "token" });
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
    return transact("readonly", function (store, done) {
      store.getAll().onsuccess = function (event) {
        done(event.target.result || []);
      };
    }).then(function (items) {
      return items.sort(function (a, b) {
        return a.saved - b.saved;
      });
    });
  }

  function keep(item) {
    return transact("readwrite", function (store) {
      store.put(item);
    });
  }

  function replace(item) {
    // Only if still queued: another tab may have sent it meanwhile.
    return transact("readwrite", function (store) {
      var request = store.get(item.token);
      request.onsuccess = function () {
        if (request.result) store.put(item);
      };
    }).catch(nothing);
  }

  function forget(token) {
    // If this fails, a later retry gets the same receipt: nothing is lost.
    return transact("readwrite", function (store) {
      store.delete(token);
    }).catch(nothing);
  }

  // ---- forms and tokens ----------------------------------------------------

  function freshToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      })
      .join("");
  }

  function tokenInput(form) {
    return form.querySelector("input[name=client_token]");
  }

  function isFile(value) {
    return typeof value !== "string";
  }

  function hasFiles(item) {
    return item.fields.some(function (pair) {
      return isFile(pair[1]);
    });
  }

  function setField(item, name, value) {
    for (var i = 0; i < item.fields.length; i += 1) {
      if (item.fields[i][0] === name) {
        item.fields[i][1] = value;
        return;
      }
    }
    item.fields.push([name, value]);
  }

  function itemFrom(form) {
    var input = tokenInput(form);
    if (input && !input.value) input.value = freshToken();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      // An empty file input gives a nameless empty file: leave it out.
      if (!isFile(value) || value.size || value.name) fields.push([name, value]);
    });
    return {
      token: input ? input.value : "",
      action: form.getAttribute("action") || reportUrl(),
      fields: fields,
      attention: false,
      saved: Date.now(),
    };
  }

  // Put a report that the server refused back into the form, to be corrected.
  function restore(form, item) {
    var values = {};
    item.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || name === "csrfmiddlewaretoken" || /^(submit|button|reset)$/.test(element.type)) {
        return;
      }
      var given = values[name] || [];
      if (element.type === "file") {
        if (!given.length || !window.DataTransfer) return;
        try {
          var files = new window.DataTransfer();
          given.forEach(function (file) {
            if (isFile(file)) files.items.add(file);
          });
          element.files = files.files;
          if (window.CustomEvent) element.dispatchEvent(new window.CustomEvent("ahtc:files", { bubbles: true }));
        } catch (error) {
          // an older browser: the files have to be chosen again
        }
      } else if (element.type === "radio" || element.type === "checkbox") {
        element.checked = given.indexOf(element.value) !== -1;
      } else {
        element.value = given.length ? given[0] : "";
      }
    });
  }

  // ---- talking to the server -----------------------------------------------

  function statusBox() {
    return document.getElementById("offline-status");
  }

  function reportUrl() {
    var box = statusBox();
    return (box && box.getAttribute("data-report-url")) || "/report/";
  }

  function parse(html) {
    return new window.DOMParser().parseFromString(html, "text/html");
  }

  function post(item) {
    // Form-urlencoded, or multipart when files are attached.
    var multipart = hasFiles(item);
    var body = multipart ? new FormData() : new window.URLSearchParams();
    var bytes = 0;
    item.fields.forEach(function (pair) {
      body.append(pair[0], pair[1]);
      bytes += isFile(pair[1]) ? pair[1].size : pair[1].length;
    });
    var options = {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "text/html" },
    };
    var timer = null;
    if (window.AbortController) {
      var controller = new window.AbortController();
      options.signal = controller.signal;
      timer = window.setTimeout(function () {
        controller.abort();
      }, TIMEOUT_MS + bytes / BYTES_PER_MS);
    }
    var done = function () {
      if (timer !== null) window.clearTimeout(timer);
    };
    return window
      .fetch(item.action || reportUrl(), options)
      .then(function (response) {
        return response.text().then(function (html) {
          return { status: response.status, ok: response.ok, html: html };
        });
      })
      .then(
        function (answer) {
          done();
          return answer;
        },
        function (error) {
          done();
          throw error;
        }
      );
  }

  // Django's CSRF token stays valid with its cookie; if the server refuses it
  // anyway (cookie cleared or expired), the report page gives a fresh one.
  function freshCsrfToken() {
    return window
      .fetch(reportUrl(), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.text();
      })
      .then(
        function (html) {
          var input = parse(html).querySelector("input[name=csrfmiddlewaretoken]");
          return input ? input.value : "";
        },
        function () {
          return "";
        }
      );
  }

  // Resolves (never rejects) to {kind, code?, html?}, kind being one of:
  // receipt (sent), network (no answer, or the server is down), invalid (the
  // server refused this report: form errors, files too large), later (refused
  // for now: CSRF, too many requests).
  function send(item, retried) {
    return post(item).then(
      function (answer) {
        var doc = parse(answer.html);
        var output = doc.querySelector(".receipt-code output");
        var code = output ? output.textContent.trim() : "";
        if (answer.ok && code) return { kind: "receipt", code: code, html: answer.html };
        if (answer.status === 403 && !retried) {
          return freshCsrfToken().then(function (token) {
            if (!token) return { kind: "later", html: answer.html };
            setField(item, "csrfmiddlewaretoken", token);
            return send(item, true);
          });
        }
        if (answer.status >= 500) return { kind: "network", html: answer.html };
        if ((answer.ok && doc.querySelector(FORM)) || answer.status === 400 || answer.status === 413) {
          return { kind: "invalid", html: answer.html };
        }
        return { kind: "later", html: answer.html };
      },
      function () {
        return { kind: "network" };
      }
    );
  }

  // ---- what the user sees --------------------------------------------------

  function text(name) {
    var box = statusBox();
    return (box && box.getAttribute("data-msg-" + name)) || "";
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function draw(queue) {
    var box = statusBox();
    if (!box) return;
    var waiting = queue.filter(function (item) {
      return !item.attention;
    }).length;
    var refused = queue.length - waiting;
    var sending = posting || (flushing && waiting > 0);
    var state = sending ? "sending" : waiting ? "waiting" : refused ? "check" : "";
    if (!state && sentCodes.length) state = "sent";
    while (box.firstChild) box.removeChild(box.firstChild);
    box.setAttribute("data-state", state);
    box.setAttribute("data-waiting", String(waiting));
    waitingCount = waiting;
    if (sending) box.appendChild(element("p", "notice", text("sending")));
    else if (waiting) box.appendChild(element("p", "notice", text("saved")));
    if (waiting && queue.some(inDanger)) box.appendChild(callNow());
    if (filesLost) box.appendChild(element("p", "notice", text("nofiles")));
    if (languageOffline) box.appendChild(element("p", "notice", text("offline-language")));
    if (refused && !sending) {
      var check = element("p", "notice", text("check") + " ");
      if (!document.querySelector(FORM)) {
        var link = element("a", "", text("open"));
        link.href = reportUrl();
        check.appendChild(link);
        check.appendChild(document.createTextNode(" "));
      }
      var discard = element("button", "danger", text("discard"));
      discard.type = "button";
      discard.addEventListener("click", discardRefused);
      check.appendChild(discard);
      box.appendChild(check);
    }
    sentCodes.forEach(function (code) {
      var sent = element("div", "message", "");
      sent.appendChild(element("p", "", "")).appendChild(element("strong", "", text("sent")));
      sent.appendChild(element("p", "", text("code")));
      var shown = element("p", "receipt-code", "");
      shown.setAttribute("dir", "ltr");
      shown.setAttribute("lang", "en");
      shown.appendChild(element("output", "", code));
      sent.appendChild(shown);
      sent.appendChild(element("p", "", text("private")));
      box.appendChild(sent);
    });
  }

  function inDanger(item) {
    return (
      !item.attention &&
      item.fields.some(function (pair) {
        return pair[0] === "danger_now";
      })
    );
  }

  // A report that someone is in danger now cannot wait for a connection.
  function callNow() {
    var urgent = element("p", "notice urgent", "");
    urgent.appendChild(element("strong", "", text("danger")));
    [
      ["15", text("police")],
      ["1122", text("rescue")],
    ].forEach(function (number) {
      var link = element("a", "", number[1] + " ");
      link.href = "tel:" + number[0];
      link.appendChild(element("span", "", number[0])).setAttribute("dir", "ltr");
      urgent.appendChild(document.createTextNode(" "));
      urgent.appendChild(link);
    });
    return urgent;
  }

  function render() {
    if (!storageWorks) return Promise.resolve();
    var mine = (draws += 1);
    return load().then(
      function (queue) {
        if (mine === draws) draw(queue); // a later render may have started meanwhile
      },
      function () {
        if (mine === draws) draw([]);
      }
    );
  }

  function discardRefused() {
    load()
      .then(function (queue) {
        return Promise.all(
          queue
            .filter(function (item) {
              return item.attention;
            })
            .map(function (item) {
              return forget(item.token);
            })
        );
      })
      .catch(nothing)
      .then(render);
  }

  function reveal() {
    var box = statusBox();
    if (box && box.scrollIntoView) box.scrollIntoView();
  }

  // Show the server's answer (receipt page, or the form with its errors) as if
  // the browser had posted the form itself.
  function showPage(html) {
    var doc = parse(html);
    if (!doc.body) return;
    document.title = doc.title;
    var body = document.adoptNode(doc.body);
    // Scripts from DOMParser never run: put in fresh ones (same-origin files only).
    Array.prototype.forEach.call(body.querySelectorAll("script[src]"), function (old) {
      var script = document.createElement("script");
      script.src = old.getAttribute("src");
      old.parentNode.replaceChild(script, old);
    });
    document.documentElement.replaceChild(body, document.body);
    dirty = false;
    render();
    window.scrollTo(0, 0);
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }

  function saveForLater(form, item) {
    if (!form.checkValidity()) {
      form.reportValidity(); // nobody could correct the report once it is queued
      return render();
    }
    item.attention = false;
    item.saved = Date.now();
    return keep(item)
      .catch(function (error) {
        if (!hasFiles(item)) throw error;
        // The phone has no room for the files: keep the words at least.
        item.fields = item.fields.filter(function (pair) {
          return !isFile(pair[1]);
        });
        filesLost = true;
        return keep(item);
      })
      .then(
        function () {
          form.reset(); // the next report on this page is a new one, with its own token
          var input = tokenInput(form);
          if (input) input.value = freshToken();
          dirty = false;
          return render().then(reveal);
        },
        function () {
          HTMLFormElement.prototype.submit.call(form); // nothing could be kept: let the browser try
        }
      );
  }

  // ---- sending the queue ---------------------------------------------------

  function flush() {
    if (flushing || !storageWorks || !navigator.onLine) return Promise.resolve();
    flushing = true;
    var before = sentCodes.length;
    var networkFailed = false;
    var next = function (queue, index) {
      if (index >= queue.length) return undefined;
      var item = queue[index];
      return send(item).then(function (result) {
        if (result.kind === "receipt") {
          if (sentCodes.indexOf(result.code) === -1) sentCodes.push(result.code);
          return forget(item.token).then(function () {
            return next(queue, index + 1);
          });
        }
        if (result.kind === "invalid") {
          item.attention = true;
          var form = document.querySelector(FORM);
          if (form && !dirty) restore(form, item);
          return replace(item).then(function () {
            return next(queue, index + 1);
          });
        }
        if (result.kind === "network") networkFailed = true;
        return replace(item); // keeps a refreshed CSRF token; try again later
      });
    };
    return load()
      .then(function (queue) {
        var waiting = queue.filter(function (item) {
          return !item.attention;
        });
        if (!waiting.length) return undefined;
        render(); // "sending"
        return next(waiting, 0);
      })
      .catch(nothing)
      .then(function () {
        flushing = false;
        if (networkFailed) retrySoon();
        else soonTries = 0;
        return render();
      })
      .then(function () {
        if (sentCodes.length > before) reveal();
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

  function backOnline() {
    soonTries = 0;
    languageOffline = false;
    flush();
  }

  // ---- changing the language ------------------------------------------------

  // The language button submits the report form to the server, which answers
  // with the same form in the other language (portal/switch.py): not a report.
  function switchesLanguage(event) {
    var by = event.submitter || lastPressed;
    var form = event.target;
    return !!(
      (by && by.hasAttribute && by.hasAttribute("data-switch-language")) ||
      (form && form.hasAttribute && form.hasAttribute("data-switch-language"))
    );
  }

  function beforeLanguageSwitch(event) {
    if (!navigator.onLine) {
      // Leaving now would show the browser's error page instead of the form.
      event.preventDefault();
      languageOffline = true;
      render().then(reveal);
      return;
    }
    if (!sentCodes.length) return;
    try {
      window.sessionStorage.setItem(CARRY_KEY, JSON.stringify(sentCodes));
    } catch (error) {
      // no session storage: the codes stay on the screen until the page changes
    }
  }

  function carriedCodes() {
    try {
      var codes = JSON.parse(window.sessionStorage.getItem(CARRY_KEY) || "[]");
      window.sessionStorage.removeItem(CARRY_KEY);
      return Array.isArray(codes) ? codes.map(String) : [];
    } catch (error) {
      return [];
    }
  }

  // ---- wiring --------------------------------------------------------------

  document.addEventListener(
    "click",
    function (event) {
      var target = event.target;
      lastPressed = target && target.closest ? target.closest("button, input[type=submit]") : null;
    },
    true
  );

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (switchesLanguage(event)) {
      beforeLanguageSwitch(event);
      return;
    }
    if (!storageWorks || !form || !form.hasAttribute || !form.hasAttribute("data-offline-form")) {
      return; // the browser posts the form itself
    }
    event.preventDefault();
    if (posting) return; // a second tap while sending
    var item = itemFrom(form);
    if (!navigator.onLine) {
      saveForLater(form, item);
      return;
    }
    posting = true;
    render();
    send(item).then(function (result) {
      posting = false;
      if (result.kind === "network") {
        saveForLater(form, item);
        retrySoon();
        return;
      }
      var stored = Promise.resolve();
      if (result.kind === "receipt") stored = forget(item.token);
      if (result.kind === "invalid") {
        item.attention = true;
        stored = replace(item); // if it came from the queue, it stays there until sent or deleted
      }
      stored.then(function () {
        showPage(result.html);
      });
    });
  });

  // "Leave and clear" deletes the queue too: ask first if a report still waits.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-leave") || !waitingCount) return;
    if (!window.confirm(form.getAttribute("data-msg-waiting") || "")) event.preventDefault();
  });

  function edited(event) {
    var form = event.target && event.target.form;
    if (form && form.hasAttribute("data-offline-form")) dirty = true;
  }
  document.addEventListener("input", edited);
  document.addEventListener("change", edited);

  function registerWorker() {
    var worker = statusBox().getAttribute("data-sw-url");
    if (!worker || !("serviceWorker" in navigator)) return;
    var register = function () {
      navigator.serviceWorker.register(worker).catch(function () {
        // no offline copy of the pages; the queue still works
      });
    };
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register);
  }

  function start() {
    var form = document.querySelector(FORM);
    var input = form && tokenInput(form);
    // Empty in a page stored by the service worker: each report gets its own.
    if (input && !input.value) input.value = freshToken();
    // Typed before the language was changed: never overwritten by a queued report.
    if (form && form.hasAttribute("data-carried")) dirty = true;
    sentCodes = carriedCodes();
    registerWorker();
    openStore()
      .then(function (db) {
        db.close();
        storageWorks = true;
        return load();
      })
      .then(function (queue) {
        var refused = queue.filter(function (item) {
          return item.attention;
        })[0];
        var current = document.querySelector(FORM);
        if (refused && current && !dirty) restore(current, refused);
        return render();
      })
      .then(flush, nothing)
      .then(function () {
        // For tests and assistive tools: the first look at the queue is done.
        var box = statusBox();
        if (box) box.setAttribute("data-checked", "1");
      });
    window.addEventListener("online", backOnline);
    window.addEventListener("offline", render);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") flush();
    });
    window.setInterval(function () {
      if (waitingCount) flush();
    }, RETRY_MS);
  }

  start();
})();
