// The search worker's protocol: the one declaration of the messages between the page and the handbook's
// search worker (worker.js). The worker and the page's box.js import this module (both classic scripts:
// by import()), and the tests import it too; every message is named and built here.
//
// Material's own messages (its search box and result list speak them; the numbers are Material's):
//   page -> worker  SETUP (0)   {config, docs, options}   config.handbook_index names the handbook's index
//   worker -> page  READY (1)                             at once, before the index is fetched
//   page -> worker  QUERY (2)   "text"                    the search box's text
//   worker -> page  RESULT (3)  {items, handbook}         items: Material's [[main, page], ...];
//                                                         handbook: {typed, searched, changes}, which box.js
//                                                         shows as "showing results for"
// and the handbook's own, which Material never sends and which get no answer of their own:
//   page -> worker  PREPARE     (no data)                 the reader went to the search box: fetch and build now
//   page -> worker  AS_TYPED    "text"                    search this query as typed (no slip correction); the
//                                                         last query is answered again (RESULT)

export const MSG = Object.freeze({
  SETUP: 0,
  READY: 1,
  QUERY: 2,
  RESULT: 3,
  PREPARE: "handbook:prepare",
  AS_TYPED: "handbook:as-typed",
});

export const ready = () => ({ type: MSG.READY });
export const result = (data) => ({ type: MSG.RESULT, data }); // data: {items, handbook?}
export const prepare = () => ({ type: MSG.PREPARE });
export const asTyped = (text) => ({ type: MSG.AS_TYPED, data: String(text) });

/** The message's type when it is one of this protocol's, otherwise null. */
export function typeOf(message) {
  const type = message && typeof message === "object" ? message.type : undefined;
  return Object.values(MSG).includes(type) ? type : null;
}
