// Search page: query the static index under search-index/<lang>/ (written by
// ocop_site/search/writer.py) and show product cards (and shop cards), narrowed by the
// commune / category group / stars checkboxes. No framework; reads and writes ?q=… so the
// header search box and shared links work. Every text it writes comes from the page
// (#search-text), in the page's language (<html lang> picks the index).
// Words split and fold as ocop_site/search/tokens.py does: letters and digits, NFC,
// lowercase; folded = marks dropped after NFD, đ -> d. A word typed with diacritics
// matches that spelling only (every spelling of its folded form when the index has not
// it); typed without, every spelling ("dong" finds "Đồng"). While typing, the last word
// also matches the start of words. Every word must match.
(function () {
  "use strict";
  var form = document.querySelector("[data-search]");
  if (!form) return;
  var input = form.elements.q;
  var status = document.querySelector("[data-status]");
  var results = document.querySelector("[data-results]");
  var more = document.querySelector("[data-more]");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var root = new URL(form.dataset.root, location.href);
  var folder = new URL((document.documentElement.lang || "vi") + "/",
                       new URL(form.dataset.index, location.href));
  var filters = form.querySelector("[data-filters]");
  var active = form.querySelector("[data-active]");
  // PAUSE: a search once the buyer stops typing this long (a phone keyboard is ~100 ms a
  // letter; at 250 ms the last result came 0.84–1.03 s after the last key at 10,000
  // products under mobile throttling, issue 31 asks for 1.0 s)
  var PAGE = 12, CHUNK = 32, PAUSE = 150;
  // field bits (tokens.FIELD_BITS) -> weight: name, category, commune, producer, summary,
  // description
  var WEIGHTS = [[1, 10], [2, 6], [4, 5], [8, 5], [16, 4], [32, 1]];
  var text = JSON.parse(document.getElementById("search-text").textContent);
  function fill(template, values) {  // "{count} products" + {count: 3} → "3 products"
    Object.keys(values).forEach(function (name) {
      template = template.split("{" + name + "}").join(values[name]);
    });
    return template;
  }
  var hits = [], shown = 0, generation = 0, timer = 0, facetsWanted = false;
  var files = {};  // URL -> promise of its JSON: each file fetched once

  function get(name, init) {
    var url = new URL(name, folder).href;
    if (!files[url]) {
      files[url] = fetch(url, init).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      });
      files[url].catch(function () { delete files[url]; });  // tried again next time
    }
    return files[url];
  }
  var manifest = null;
  function index() {
    return manifest || (manifest = get("index.json", { cache: "no-cache" })
      .catch(function (error) { manifest = null; throw error; }));
  }
  function facetTable() {
    return index().then(function (m) { return get("facets." + m.f + ".json"); });
  }

  function words(value) {
    return value.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }
  function fold(word) {
    return word.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đð]/g, "d");
  }
  function shardName(key) {  // tokens.shard_name
    if (/^[a-z0-9]+$/.test(key)) return key;
    return "_" + Array.from(key).map(function (c) {
      return c.codePointAt(0).toString(16);
    }).join("-");
  }
  function shardOf(m, folded) {  // writer.shard_of: the longest prefix that is a shard
    var chars = Array.from(folded);
    for (var size = chars.length; size >= Math.min(2, chars.length); size--) {
      var name = shardName(chars.slice(0, size).join(""));
      if (m.w[name]) return name;
    }
    return null;
  }
  function best(mask) {
    for (var i = 0; i < WEIGHTS.length; i++) if (mask & WEIGHTS[i][0]) return WEIGHTS[i][1];
    return 0;
  }

  // ordinal -> [field mask, exact spelling] of the docs one term matches
  function match(m, word, prefix) {
    var folded = fold(word), name = shardOf(m, folded);
    if (!name) return Promise.resolve({});
    return get("w/" + name + "." + m.w[name] + ".json").then(function (shard) {
      var spellings = [];
      var forms = shard[folded] || {};
      if (word !== folded && forms[word]) spellings.push([word, forms[word]]);
      else Object.keys(forms).forEach(function (s) { spellings.push([s, forms[s]]); });
      if (prefix && Array.from(folded).length >= 2) {
        Object.keys(shard).forEach(function (f) {
          if (f === folded || f.lastIndexOf(folded, 0) !== 0) return;
          Object.keys(shard[f]).forEach(function (s) { spellings.push([s, shard[f][s]]); });
        });
      }
      var found = {};
      spellings.forEach(function (pair) {
        var ordinal = 0, exact = pair[0] === word;
        pair[1].forEach(function (value) {
          ordinal += Math.floor(value / 64);
          var had = found[ordinal] || (found[ordinal] = [0, false]);
          had[0] |= value % 64;
          had[1] = had[1] || exact;
        });
      });
      return found;
    });
  }

  // [{o: ordinal, w: best common field weight, score}] best first. A doc where every
  // word is found outside the description (tier 1), or all in one such field (tier 2),
  // outranks one that needs its description; when there is any of those, the docs
  // whose words only meet through the description are left out (issue 26: "mat ong"
  // is not every text with a "mát" here and an "ống" there)
  var OUTSIDE_DESCRIPTION = 31;
  function ranked(m, terms, prefix) {
    return Promise.all(terms.map(function (word, i) {
      return match(m, word, prefix && i === terms.length - 1);
    })).then(function (each) {
      var list = [], strong = false;
      Object.keys(each[0]).forEach(function (key) {
        var common = 63, score = 0, outside = true;
        for (var i = 0; i < each.length; i++) {
          var hit = each[i][key];
          if (!hit) return;
          common &= hit[0];
          outside = outside && (hit[0] & OUTSIDE_DESCRIPTION) !== 0;
          score += best(hit[0]) + (hit[1] ? 3 : 0);
        }
        var weight = best(common);
        var tier = common & OUTSIDE_DESCRIPTION ? 2 : outside ? 1 : 0;
        strong = strong || tier > 0;
        list.push({ o: +key, t: tier, w: weight, score: weight * 100 + score });
      });
      if (strong) list = list.filter(function (doc) { return doc.t > 0; });
      return list.sort(function (a, b) {
        return b.t - a.t || b.w - a.w || b.score - a.score ||
          (+m.s.charAt(b.o)) - (+m.s.charAt(a.o)) || a.o - b.o;
      });
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  boxes.forEach(function (box) {
    var count = box.parentNode.querySelector("[data-count]");
    box.checked = params.getAll(box.name).indexOf(box.value) >= 0;
    count.dataset.total = count.textContent;  // shown again when the search is cleared
  });

  function chosen() {
    var picked = {}, ticked = 0;
    boxes.forEach(function (box) {
      if (!box.checked) return;
      (picked[box.name] = picked[box.name] || []).push(box.value);
      ticked += 1;
    });
    if (active) active.textContent = ticked ? fill(active.dataset.text, { count: ticked }) : "";
    return ticked ? picked : null;
  }

  function remember(term) {
    var query = new URLSearchParams();
    if (term) query.set("q", term);
    boxes.forEach(function (box) { if (box.checked) query.append(box.name, box.value); });
    var search = query.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function card(data) {  // writer.py's cards: u url, t title, s stars, c commune, p price,
    var stars = +(data.s || 0);  // i thumbnail; a shop's k kind
    var li = el("li", "card");
    var link = el("a", "card-link");
    link.href = root.pathname + data.u;  // from the site root, as the cards always linked
    var media = el("span", "card-media");
    if (data.i) {
      var img = el("img");
      img.src = new URL(data.i, root).href;
      img.alt = "";
      img.loading = "lazy";
      media.appendChild(img);
    } else {
      media.appendChild(el("span", "card-placeholder", (data.t || "?").charAt(0)))
        .setAttribute("aria-hidden", "true");
    }
    link.appendChild(media);
    link.appendChild(el("span", "card-title", data.t));
    li.appendChild(link);
    var meta = el("p", "card-meta");
    if (data.k) {  // a shop: its kind and commune
      li.className += " card-shop";
      meta.appendChild(el("span", "card-kind", data.k));
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "card-commune", fill(text.commune, { name: data.c || "" })));
      li.appendChild(meta);
      return li;
    }
    var rating = meta.appendChild(el("span", "stars stars-" + stars));
    rating.setAttribute("role", "img");
    rating.setAttribute("aria-label", fill(text.stars, { stars: stars }));
    rating.appendChild(el("span", "", "★★★★★".slice(0, stars) + "☆☆☆☆☆".slice(stars)))
      .setAttribute("aria-hidden", "true");
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("span", "card-commune", fill(text.commune, { name: data.c || "" })));
    li.appendChild(meta);
    if (data.p) li.appendChild(el("p", "price", data.p));
    return li;
  }

  function showMore(mine) {
    var batch = hits.slice(shown, shown + PAGE);
    shown += batch.length;
    return index().then(function (m) {
      return Promise.all(batch.map(function (o) {
        var n = Math.floor(o / CHUNK);
        return get("d/" + n + "." + m.d[n] + ".json").then(function (chunk) {
          return chunk[o % CHUNK];
        });
      }));
    }).then(function (all) {
      if (mine !== generation) return;
      all.forEach(function (data) { results.appendChild(card(data)); });
      more.hidden = shown >= hits.length;
    });
  }

  // per box: the results of the words, boxes aside (the totals without words)
  function counts(found, table) {
    var byFacet = null;
    if (found && table) {
      byFacet = {};
      table.names.forEach(function (name, f) {
        var tally = byFacet[name] = {};
        found.forEach(function (o) {
          var doc = table.docs[o];
          if (!doc) return;  // a shop
          var value = table.values[f][doc[f]];
          tally[value] = (tally[value] || 0) + 1;
        });
      });
    }
    boxes.forEach(function (box) {
      var span = box.parentNode.querySelector("[data-count]");
      var values = byFacet && byFacet[box.name];
      span.textContent = values ? values[box.value] || 0 : span.dataset.total;
    });
  }

  function narrowed(found, picked, table) {
    if (!picked) return found;
    return found.filter(function (o) {
      var doc = table.docs[o];
      return doc && table.names.every(function (name, f) {
        return !picked[name] || picked[name].indexOf(table.values[f][doc[f]]) >= 0;
      });
    });
  }

  var lastFound = null;  // the words' results, for counting when the filters open
  function run(typing) {
    clearTimeout(timer);
    var term = input.value.trim();
    var picked = chosen();
    var mine = ++generation;
    remember(term);
    if (!term && !picked) {
      hits = [];
      lastFound = null;
      results.replaceChildren();
      more.hidden = true;
      counts(null);
      status.textContent = "";
      return Promise.resolve();
    }
    if (picked) facetsWanted = true;
    var terms = words(term);
    var prefix = typing && !/\s$/.test(input.value);
    return index().then(function (m) {
      var all = !term ? Array.from({ length: m.p }, function (_, o) { return o; })
        : !terms.length ? [] : ranked(m, terms, prefix).then(function (list) {
          return list.map(function (hit) { return hit.o; });
        });
      return Promise.all([m, all, facetsWanted ? facetTable() : null]);
    }).then(function (got) {
      var m = got[0], found = got[1], table = got[2];
      if (mine !== generation) return;
      lastFound = found;
      hits = narrowed(found, picked, table);
      shown = 0;
      results.replaceChildren();
      counts(found, table);
      return showMore(mine).then(function () {
        if (mine !== generation) return;
        var products = hits.filter(function (o) { return o < m.p; }).length;
        var shops = hits.length - products;
        var key = (hits.length ? "found" : "none") + (term ? "_for" : "");
        if (products) key += products === 1 ? "_one" : "_other";
        var values = { count: products, term: term };
        if (shops) {
          values.shops = fill(text[shops === 1 ? "shops_one" : "shops_other"], { count: shops });
          key = products ? "found_and_shops" + key.slice(5) : "shops_only" + (term ? "_for" : "");
        }
        status.textContent = fill(text[key], values);
      });
    }).catch(function () { status.textContent = text.failed; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(false); });
  form.addEventListener("input", function (event) {
    if (event.target !== input) return run(false);  // a box: at once
    clearTimeout(timer);
    // as you type, one letter is not worth a download ("m" matches every product)
    if (input.value.trim().length === 1) return;
    timer = setTimeout(function () { run(true); }, PAUSE);
  });
  if (filters) {
    filters.addEventListener("toggle", function () {
      if (!filters.open || facetsWanted) return;
      facetsWanted = true;
      var mine = generation, found = lastFound;
      facetTable().then(function (table) {
        if (mine === generation && found) counts(found, table);
      }).catch(function () { facetsWanted = false; });
    });
  }
  more.addEventListener("click", function () { showMore(generation); });
  form.hidden = false;
  if (input.value || chosen()) run(false);
})();
