"""Models → catalogue (each index once, each language once) → one Page per URL, and the
templates that display it. Nothing here writes a file."""
