// Reading offline: the "save for reading offline" button of commune, event and list pages,
// and the "saved" page that lists what is saved and removes it. Loaded only when asked
// for: by a press on the button (the few lines at the end of base.html) or by the saved
// page itself; a visitor who never saves downloads none of it.
// What is saved sits in the browser's cache "<site root> saved", which sw.js answers from
// when the network is down: the list page, its product pages, their thumbnails (the
// widest WebP of each card) and QR codes, the stylesheets and scripts, the offline and
// saved pages. An index there (INDEX) records each saved list and the files it keeps, so
// removing one list keeps the files another still needs. Every text comes from the page.
(function () {
  "use strict";
  var INDEX = "offline-index.json";
  var AT_ONCE = 3;  // files fetched at the same time

  function fill(template, values) {
    Object.keys(values).forEach(function (name) {
      template = template.split("{" + name + "}").join(values[name]);
    });
    return template;
  }
  function megabytes(bytes, pattern) {  // as pages.py writes it: tenths, rounded up
    var tenths = Math.max(1, Math.ceil(bytes / 100000));
    return fill(pattern, { whole: Math.floor(tenths / 10), tenth: tenths % 10 });
  }
  function absolute(href, base) {
    return new URL(href, base || location.href).href.split("#")[0];
  }
  function all(selector, node) {
    return Array.prototype.slice.call((node || document).querySelectorAll(selector));
  }
  function unique(list) {
    return list.filter(function (item, index) { return item && list.indexOf(item) === index; });
  }
  function widest(srcset, base) {  // "a.webp 200w, b.webp 400w" → b.webp
    var best = "", most = -1;
    srcset.split(",").forEach(function (part) {
      var bits = part.trim().split(/\s+/), width = parseInt(bits[1], 10) || 0;
      if (bits[0] && width > most) { best = bits[0]; most = width; }
    });
    return best && absolute(best, base);
  }
  function open(root) { return caches.open(root + " saved"); }
  function readIndex(cache, root) {
    return cache.match(root + INDEX).then(function (hit) { return hit ? hit.json() : {}; });
  }
  function writeIndex(cache, root, index) {
    var json = { headers: { "Content-Type": "application/json" } };
    return cache.put(root + INDEX, new Response(JSON.stringify(index), json));
  }
  // remove what only these urls' list kept
  function forget(cache, index, urls) {
    var needed = {};
    Object.keys(index).forEach(function (key) {
      index[key].urls.forEach(function (url) { needed[url] = true; });
    });
    return Promise.all(urls.filter(function (url) { return !needed[url]; })
      .map(function (url) { return cache.delete(url); }));
  }

  // -- saving a list -------------------------------------------------------------------
  function save(box) {
    var button = box.querySelector("[data-save]");
    var status = box.querySelector("[data-save-status]");
    var text = JSON.parse(box.querySelector("[data-save-text]").textContent);
    var root = absolute(box.dataset.root);
    var here = absolute(location.pathname);
    var products = unique(all(".cards .card-link").map(function (a) { return absolute(a.href); }));
    var files = unique([here].concat(
      all("link[rel=stylesheet]").map(function (link) { return absolute(link.href); }),
      all("script[src]").map(function (script) { return absolute(script.src); }),
      box.dataset.keep.split(" ").map(function (href) { return absolute(href); }),
      all("source[type='image/webp']").filter(function (source) {
        return source.closest(".cards");
      }).map(function (source) { return widest(source.getAttribute("srcset")); })));
    var total = products.length * 2 + files.length, done = 0, bytes = 0;
    var cache, index;
    function progress() {
      status.textContent = fill(text.saving, { done: done, total: total });
    }
    function keep(url, response) {  // into the saved cache, counting its bytes
      if (!response.ok) throw new Error(url);
      return response.clone().blob().then(function (body) {
        bytes += body.size;
        done += 1;
        progress();
        return cache.put(url, response);
      });
    }
    function fetchPage(url) {  // a product page, and its QR code among the files
      return fetch(url).then(function (response) {
        return response.clone().text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          all(".qr-card>img", page).forEach(function (img) {
            files.push(absolute(img.getAttribute("src"), url));
          });
          return keep(url, response);
        });
      });
    }
    function fetchFile(url) {
      return cache.match(url).then(function (hit) {
        if (hit) { done += 1; return hit.blob().then(function (b) { bytes += b.size; }); }
        return fetch(url).then(function (response) { return keep(url, response); });
      });
    }
    function inTurn(urls, each) {  // AT_ONCE at a time
      var queue = urls.slice();
      function next() {
        var url = queue.shift();
        return url ? each(url).then(next) : Promise.resolve();
      }
      var runners = [];
      for (var i = 0; i < AT_ONCE; i++) runners.push(next());
      return Promise.all(runners);
    }

    button.disabled = true;
    progress();
    var room = navigator.storage && navigator.storage.estimate
      ? navigator.storage.estimate() : Promise.resolve(null);
    return room.then(function (estimate) {
      var needed = +box.dataset.bytes * 1.5;  // the build's estimate, and room to spare
      if (estimate && estimate.quota && estimate.quota - estimate.usage < needed) {
        throw { full: megabytes(needed, text.mb) };
      }
      return open(root);
    }).then(function (opened) {
      cache = opened;
      return readIndex(cache, root);
    }).then(function (found) {
      index = found;
      return inTurn(products, fetchPage);
    }).then(function () {
      files = unique(files);
      total = products.length + files.length;
      return inTurn(files, fetchFile);
    }).then(function () {
      var heading = document.querySelector("h1");
      index[here] = { title: heading ? heading.textContent.trim() : document.title,
                      products: products.length, bytes: bytes, saved: Date.now(),
                      urls: unique(products.concat(files)) };
      return writeIndex(cache, root, index);
    }).then(function () {
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
      status.textContent = fill(text.saved, { size: megabytes(bytes, text.mb) }) + " ";
      var link = status.appendChild(document.createElement("a"));
      link.href = text.saved_url;
      link.textContent = text.list;
    }).catch(function (error) {
      status.textContent = error && error.full ? fill(text.full, { size: error.full })
                                               : text.failed;
      if (cache && index) forget(cache, index, unique(products.concat(files)));
    }).then(function () { button.disabled = false; });
  }

  // -- the saved page ------------------------------------------------------------------
  function list(box) {
    var text = JSON.parse(document.querySelector("[data-saved-text]").textContent);
    var root = absolute(box.dataset.root);
    var items = box.querySelector("ul");
    var total = box.querySelector("[data-saved-total]");
    document.querySelector("[data-saved-unsupported]").hidden = true;
    box.hidden = false;
    function show(cache, index) {
      var keys = Object.keys(index).sort(function (a, b) {
        return index[b].saved - index[a].saved;
      });
      var bytes = 0;
      items.replaceChildren();
      keys.forEach(function (url) {
        var entry = index[url];
        var item = items.appendChild(document.createElement("li"));
        var link = item.appendChild(document.createElement("a"));
        link.href = url;
        link.textContent = entry.title;
        var about = item.appendChild(document.createElement("span"));
        about.classList.add("muted", "small");
        about.textContent = fill(entry.products === 1 ? text.item_one : text.item_other, {
          count: entry.products, size: megabytes(entry.bytes, text.mb),
          date: new Date(entry.saved).toLocaleDateString(document.documentElement.lang) });
        var remove = item.appendChild(document.createElement("button"));
        remove.type = "button";
        remove.className = "button";
        remove.textContent = text.remove;
        remove.setAttribute("aria-label", fill(text.remove_label, { title: entry.title }));
        remove.addEventListener("click", function () {
          delete index[url];
          forget(cache, index, entry.urls)
            .then(function () { return writeIndex(cache, root, index); })
            .then(function () { show(cache, index); });
        });
        bytes += entry.bytes;
      });
      total.textContent = keys.length ? fill(text.total, { size: megabytes(bytes, text.mb) })
                                      : text.empty;
    }
    open(root).then(function (cache) {
      return readIndex(cache, root).then(function (index) { show(cache, index); });
    });
  }

  var supported = window.isSecureContext && window.caches && navigator.serviceWorker &&
    /^https?:$/.test(location.protocol);
  var saved = document.querySelector("[data-saved-list]");
  if (saved) {
    if (supported) list(saved);
    return;
  }
  all("[data-save-box]").forEach(function (box) {
    var button = box.querySelector("[data-save]");
    button.addEventListener("click", function () { save(box); });
    if ("pressed" in button.dataset) {  // the press that loaded this script
      delete button.dataset.pressed;
      save(box);
    }
  });
})();
