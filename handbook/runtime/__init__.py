"""The calculators' browser runtime: the Pyodide bundle, snapshot and manifest (``pyodide_bundle``), and the
offline copy: the service worker and its file list (``offline``, ``offline_sw.js``)."""
