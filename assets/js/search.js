// Search page: query the static Pagefind index (built by ocop_site/search.py) and show
// product cards (and shop cards), narrowed by the commune / category group / stars checkboxes.
// No framework; reads and writes ?q=… so the header search box and shared links work.
// Every text it writes comes from the page (#search-text), in the page's language;
// Pagefind loads the index of that language (<html lang>) by itself.
// The query is sent as typed, not folded: Pagefind matches across tone marks and ranks
// exact spellings first, and each product page indexes folded spellings of its đ-words,
// so "dong" finds "Đồng" while "Đồng" keeps its exact-match ranking.
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
  var filters = form.querySelector("[data-filters]");
  var active = form.querySelector("[data-active]");
  // phones: the box and the results first, the checkboxes behind the "filter" control
  if (filters && matchMedia("(max-width: 49.99em)").matches) filters.open = false;
  var PAGE = 12;
  var text = JSON.parse(document.getElementById("search-text").textContent);
  function fill(template, values) {  // "{count} products" + {count: 3} → "3 products"
    Object.keys(values).forEach(function (name) {
      template = template.split("{" + name + "}").join(values[name]);
    });
    return template;
  }
  var hits = [], shown = 0, generation = 0;

  // filters(): loads every facet's values once, so each search can count them all
  var ready = import(new URL(form.dataset.bundle, location.href).href).then(function (pf) {
    // noWorker: a worker would download its own 41 KB copy of the search code;
    // image paths are stored for the result cards, they are not words to rank by
    return pf.options({ baseUrl: root.pathname, noWorker: true,
                        ranking: { metaWeights: { image: 0, image_alt: 0 } } })
      .then(function () { return pf.filters(); })
      .then(function () { return pf; });
  });
  function failed() {
    status.textContent = text.failed;
  }
  ready.catch(failed);

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  boxes.forEach(function (box) {
    var count = box.parentNode.querySelector("[data-count]");
    box.checked = params.getAll(box.name).indexOf(box.value) >= 0;
    count.dataset.total = count.textContent;  // shown again when the search is cleared
  });

  function chosen() {
    var filters = {}, ticked = 0;
    boxes.forEach(function (box) {
      if (!box.checked) return;
      (filters[box.name] = filters[box.name] || { any: [] }).any.push(box.value);
      ticked += 1;
    });
    if (active) active.textContent = ticked ? fill(active.dataset.text, { count: ticked }) : "";
    return ticked ? filters : null;
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

  function card(data) {
    var stars = +((data.filters.stars || [])[0] || 0);
    var li = el("li", "card");
    var link = el("a", "card-link");
    link.href = data.url;
    var media = el("span", "card-media");
    if (data.meta.image) {
      var img = el("img");
      img.src = new URL(data.meta.image, root).href;
      img.alt = "";
      img.loading = "lazy";
      media.appendChild(img);
    } else {
      media.appendChild(el("span", "card-placeholder", (data.meta.title || "?").charAt(0)))
        .setAttribute("aria-hidden", "true");
    }
    link.appendChild(media);
    link.appendChild(el("span", "card-title", data.meta.title));
    li.appendChild(link);
    var meta = el("p", "card-meta");
    if (data.meta.kind) {  // a shop (search/records.py): its kind and commune
      li.className += " card-shop";
      meta.appendChild(el("span", "card-kind", data.meta.kind));
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "card-commune",
                          fill(text.commune, { name: data.meta.commune || "" })));
      li.appendChild(meta);
      return li;
    }
    var rating = meta.appendChild(el("span", "stars stars-" + stars));
    rating.setAttribute("role", "img");
    rating.setAttribute("aria-label", fill(text.stars, { stars: stars }));
    rating.appendChild(el("span", "", "★★★★★".slice(0, stars) + "☆☆☆☆☆".slice(stars)))
      .setAttribute("aria-hidden", "true");
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("span", "card-commune",
                        fill(text.commune, { name: (data.filters.commune || [""])[0] })));
    li.appendChild(meta);
    if (data.meta.price) li.appendChild(el("p", "price", data.meta.price));
    return li;
  }

  function showMore(mine) {
    var batch = hits.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (hit) { return hit.data(); })).then(function (all) {
      if (mine !== generation) return;
      all.forEach(function (data) { results.appendChild(card(data)); });
      more.hidden = shown >= hits.length;
    });
  }

  function counts(byFilter) {
    boxes.forEach(function (box) {
      var span = box.parentNode.querySelector("[data-count]");
      var values = byFilter && byFilter[box.name];
      span.textContent = values ? values[box.value] || 0 : span.dataset.total;
    });
  }

  function run(debounced) {
    var term = input.value.trim();
    var filters = chosen();
    var mine = ++generation;
    remember(term);
    if (!term && !filters) {
      hits = [];
      results.replaceChildren();
      more.hidden = true;
      counts(null);
      status.textContent = "";
      return Promise.resolve();
    }
    return ready.then(function (pf) {
      var options = { filters: filters || {} };
      return debounced ? pf.debouncedSearch(term || null, options, 300)
                       : pf.search(term || null, options);
    }).then(function (search) {
      if (!search || mine !== generation) return;
      // a score of 0 means only an image path matched (see metaWeights): not a result
      hits = search.results.filter(function (hit) { return !term || hit.score > 0; });
      shown = 0;
      results.replaceChildren();
      counts(search.totalFilters);  // per value: results of this query, other boxes aside
      return showMore(mine).then(function () {
        if (mine !== generation) return;
        var key = (hits.length ? "found" : "none") + (term ? "_for" : "");
        if (hits.length) key += hits.length === 1 ? "_one" : "_other";
        status.textContent = fill(text[key], { count: hits.length, term: term });
      });
    }).catch(failed);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(false); });
  form.addEventListener("input", function (event) {
    // as you type, one letter is not worth a download ("m" matches every product)
    if (event.target !== input || input.value.trim().length !== 1) run(event.target === input);
  });
  more.addEventListener("click", function () { showMore(generation); });
  form.hidden = false;
  if (input.value || chosen()) run(false);
})();
