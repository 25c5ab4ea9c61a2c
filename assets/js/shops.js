/* Where to buy (templates/partials/where-to-buy.html), on top of a list that works
   without it: "open now" or "closed" beside each shop with hours, in Vietnam's time
   (UTC+7, no summer time) whatever the phone's time zone; and "nearest first", which
   asks for the location only when pressed, orders the shops by distance and shows it.
   The shops' coordinates are in the page: nothing is sent anywhere. */
(function () {
  "use strict";
  var list = document.querySelector("[data-shop-list]");
  var words = document.getElementById("shop-text");
  if (!list || !words) { return; }
  var text = JSON.parse(words.textContent);
  var items = Array.prototype.slice.call(list.querySelectorAll("[data-shop]"));
  var lang = document.documentElement.lang || "vi";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  // -- open now, in Vietnam's time --------------------------------------------------
  var vietnam = new Date(Date.now() + 7 * 3600 * 1000);  // read with getUTC*: UTC+7
  var day = (vietnam.getUTCDay() + 6) % 7;  // 0 is Monday, as in data-week
  var minute = vietnam.getUTCHours() * 60 + vietnam.getUTCMinutes();
  items.forEach(function (item) {
    var week = item.getAttribute("data-week");
    var badge = item.querySelector("[data-open]");
    if (!week || !badge) { return; }
    var open = JSON.parse(week)[day].some(function (span) {
      return span[0] <= minute && minute < span[1];
    });
    badge.textContent = open ? text.open : text.closed;
    badge.classList.add(open ? "badge-valid" : "badge-closed");
    badge.hidden = false;
  });

  // -- nearest first ------------------------------------------------------------------
  var tools = document.querySelector("[data-shop-tools]");
  var located = items.filter(function (item) { return item.hasAttribute("data-lat"); });
  if (!tools || !located.length || !("geolocation" in navigator)) { return; }
  var button = tools.querySelector("[data-nearest]");
  var status = tools.querySelector("[data-shop-status]");
  var km = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  tools.hidden = false;

  function distance(lat1, lng1, lat2, lng2) {  // kilometres along the Earth's surface
    var rad = Math.PI / 180;
    var a = Math.pow(Math.sin((lat2 - lat1) * rad / 2), 2) + Math.cos(lat1 * rad) *
      Math.cos(lat2 * rad) * Math.pow(Math.sin((lng2 - lng1) * rad / 2), 2);
    return 12742 * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function order(position) {
    var here = position.coords;
    var measured = items.map(function (item, index) {
      var away = item.hasAttribute("data-lat") ? distance(here.latitude, here.longitude,
        parseFloat(item.getAttribute("data-lat")),
        parseFloat(item.getAttribute("data-lng"))) : Infinity;
      return { item: item, away: away, index: index };
    });
    measured.sort(function (a, b) { return a.away - b.away || a.index - b.index; });
    measured.forEach(function (entry) {
      var label = entry.item.querySelector("[data-distance]");
      if (label && entry.away !== Infinity) {
        label.textContent = fill(text.distance, { km: km.format(entry.away) });
        label.hidden = false;
      }
      list.appendChild(entry.item);
    });
    status.textContent = text.sorted;
    button.disabled = false;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = text.locating;
    navigator.geolocation.getCurrentPosition(order, function () {
      status.textContent = text.no_location;
      button.disabled = false;
    }, { maximumAge: 60000, timeout: 20000 });
  });
}());
