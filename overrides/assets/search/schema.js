// The search index's schema: the one declaration of the keys of the index file that
// handbook/exports/search_index.py writes (search/clauses.<hash>.json, one per language) and the search code
// reads (worker.js, engine.js, query.js, results.js). The build reads the block below (strict JSON between the
// markers) and refuses to write an index with a key it does not declare; tests/test_search.py runs the search
// code under node on a real index and fails when it reads a key the block does not declare. Short keys keep
// the file small: each record kind lists its keys with their meaning.

export const SCHEMA = Object.freeze(/* contract:begin */ {
  "index": {
    "lang": "the index's language: zh or en",
    "pages": "the section pages, each a page",
    "docs": "one doc per clause and per section (its intro), in the regulation's order",
    "groups": "words that mean the same, each a group: glossary terms and data/search.yaml's everyday words",
    "calcs": "the calculators, each a calc",
    "fn": "question and function words of both languages (data/search.yaml): they never decide a match",
    "intents": "what kind of answer a query asks for, each an intent (data/search.yaml)",
    "words": "zh only: the index's Chinese words, space-separated; a query is cut into them",
    "sounds_file": "zh only: the file of the characters-by-sound table, beside the index (typing slips)"
  },
  "page": {
    "u": "the page's path from the language's root",
    "c": "the page's breadcrumb"
  },
  "doc": {
    "id": "the clause or section id, the anchor on its page",
    "p": "its page: an index into pages",
    "t": "title: its heading as the page shows it",
    "c": "breadcrumb: the part, section and titled clauses above it",
    "b": "body: its paragraphs and tables in force (left out when empty)",
    "x": "its editorial notes, values and id's words (left out when empty)",
    "f": "its flags (left out when none): a sum of flags"
  },
  "group": {
    "id": "the glossary term's id, or everyday-<n>",
    "m": "members: the words that mean the same",
    "c": "the clauses the glossary lists for the term"
  },
  "calc": {
    "u": "the calculator page's path from the language's root",
    "t": "the calculator's title",
    "c": "the clause ids it computes"
  },
  "intent": {
    "id": "the intent's id in data/search.yaml",
    "w": "its words, both languages",
    "f": "the flag of the clauses it favours"
  },
  "sounds": {
    "sounds": "characters by sound, without tones: \"bao报保包…|xiao消销…\""
  },
  "flags": {
    "values": 1,
    "approval": 2
  },
  "lists": {
    "pages": "page",
    "docs": "doc",
    "groups": "group",
    "calcs": "calc",
    "intents": "intent"
  }
} /* contract:end */);

/** A doc's flags ("f") and an intent's: what kind of answer a clause holds. */
export const FLAG = Object.freeze(SCHEMA.flags);

/** The index's lists: a top-level key that holds a list -> the kind of each item ("docs" -> "doc"). */
export const LISTS = Object.freeze(SCHEMA.lists);
