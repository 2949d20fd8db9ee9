{% autoescape off %}// AHTC service worker: keeps the public report form usable without a connection.
// Rendered by ahtc/portal/pwa.py. Only the pages in PAGES, the files in ASSETS
// (stored at install) and those in WHEN_USED (stored once used) are ever stored.
// Every other address and every POST (so every answer that shows a code) goes
// straight to the network and is never stored.
"use strict";

const CACHE = "ahtc-offline-{{ version }}";
const PAGES = {{ pages_json }};
const ASSETS = {{ assets_json }};
const WHEN_USED = {{ when_used_json }}; // the Urdu web font, only if the phone needed it
const PAGE_WAIT_MS = 10000; // then a slow connection gets the stored page

// A stored page must not keep the form's client_token: each report needs its
// own, so offline.js puts a fresh one into an empty field when the page loads.
async function storable(response) {
  const html = (await response.text()).replace(
    /<input[^>]*\bname="client_token"[^>]*>/g,
    (tag) => tag.replace(/\bvalue="[^"]*"/, 'value=""'),
  );
  return new Response(html, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function usable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

async function keepPage(path, response) {
  if (!usable(response)) return;
  const cache = await caches.open(CACHE);
  await cache.put(path, await storable(response));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(ASSETS);
      await Promise.all(
        PAGES.map((path) =>
          fetch(path, { credentials: "same-origin", cache: "no-store" })
            .then((response) => keepPage(path, response))
            .catch(() => undefined), // stored on the next visit instead
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("ahtc-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// Network first, so that online users always get fresh tokens and choices.
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
    // offline or the connection broke: use the stored copy below
  }
  const stored = await caches.match(path, { cacheName: CACHE });
  if (stored) return stored;
  return network;
}

async function asset(request, path) {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(path);
  if (stored) return stored;
  const response = await fetch(request);
  if (usable(response)) await cache.put(path, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (PAGES.includes(url.pathname)) {
    event.respondWith(page(event, url.pathname));
  } else if (ASSETS.includes(url.pathname) || WHEN_USED.includes(url.pathname)) {
    event.respondWith(asset(request, url.pathname));
  }
});
{% endautoescape %}
