"""What the build derives from the model for the browser and the engine: ``rules_export`` (calculators/rules.json),
``search_index`` (the search index), ``worksheets`` (the printed worksheets' sign-off boxes), ``calc_contract``
(the calculator page's data-* names, read from overrides/assets/calc/contract.js)."""
