// The messages between the page (register.js) and the service worker, declared once. register.js
// imports this module; handbook/runtime/offline.py writes its declaration into the site's sw.js (a
// classic worker script, which every browser runs) in place of service-worker.js's placeholder comment.
// tests/test_boundaries.py checks that neither side spells a message type of its own and that each
// message has a sender and a receiver.

const OFFLINE_MESSAGES = Object.freeze({
  // page -> service worker
  skipWaiting: "skip-waiting", // the waiting version takes over (the reader chose "Reload")
  cacheRuntime: "cache-runtime", // keep the calculators' runtime offline (this page's engine is up)
  status: "offline-ask-status", // say what is cached (answered with statusReply)
  // service worker -> pages
  statusReply: "offline-status", // {version, shell, runtime}: whether each group is wholly cached
  cached: "offline-cached", // {group, version}: a group has just been cached
  failed: "offline-failed", // {group, version, reason, detail}: a group could not be cached; reason "quota":
  //                          the browser's storage for the site is full (its partial copy is deleted)
});

export { OFFLINE_MESSAGES };
