"""Where a job's bytes end up: the output cache, the staging folder and its atomic swap,
serve's in-place writer. One entry point (place.py); nothing here calls back up."""
