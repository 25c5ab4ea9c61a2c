"""The official lists of provinces and communes (2025 mergers included) and `init`'s new
site made from them."""
