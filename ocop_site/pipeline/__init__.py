"""The recipe: scan the inputs, plan a job per output keyed by a fingerprint of what it is
made of, place it from the cache or make it in the worker pool; the build state and serve's
session."""
