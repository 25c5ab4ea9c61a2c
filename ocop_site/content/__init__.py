"""Files → frozen models: site.yaml and the interface strings, front-matter checked by
field tables, one reader per content kind, the parse cache. Nothing here renders or writes
the site."""
