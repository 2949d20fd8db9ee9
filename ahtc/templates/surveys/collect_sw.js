{% autoescape off %}// AHTC survey service worker: keeps the enumerators' collect pages usable
// without a connection. Rendered by ahtc/surveys/collect.py; its scope is the
// survey pages, and it only ever stores the collect pages (their blank form,
// never an answer: every POST goes straight to the network) and ASSETS.
// Pages marked "X-AHTC-Offline: no" (sensitive instruments) are never stored.
"use strict";

// Not "ahtc-...": the public portal's worker deletes those caches as its own.
const CACHE = "surveys-collect-{{ version }}";
const ASSETS = {{ assets_json }};
const PAGE = new RegExp({{ pattern }});
const PAGE_WAIT_MS = 8000; // then a slow connection gets the stored page

// Each form needs its own instanceID: the stored copy has an empty one, which
// survey-collect.js fills when the page loads.
async function storable(response) {
  const html = (await response.text()).replace(
    /<input[^>]*\bdata-instance\b[^>]*>/g,
    (tag) => tag.replace(/\bvalue="[^"]*"/, 'value=""'),
  );
  return new Response(html, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function usable(response) {
  return (
    response &&
    response.ok &&
    response.type === "basic" &&
    !response.redirected &&
    response.headers.get("X-AHTC-Offline") !== "no"
  );
}

async function keepPage(path, response) {
  if (!usable(response)) return;
  const cache = await caches.open(CACHE);
  await cache.put(path, await storable(response));
}

// The page that registered this worker was loaded before it existed: store
// the collect pages open now, so that they work offline from the next visit.
async function storeOpenPages() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  await Promise.all(
    windows.map((client) => {
      const path = new URL(client.url).pathname;
      if (!PAGE.test(path)) return undefined;
      return fetch(path, { credentials: "same-origin", cache: "no-store" })
        .then((response) => keepPage(path, response))
        .catch(() => undefined);
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(ASSETS);
      await storeOpenPages();
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("surveys-collect-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// Network first: online enumerators always get the latest version of the form.
async function page(event, path) {
  const network = fetch(event.request);
  event.waitUntil(
    network.then((response) => keepPage(path, response.clone())).catch(() => undefined),
  );
  const waited = new Promise((resolve) => setTimeout(resolve, PAGE_WAIT_MS));
  try {
    const response = await Promise.race([network, waited]);
    if (response) return response;
  } catch (error) {
    // offline or the connection broke: the stored copy below
  }
  const stored = await caches.match(path, { cacheName: CACHE });
  if (stored) return stored;
  return network;
}

async function asset(request, path) {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(path);
  if (stored) return stored;
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (PAGE.test(url.pathname) && !url.search) {
    event.respondWith(page(event, url.pathname));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(asset(request, url.pathname));
  }
});
{% endautoescape %}
