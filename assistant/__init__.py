"""Core of ふくしま支援ナビ: text normalization, tokenizing, matching and dialogue (no web, no I/O)."""
