import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, for accent-insensitive search ("Hélène" -> "helene")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
