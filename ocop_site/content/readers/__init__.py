"""One reader per content kind, each a few pure functions over real files.

    data.py          content/data/communes.yaml, categories.yaml → References
    producers.py     content/producers/*.md   (names a commune)
    products.py      content/products/*.md    (names a commune, a category, a producer)
    events.py        content/events/*.md      (names products)
    translations.py  <name>.<lang>.md beside any of the three above

They share `ReadContext` (context.py: where the files are, how a path is shown, where
errors go, the content cache), the field checks of checks.py (URL parts, photos) and
the frozen index of names in ../references.py. `content/loader.py` calls them in the
order the references need: data files, producers, products, events, translations.
"""
