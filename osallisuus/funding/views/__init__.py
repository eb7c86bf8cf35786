"""Pages of partnership funding (applying here; ``money`` and ``portfolio`` apart)."""
