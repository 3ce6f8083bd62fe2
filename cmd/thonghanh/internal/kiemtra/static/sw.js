// The phone checkpoint page's service worker: it keeps the page and its
// engine, so the page opens and verifies with no network at all. The lists
// live in the page's own storage (app.js). __VERSION__ is replaced by the
// server with the hash of this build.
"use strict";
const CACHE = "thonghanh-kiem-tra-__VERSION__";
const FILES = ["./", "app.js", "app.css", "wasm_exec.js", "engine.wasm", "manifest.webmanifest", "icon.svg", "icon-192.png", "icon-512.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("thonghanh-kiem-tra-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // The API is never cached: an answer from yesterday is not today's list.
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/kiem-tra/")) {
    return;
  }
  event.respondWith(caches.open(CACHE).then((c) =>
    c.match(event.request, { ignoreSearch: true }).then((hit) => hit || fetch(event.request))));
});
