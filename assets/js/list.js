// Sort and filter a product list the server already rendered (progressive enhancement).
// Sort keys come from data-* on each card; data-rank is the name order the build
// computed, so no collation is needed here. Choices are kept in the URL. The one text
// this script writes comes from the page (data-text), in the page's language.
(function () {
  "use strict";
  var byName = function (a, b) { return a.rank - b.rank; };
  var orders = {
    name: byName,
    stars: function (a, b) { return b.stars - a.stars || byName(a, b); },
    price: function (a, b) { return a.price - b.price || byName(a, b); },
    "-price": function (a, b) {
      return (a.price === Infinity) - (b.price === Infinity) || b.price - a.price || byName(a, b);
    },
    date: function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : byName(a, b); }
  };
  document.querySelectorAll("[data-product-list]").forEach(function (box) {
    var form = box.querySelector(".list-tools");
    var list = box.querySelector(".cards");
    if (!form || !list) return;
    var count = form.querySelector(".list-count");
    var empty = box.querySelector(".list-empty");
    var items = Array.prototype.map.call(list.children, function (li) {
      var d = li.dataset;
      return { li: li, rank: +d.rank, stars: +d.stars, date: d.date,
               price: d.price === "" ? Infinity : +d.price, cats: d.cats.split(" ") };
    });
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.elements, function (field) {
      var wanted = params.get(field.name);
      if (wanted && field.querySelector("option[value='" + CSS.escape(wanted) + "']")) {
        field.value = wanted;
      }
    });
    function apply() {
      var sort = form.elements.sort.value;
      var stars = form.elements.stars ? form.elements.stars.value : "";
      var cat = form.elements.category ? form.elements.category.value : "";
      var shown = 0;
      items.slice().sort(orders[sort] || byName).forEach(function (item) {
        var keep = (!stars || item.stars === +stars) && (!cat || item.cats.indexOf(cat) >= 0);
        item.li.hidden = !keep;
        shown += keep;
        list.appendChild(item.li);
      });
      count.textContent = (count.dataset.text || "").split("{shown}").join(shown)
        .split("{total}").join(items.length);
      if (empty) empty.hidden = shown > 0;
      var query = new URLSearchParams(location.search);
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.value && field.value !== "name") query.set(field.name, field.value);
        else query.delete(field.name);
      });
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  });
})();
