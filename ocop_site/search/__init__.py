"""The search index: one small record per product and language, Pagefind run over them in
shards, each shard's bundle cached, the shards merged into one bundle Pagefind's own UI loads."""
