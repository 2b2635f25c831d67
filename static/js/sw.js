// Service worker of the handout screen: keeps a versioned app shell so that the screen opens
// with no network. It answers only GET requests for the shell, the handout pages, the
// catalogue (/api/v1/items) and the kits (/api/v1/kits). Every other request, above all every
// other /api/ call and every POST, goes to the network untouched: the page sends the outbox
// itself and sees each answer.
const VERSION = "handout-shell-v2";
const SHELL = [
  "/static/css/app.css",
  "/static/css/handout.css",
  "/static/css/i18n.css",
  "/static/js/handout/main.js",
  "/static/js/handout/i18n.js",
  "/static/js/handout/outbox.js",
  "/static/js/handout/sync.js",
  "/static/js/handout/form.js",
  "/static/js/handout/today.js",
  "/static/js/handout/worker.js",
  "/static/js/handout/picker.js",
  "/static/js/handout/linkage.js",
  "/static/js/handout/survey.js",
  "/static/css/linkage.css",
  "/static/icons/handout-192.png",
  "/static/icons/handout-512.png",
  "/static/icons/handout.svg",
  "/manifest.webmanifest",
  "/i18n/en.json",
  "/i18n/es.json",
];
const CATALOGUE = ["/api/v1/items", "/api/v1/kits"];
const NETWORK_WAIT_MS = 4000;
const PAGE = /^\/(handout|sites\/[^/]+\/handout)$/;

async function precache() {
  const cache = await caches.open(VERSION);
  await cache.addAll(SHELL);
  // The catalogue needs a signed-in user; a miss now is filled on the next visit.
  await Promise.all(CATALOGUE.map((url) => cache.add(url).catch(() => undefined)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== VERSION) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// A page asks for pages to be kept: itself (its first visit came before this worker
// controlled it) and /handout, the installed app's start page.
self.addEventListener("message", (event) => {
  const urls = event.data && event.data.cachePages;
  if (!Array.isArray(urls)) return;
  event.waitUntil(Promise.all(urls.filter((url) => typeof url === "string" && PAGE.test(url))
    .map((url) => fetch(url, {credentials: "same-origin"}).then((response) => keep(url, response))
      .catch(() => undefined))));
});

async function keep(key, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(VERSION);
    await cache.put(key, response.clone());
  }
  return response;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network too slow")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
                 (error) => { clearTimeout(timer); reject(error); });
  });
}

// Pages and the catalogue: the network's answer when it comes in time, else the kept copy.
// A page's answer is shown whatever it is (a redirect to sign in after a sign-out is right);
// the catalogue falls back on the kept copy when refused (the screen still draws its tiles).
async function networkFirst(request, key, keptUnlessOk = false) {
  const network = fetch(request).then((response) => keep(key, response));
  try {
    const response = await withTimeout(network, NETWORK_WAIT_MS);
    if (response.ok || !keptUnlessOk) return response;
    const kept = await caches.match(key);
    return kept || response;
  } catch (error) {
    const kept = await caches.match(key);
    if (kept) return kept;
    return network;
  }
}

// Shell files: the kept copy at once, refreshed in the background for the next visit.
async function staleWhileRevalidate(event, key) {
  const kept = await caches.match(key);
  const network = fetch(event.request).then((response) => keep(key, response));
  if (kept) {
    event.waitUntil(network.catch(() => undefined));
    return kept;
  }
  return network;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CATALOGUE.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname, true));
  } else if (url.pathname.startsWith("/api/")) {
    return;  // never answered by the worker
  } else if (request.mode === "navigate" && PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (SHELL.includes(url.pathname) || url.pathname.startsWith("/i18n/")) {
    event.respondWith(staleWhileRevalidate(event, url.pathname));
  }
});
