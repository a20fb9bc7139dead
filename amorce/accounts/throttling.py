def username_of(request, credentials) -> str:
    """Count failed logins per address whatever its case: e-mails log in case-insensitively."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
