// The catalogue's service worker: pages from the network first (the last copy when the
// network is down or too slow), photos and fingerprinted assets (?v=) from the cache
// first, the offline page for a page never visited nor saved, and anything else (QR
// codes, the search index…) from the network, or from what was saved when it is down.
// ocop_site/outputs/offline.py writes it to the site's root, with the values of
// VERSION (a hash of the build's assets and photos) and OFFLINE filled in and these
// comment lines left out. Caches are named after the scope, so two sites on one host
// keep theirs apart: "<scope> <VERSION>" holds what was visited (removed when a new
// build's worker takes over), "<scope> saved" what assets/js/offline.js saved.
"use strict";
var VERSION = "{{VERSION}}";
// [language prefix, its offline page], the longest prefix first
var OFFLINE = {{OFFLINE}};
var SCOPE = self.registration.scope;
var RUN = SCOPE + " " + VERSION, SAVED = SCOPE + " saved";
var WAIT = 4000;  // ms: a weak network gets this long before a saved copy is shown
var KEEP = 400;  // visited files kept in RUN; the oldest go first
var ANY = { ignoreVary: true };
var ANY_QUERY = { ignoreVary: true, ignoreSearch: true };

self.addEventListener("install", function () { self.skipWaiting(); });

// a new build's worker: its cache replaces the last build's (the saved one stays)
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.open(RUN).then(function () {
    return caches.keys();
  }).then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf(SCOPE + " ") === 0 && key !== RUN && key !== SAVED;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request, url = request.url;
  if (request.method !== "GET" || url.indexOf(SCOPE) !== 0) return;
  var path = url.slice(SCOPE.length);
  if (request.mode === "navigate") event.respondWith(page(request, path));
  else if (/^img\/|^assets\/.*[?&]v=/.test(path)) event.respondWith(kept(request, path));
  else event.respondWith(fetch(request).catch(function () { return saved(request); }));
});

function saved(request) {
  return caches.match(request, ANY).then(function (hit) { return hit || Response.error(); });
}

function page(request, path) {
  var key = request.url.split(/[?#]/)[0];
  var cached = caches.match(key, ANY);
  var fresh = fetch(request).then(function (response) {
    if (response.ok) remember(key, response);
    return response;
  });
  var slow = new Promise(function (done) { setTimeout(done, WAIT); }).then(function () {
    return cached.then(function (hit) { return hit || fresh; });
  });
  return Promise.race([fresh, slow]).catch(function () {
    return cached.then(function (hit) { return hit || offline(path); });
  });
}

// a visited page, and the saved copy of a saved one, replaced by what the network sent
function remember(key, response) {
  var run = response.clone(), saved = response.clone();
  caches.open(RUN).then(function (cache) { return put(cache, key, run); });
  caches.open(SAVED).then(function (cache) {
    return cache.match(key, ANY).then(function (hit) { return hit && cache.put(key, saved); });
  });
}

function put(cache, key, response) {
  return cache.put(key, response).then(function () { return cache.keys(); })
    .then(function (keys) { return keys.length > KEEP && cache.delete(keys[0]); });
}

function offline(path) {
  var pick = OFFLINE.filter(function (entry) { return path.indexOf(entry[0]) === 0; })[0];
  return caches.match(SCOPE + pick[1], ANY).then(function (hit) {
    return hit || Response.error();
  });
}

// photos and fingerprinted assets never change under one address
function kept(request, path) {
  return caches.match(request, ANY).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      // what the page shows (not what offline.js fetches to save)
      if (response.ok && request.destination) {
        var copy = response.clone();
        caches.open(RUN).then(function (cache) { return put(cache, request.url, copy); });
      }
      return response;
    }).catch(function () { return similar(request.url, path); });
  });
}

// offline: another width of the same photo (offline.js saves one thumbnail per product,
// which also stands in for the product page's photo), another version of the asset, or
// an empty picture rather than a broken one
function similar(url, path) {
  if (path.indexOf("img/") !== 0) {
    return caches.match(url, ANY_QUERY).then(function (hit) { return hit || Response.error(); });
  }
  var stem = SCOPE + path.replace(/-[0-9a-f]{10}-[^/]*$/, "-");
  var pattern = /^-[0-9a-f]{10}-[^/]*$/;
  return caches.open(SAVED).then(function (cache) { return cache.keys(); }).then(function (keys) {
    var same = keys.filter(function (key) {
      return key.url.indexOf(stem) === 0 && pattern.test(key.url.slice(stem.length - 1));
    })[0];
    var blank = '<svg xmlns="http://www.w3.org/2000/svg"/>';
    return same ? caches.match(same, ANY)
                : new Response(blank, { headers: { "Content-Type": "image/svg+xml" } });
  });
}
