"""After both languages are built: the Content-Security-Policy and headers (``csp``) and the precompressed
siblings (``compress``)."""
