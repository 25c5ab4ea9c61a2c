"""Vietnamese text and the text formats every reader uses: NFC, identity keys, folding,
slugs and collation (vietnamese.py); Markdown to safe HTML; YAML front-matter with each
key's line."""
