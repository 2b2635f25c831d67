// Register the service worker that keeps the screen usable offline, and have it keep this page.
export function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const firstVisit = !navigator.serviceWorker.controller;
  navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(async () => {
    if (!firstVisit) return;  // a controlled page was kept when the worker fetched it
    const registration = await navigator.serviceWorker.ready;
    registration.active?.postMessage({cachePages: [location.pathname, "/handout"]});
  }).catch(() => {
    // No worker (private mode, old browser): the screen still works while online.
  });
}
