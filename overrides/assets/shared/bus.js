// What the page's scripts share, declared once, instead of window globals: named topics, each with its
// latest value and its subscribers (a subscriber gets the latest value at once, then every change: no
// polling). Every script imports this module from the site root, so a page has one instance, kept
// across Material's instant navigation. tests/test_boundaries.py checks the scripts name only these.
//
//   engine   the calculators' engine of this tab, published by calc/runtime.js at each change of its
//            state ({state: "starting" | "ready" | "failed", mode, run(), ...}); it is the tab's one
//            engine, kept across instant navigation (runtime.js reads it back; a page of a newer build
//            retires it); offline/register.js waits on it before it caches the runtime; the tests and
//            the benchmark run calculations through it
//   earlyWorker  the worker a calculator page's <head> started before any module loaded
//            (overrides/main.html), until calc/runtime.js adopts it (then null)
//   offline  what this handbook has offline, published by offline/register.js
//            ({version, shell, runtime, update}); the tests and the benchmark read it

export const TOPIC = Object.freeze({ engine: "engine", earlyWorker: "earlyWorker", offline: "offline" });

const topics = new Map();

function topic(name) {
  if (!Object.values(TOPIC).includes(name)) throw new Error(`bus: no topic "${name}" (overrides/assets/shared/bus.js)`);
  if (!topics.has(name)) topics.set(name, { value: undefined, listeners: new Set() });
  return topics.get(name);
}

/** Set a topic's value and tell its subscribers. */
export function publish(name, value) {
  const t = topic(name);
  t.value = value;
  for (const fn of Array.from(t.listeners)) {
    try {
      fn(value);
    } catch (err) {
      console.error(err);
    }
  }
}

/** A topic's latest value (undefined until first published). */
export function current(name) {
  return topic(name).value;
}

/** Call fn with the topic's latest value (if any) and at every change; returns the unsubscribe function. */
export function subscribe(name, fn) {
  const t = topic(name);
  t.listeners.add(fn);
  if (t.value !== undefined) fn(t.value);
  return () => t.listeners.delete(fn);
}
