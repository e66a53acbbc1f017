// The Porter stemmer (M.F. Porter, 1980), for English words already lower-cased and accent-folded.
// One job: reduce inflected forms to one stem, so that leave/leaves, certificate/certificates and
// reimburse/reimbursement/reimbursed meet. Used for the index and the query alike (see tokenize.js).

const STEP2 = {
  ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al",
  entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate", alism: "al",
  iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log",
};
const STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
const STEP4 = [
  "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ou", "ism", "ate",
  "iti", "ous", "ive", "ize",
];

const C = "[^aeiou]";
const V = "[aeiouy]";
const CS = C + "[^aeiouy]*";
const VS = V + "[aeiou]*";
const MGR0 = new RegExp("^(" + CS + ")?" + VS + CS);
const MEQ1 = new RegExp("^(" + CS + ")?" + VS + CS + "(" + VS + ")?$");
const MGR1 = new RegExp("^(" + CS + ")?" + VS + CS + VS + CS);
const HAS_V = new RegExp("^(" + CS + ")?" + V);
const CVC = new RegExp("^" + CS + V + "[^aeiouwxy]$");
const STEP2_RE = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const STEP3_RE = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const STEP4_RE = new RegExp("^(.+?)(" + STEP4.join("|") + ")$");
const cache = new Map();

export function stem(word) {
  let s = cache.get(word);
  if (s === undefined) {
    s = porter(word);
    if (cache.size < 50000) cache.set(word, s);
  }
  return s;
}

function porter(word) {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  const firstY = w[0] === "y";
  if (firstY) w = "Y" + w.slice(1);

  // Step 1a
  if (/(ss|i)es$/.test(w)) w = w.slice(0, -2);
  else if (/[^s]s$/.test(w)) w = w.slice(0, -1);

  // Step 1b
  let m;
  if ((m = /^(.+?)eed$/.exec(w))) {
    if (MGR0.test(m[1])) w = w.slice(0, -1);
  } else if ((m = /^(.+?)(ed|ing)$/.exec(w))) {
    const base = m[1];
    if (HAS_V.test(base)) {
      w = base;
      if (/(at|bl|iz)$/.test(w)) w += "e";
      else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
      else if (CVC.test(w)) w += "e";
    }
  }

  // Step 1c
  if ((m = /^(.+?)y$/.exec(w)) && HAS_V.test(m[1])) w = m[1] + "i";

  // Step 2
  if ((m = STEP2_RE.exec(w))) {
    if (MGR0.test(m[1])) w = m[1] + STEP2[m[2]];
  }

  // Step 3
  if ((m = STEP3_RE.exec(w))) {
    if (MGR0.test(m[1])) w = m[1] + STEP3[m[2]];
  }

  // Step 4
  if ((m = STEP4_RE.exec(w))) {
    if (MGR1.test(m[1])) w = m[1];
  } else if ((m = /^(.+?)(s|t)(ion)$/.exec(w))) {
    if (MGR1.test(m[1] + m[2])) w = m[1] + m[2];
  }

  // Step 5
  if ((m = /^(.+?)e$/.exec(w))) {
    const base = m[1];
    if (MGR1.test(base) || (MEQ1.test(base) && !CVC.test(base))) w = base;
  }
  if (/ll$/.test(w) && MGR1.test(w)) w = w.slice(0, -1);

  if (firstY) w = "y" + w.slice(1);
  return w;
}
