"""The calculators' browser runtime: the Pyodide bundle, snapshot and manifest (``pyodide_bundle``), and the
offline copy: the service worker's file list and the writing of ``sw.js`` (``offline``; the worker's source is
overrides/assets/offline/service-worker.js, beside its page half, register.js, and their messages.js)."""
