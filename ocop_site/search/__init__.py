"""The search index: one doc per product and shop in each language (records), the words'
rules shared with assets/js/search.js (tokens), each doc's words cached (termcache), and
the static JSON files the search page fetches (writer)."""
