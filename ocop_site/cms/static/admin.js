/* The web form's own script, loaded after Decap CMS and js-yaml (ocop_site/cms/admin.py).
 *
 * - Content files are read and written as the checker reads them: YAML front-matter
 *   between "---" lines (js-yaml, YAML 1.2 core schema, so a date stays the text
 *   2024-05-12 and is written back plain), the Markdown body kept byte for byte, keys
 *   in the schema's order, fields the form does not know kept, empty optional fields
 *   left out, a photo without a description written as a plain file name.
 * - New files are named with the project's slug rule (text.slugify, as `new` does):
 *   "Chè Đồng Thịnh" → che-dong-thinh.md; a translation after its Vietnamese file.
 * - Translation files (<name>.en.md) are not listed among the Vietnamese ones.
 * - The product preview is the product page's markup with the site's own CSS.
 * Words shown come from the page (the "ocop-cms" JSON block), never from here.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("ocop-cms").textContent);
  var CMS = window.CMS;
  var FORMAT = "ocop-frontmatter";
  var SLUG_FIELD = "_file";
  var NEVER_WRITTEN = [SLUG_FIELD, "translation_of"];
  var others = data.languages.slice(1);

  // -- names -------------------------------------------------------------------------
  function slugify(value) {
    // text.fold + text.slugify: no marks, đ (and its look-alike ð) → d, lower case,
    // every run of anything but a-z 0-9 one "-"
    return String(value || "").normalize("NFD").toLowerCase().normalize("NFD")
      .replace(/\p{M}/gu, "").replace(/[đð]/g, "d")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function fill(key, params) {
    return data.strings[key].replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return name in params ? String(params[name]) : whole;
    });
  }

  // -- front-matter ------------------------------------------------------------------
  var FENCE = /^---[ \t]*$/;

  function fromFile(content) {
    var lines = String(content).replace(/^\uFEFF/, "").split("\n");
    if (!FENCE.test(lines[0].replace(/\r$/, ""))) {
      return { body: lines.join("\n") };
    }
    for (var end = 1; end < lines.length; end++) {
      var line = lines[end].replace(/\r$/, "");
      if (FENCE.test(line) || line === "...") {
        break;
      }
    }
    var front = jsyaml.load(lines.slice(1, end).join("\n"), { schema: jsyaml.CORE_SCHEMA });
    var found = front && typeof front === "object" && !Array.isArray(front) ? front : {};
    if (Array.isArray(found.images)) {
      found.images = found.images.map(function (item) {
        return typeof item === "string" ? { src: item } : item;
      });
    }
    found.body = lines.slice(end + 1).join("\n");
    return found;
  }

  function isEmpty(value) {
    if (value === null || value === undefined || value === "") {
      return true;
    }
    if (Array.isArray(value)) {
      return value.length === 0;
    }
    return typeof value === "object" && Object.keys(value).length === 0;
  }

  function pruned(value) {
    // what a person would write: no empty optional fields, at any depth
    if (Array.isArray(value)) {
      return value.map(pruned).filter(function (item) { return !isEmpty(item); });
    }
    if (value && typeof value === "object") {
      var kept = {};
      Object.keys(value).forEach(function (key) {
        var inner = pruned(value[key]);
        if (!isEmpty(inner)) {
          kept[key] = inner;
        }
      });
      return kept;
    }
    return typeof value === "string" ? value.replace(/\s+$/, "") : value;
  }

  function toFile(entryData, sortedKeys) {
    var source = Object.assign({}, entryData);
    var body = typeof source.body === "string" ? source.body : "";
    delete source.body;
    NEVER_WRITTEN.forEach(function (key) { delete source[key]; });
    var clean = pruned(source);
    if (Array.isArray(clean.images)) {
      clean.images = clean.images.map(function (item) {
        return item && typeof item === "object" && Object.keys(item).length === 1 && item.src
          ? item.src : item;
      });
    }
    var ordered = {};
    (sortedKeys || []).concat(Object.keys(clean)).forEach(function (key) {
      if (key in clean && !(key in ordered)) {
        ordered[key] = clean[key];
      }
    });
    var yaml = Object.keys(ordered).length ? jsyaml.dump(ordered, {
      schema: jsyaml.CORE_SCHEMA, lineWidth: -1, noRefs: true
    }) : "";
    return "---\n" + yaml + "---\n" + body;
  }

  // -- which collection, which file --------------------------------------------------
  function translationLanguage(collection) {
    var found = null;
    others.forEach(function (lang) {
      if (collection.slice(-lang.length - 1) === "_" + lang) {
        found = lang;
      }
    });
    return found;
  }

  function fileName(collection, entryData) {
    if (translationLanguage(collection)) {
      var of = entryData.get("translation_of");
      if (!of) {
        throw new Error(data.strings["cms.translation_of_missing"]);
      }
      return of;
    }
    if (collection === "events") {
      return slugify(entryData.get("title"));
    }
    return (collection === "products" && entryData.get("slug")) ||
      slugify(entryData.get("name"));
  }

  function beforeSave(event) {
    var entry = event.entry;
    var entryData = entry.get("data");
    if (!entry.get("newRecord")) {
      return entryData;
    }
    return entryData.set(SLUG_FIELD, fileName(entry.get("collection"), entryData));
  }

  var TRANSLATION = new RegExp("\\.(" + (others.join("|") || "-") + ")\\.md$");

  function withoutTranslations(extension, entries) {
    // "md" lists <name>.md and <name>.en.md alike; the latter are the English collections'
    if (extension !== "md" || !Array.isArray(entries)) {
      return entries;
    }
    for (var index = entries.length - 1; index >= 0; index--) {
      var file = entries[index] && entries[index].file;
      if (file && TRANSLATION.test(file.path)) {
        entries.splice(index, 1);  // in place: the list keeps its paging cursor
      }
    }
    return entries;
  }

  function hideTranslations(implementation) {
    ["entriesByFolder", "allEntriesByFolder"].forEach(function (method) {
      var original = implementation[method];
      if (typeof original !== "function") {
        return;
      }
      implementation[method] = function (folder, extension) {
        return Promise.resolve(original.apply(implementation, arguments))
          .then(function (entries) { return withoutTranslations(extension, entries); });
      };
    });
    return implementation;
  }

  ["github", "gitlab", "proxy"].forEach(function (name) {
    var registered = CMS.getBackend(name);
    if (!registered) {
      return;
    }
    var init = registered.init;
    registered.init = function () {
      return hideTranslations(init.apply(this, arguments));
    };
  });

  // -- the product preview -----------------------------------------------------------
  var h = window.h;

  function stars(count) {
    var shown = data.stars[String(count)];
    if (!shown) {
      return null;
    }
    return h("span", { className: "stars stars-" + count, role: "img",
      "aria-label": fill("stars.aria", { stars: count }) },
    h("span", { "aria-hidden": "true" }, shown));
  }

  function fact(label, value) {
    return value ? [h("dt", { key: label + "-dt" }, label), h("dd", { key: label + "-dd" }, value)]
      : [];
  }

  function productPreview(props) {
    // the parts of templates/product.html, in its order and with its classes
    var entry = props.entry;
    var get = function (path) { return entry.getIn(["data"].concat(path)); };
    var count = get(["stars"]);
    var commune = get(["commune"]);
    var current = data.choices.communes[commune];
    var producer = data.choices.producers[get(["producer"])] || null;
    var images = get(["images"]);
    var photos = images && images.map ? images.toArray().map(function (item) {
      var src = typeof item === "string" ? item : item.get("src");
      var alt = typeof item === "string" ? "" : item.get("alt");
      return src ? h("figure", { key: src }, h("img", { src: String(props.getAsset(src)),
        alt: alt || "" })) : null;
    }) : [];
    var communeShown = current && current !== commune
      ? current + " " + fill("product.formerly", { name: commune }) : commune;
    var certificate = function (name) { return get(["certificate", name]); };
    return h("article", { className: "product" },
      h("div", { className: "product-top" },
        h("header", { className: "product-head" },
          h("h1", null, get(["name"])),
          count ? h("p", { className: "product-rating" }, stars(count), " ",
            h("strong", null, fill("product.rating", { stars: count }))) : null,
          get(["price"]) ? h("p", { className: "price big" }, fill("format.price", {
            amount: String(get(["price"])).replace(/\B(?=(\d{3})+$)/g,
              data.strings["format.thousands"]) })) : null),
        producer ? h("section", { className: "contact" },
          h("h2", null, data.strings["product.contact"] + ": " + producer.name),
          h("ul", { className: "contact-actions" }, h("li", null,
            h("span", { className: "button button-call" },
              fill("product.call", { phone: producer.phone }))))) : null,
        h("div", { className: "product-media gallery" }, photos),
        h("div", { className: "product-facts" },
          h("p", { className: "summary" }, get(["summary"])),
          h("dl", { className: "facts" },
            fact(data.strings["product.category"], data.choices.categories[get(["category"])]),
            fact(data.strings["product.commune"], communeShown),
            fact(data.strings["product.producer"], producer && producer.name)))),
      h("section", { className: "description" },
        h("h2", null, data.strings["product.description"]),
        props.widgetFor("body")),
      h("div", { className: "product-papers" },
        h("section", { className: "certificate" },
          h("h2", null, data.strings["certificate.heading"]),
          h("dl", { className: "facts" },
            fact(data.strings["certificate.decision"], certificate("decision")),
            fact(data.strings["certificate.date"], certificate("date")),
            fact(data.strings["certificate.issued_by"], certificate("issued_by")),
            fact(data.strings["certificate.valid_until"], certificate("valid_until"))))),
      producer ? h("aside", { className: "producer-card" },
        h("h2", null, data.strings["product.producer"]),
        h("p", null, h("strong", null, producer.name), h("br"),
          h("span", { className: "muted" }, producer.type)),
        h("p", null, producer.address),
        h("p", null, data.strings["product.phone"], " ", producer.phone)) : null);
  }

  CMS.registerCustomFormat(FORMAT, "md", { fromFile: fromFile, toFile: toFile });
  CMS.registerEventListener({ name: "preSave", handler: beforeSave });
  CMS.registerPreviewStyle(new URL(data.css, window.location.href).href);
  CMS.registerPreviewTemplate("products", productPreview);
  window.ocopSlugify = slugify;  // for the tests: the same rule as text.slugify
  CMS.init();
}());
