// Starts the calculators' engine (the Pyodide worker) as soon as a calculator page's <head> is
// parsed: loaded by overrides/main.html as an async module on calculator pages only, so that the
// worker downloads and restores Python while the rest of the page loads. calc-ui.js later finds
// the same runtime (one per tab); after an instant navigation it starts it itself.

import { runtime } from "./runtime.js";

runtime();
