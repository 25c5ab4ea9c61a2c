"""The search index: one doc per product and shop in each language (records), the words'
rules shared with assets/js/search.js (tokens), the last run's index kept (indexcache), and
the static JSON files the search page fetches (writer)."""
