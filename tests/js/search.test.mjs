// Unit tests of the site's search code (overrides/assets/search/), run with `node --test tests/js/`.
// The index and the query are cut by the same tokenize(); these tests pin down what it makes of the
// handbook's kinds of text and that a query's terms are exactly terms the index holds.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SearchIndex } from "../../overrides/assets/search/engine.js";
import { lexicon, plan, prepareGroups, segment } from "../../overrides/assets/search/query.js";
import { distance } from "../../overrides/assets/search/engine.js";
import { markup, toMaterial } from "../../overrides/assets/search/results.js";
import { stem } from "../../overrides/assets/search/stem.js";
import { cnNumber, fold, tokenize } from "../../overrides/assets/search/tokenize.js";

const terms = (text, kinds = null) => tokenize(text).filter((t) => !kinds || kinds.includes(t.k)).map((t) => t.t);

// input -> the terms tokenize() gives it (index side and query side alike)
const VECTORS = [
  ["公杂费", ["公", "公杂", "杂", "杂费", "费"]],
  ["费", ["费"]],
  ["150元", ["150", "元"]],
  ["15分钟", ["15", "分", "分钟", "钟"]],
  ["2/3", ["2/3"]],
  ["2 / 3", ["2/3"]],
  ["1,000 yuan", ["1000", "yuan"]],
  ["80%", ["80%"]],
  ["80 per cent", ["80%"]],
  ["1.50", ["1.5"]],
  ["Garzê", ["garz"]],
  ["GARZE", ["garz"]],
  ["Leaves", ["leav"]],
  ["reimbursement reimbursed", ["reimburs", "reimburs"]],
  ["the Bureau's seals", ["the", "bureau", "seal"]],
  ["ＡＢＣ１２", ["abc", "12"]], // full width folds to half width
  ["a\u200bb", ["a", "b"]], // zero-width space separates
];

test("tokenize: the vectors", () => {
  for (const [input, expected] of VECTORS) assert.deepEqual(terms(input).filter((t) => t), expected, input);
});

test("tokenize: spans point into the original text", () => {
  const text = "出差期间Garzê地区150元";
  for (const t of tokenize(text)) {
    const original = text.slice(t.s, t.e);
    assert.ok(original.length > 0, JSON.stringify(t));
    if (t.k === "h1" || t.k === "h2") assert.equal(original, t.t);
  }
  const garze = tokenize(text).find((t) => t.t === "garz");
  assert.equal(text.slice(garze.s, garze.e), "Garzê");
});

test("numbers: Chinese and Arabic forms meet", () => {
  assert.equal(cnNumber("十五"), 15);
  assert.equal(cnNumber("二十"), 20);
  assert.equal(cnNumber("一百五十"), 150);
  assert.equal(cnNumber("三"), 3);
  assert.equal(cnNumber("一二"), null);
  assert.ok(terms("三分之二").includes("2/3"));
  assert.ok(terms("必须有三分之二以上").includes("2/3"));
  assert.ok(terms("百分之八十").includes("80%"));
  assert.ok(terms("two thirds").includes("2/3"));
  assert.ok(terms("two-thirds").includes("2/3"));
  assert.ok(terms("十五分钟").includes("15"));
});

test("stem: inflections meet, different words stay apart", () => {
  const same = [["leave", "leaves"], ["certificate", "certificates"], ["reimburse", "reimbursement", "reimbursed"],
    ["meeting", "meetings"], ["approve", "approved", "approving"], ["travel", "travels"], ["driver", "drivers"]];
  for (const group of same) assert.equal(new Set(group.map(stem)).size, 1, group.join("/"));
  assert.notEqual(stem("leave"), stem("level"));
  assert.notEqual(stem("seal"), stem("sea"));
});

test("fold keeps an offset for every character", () => {
  const { text, origin } = fold("Ｇarzê");
  assert.equal(text, "garze");
  assert.equal(origin.length, text.length + 1);
});

test("plan: a query's atoms are terms the index cuts from a text that contains it", () => {
  for (const [query, text] of [
    ["公杂费", "出差人员的公杂费按标准发放"],
    ["补助费", "伙食补助费"],
    ["15分钟", "下班提前15分钟视为早退"],
    ["三分之二", "必须有三分之二以上成员到会"],
    ["2/3", "必须有三分之二以上成员到会"],
    ["certificates of origin", "to issue a certificate of origin for exports"],
    ["Garze", "Garzê, Aba and Liangshan"],
  ]) {
    const indexed = new Set(terms(text));
    const concepts = plan(query);
    assert.ok(concepts.length > 0, query);
    for (const c of concepts) {
      assert.ok(c.alts.some((alt) => alt.atoms.every((a) => indexed.has(a))), `${query}: ${JSON.stringify(c)}`);
    }
  }
});

// function words and words as the index declares them (data/search.yaml; the build's word list)
const LEX = lexicon({ fn: ["of", "the", "can", "I", "吗", "要", "怎么", "可以", "什么"], words: "请假 书面 申请 要求 可以 怎么 什么 高铁 一等座" });
LEX.exists = () => false; // no stretch occurs as typed: each word becomes a concept

test("plan: Han runs become bigram chains, function words are dropped unless alone", () => {
  assert.deepEqual(plan("公杂费")[0].alts, [{ atoms: ["公杂", "杂费"], offs: [0, 1] }]);
  assert.deepEqual(plan("费")[0].alts, [{ atoms: ["费"], offs: [0] }]);
  assert.deepEqual(plan("certificate of origin", [], LEX).map((c) => c.label), ["certificate", "origin"]);
  assert.deepEqual(plan("can I get certificates", [], LEX).map((c) => c.label), ["get", "certificates"]);
  assert.deepEqual(plan("of the", [], LEX).map((c) => c.label), ["of", "the"]);
  assert.deepEqual(plan("150元").map((c) => c.label), ["150", "元"]);
});

test("plan: a Chinese question is cut into the handbook's words, its function words dropped", () => {
  assert.deepEqual(plan("请假要写书面申请吗", [], LEX).map((c) => c.label), ["请假", "写", "书面", "申请"]);
  assert.deepEqual(plan("高铁可以坐一等座吗", [], LEX).map((c) => c.label), ["高铁", "坐", "一等座"]);
  assert.deepEqual(plan("什么要求", [], LEX).map((c) => c.label), ["要求"]); // 要 of 要求 stays
  assert.deepEqual(plan("怎么", [], LEX).map((c) => c.label), ["怎么"]); // nothing else: kept
  // fewest pieces; a character that is no word counts double (司机|休|年假, not 司|机|休年假)
  assert.deepEqual(segment([..."司机休年假"], new Set(["司机", "年假"])).map((p) => [p.from, p.to, p.word]), [[0, 2, true], [2, 3, false], [3, 5, true]]);
});

test("distance: typing slips are one or two edits away", () => {
  assert.equal(distance("absense", "absence"), 1);
  assert.equal(distance("buisness", "business"), 1); // a transposition counts one
  assert.equal(distance("miscelaneous", "miscellaneous"), 1);
  assert.equal(distance("confidental", "confidential"), 1);
  assert.ok(distance("leave", "driver") > 2);
});

test("plan: a synonym or a term in the other language becomes one concept with every member", () => {
  const groups = prepareGroups([{ m: ["伙食补助费", "meal allowance", "per diem", "出差补助"], c: ["a"] }]);
  for (const q of ["per diem", "Per Diems", "出差补助", "伙食补助费", "meal allowances"]) {
    const concepts = plan(q, groups);
    assert.equal(concepts.length, 1, q);
    assert.equal(concepts[0].group, 0, q);
    assert.ok(concepts[0].alts.some((a) => a.atoms.join() === "伙食,食补,补助,助费"), q);
  }
});

const DATA = {
  lang: "zh",
  pages: [{ u: "finance/travel/", c: "财务制度 › 差旅管理办法" }, { u: "labour/seals/", c: "劳动制度 › 印章管理办法" }],
  docs: [
    { id: "finance.travel", p: 0, t: "差旅管理办法", c: "财务制度", b: "为规范差旅费管理,制定本办法。" },
    { id: "finance.travel.misc", p: 0, t: "5 公杂费", c: "财务制度 › 差旅管理办法", b: "公杂费是指出差期间发生的市内交通费、通讯费等费用,每人每天80元。" },
    { id: "finance.travel.meal", p: 0, t: "4 伙食补助费", c: "财务制度 › 差旅管理办法", b: "伙食补助费按出差天数计算,公杂费另计。" },
    { id: "finance.travel.other", p: 0, t: "6 报销", c: "财务制度 › 差旅管理办法", b: "报销时提供发票。<script>不是标签</script>" },
    { id: "labour.seals.use", p: 1, t: "2.印章的使用", c: "劳动制度 › 印章管理办法", b: "使用印章须经审批。" },
  ],
  groups: [{ m: ["伙食补助费", "meal allowance", "per diem", "出差补助"], c: ["finance.travel.meal"] }],
};

function index() {
  const idx = new SearchIndex(DATA);
  idx.lang = DATA.lang;
  idx.pages = DATA.pages;
  return idx;
}

const ids = (idx, q) => idx.search(q).hits.map((h) => DATA.docs[h.d].id);

test("search: any two characters of a clause find it; the title outranks the body", () => {
  const idx = index();
  assert.deepEqual(ids(idx, "杂费").slice(0, 2), ["finance.travel.misc", "finance.travel.meal"]);
  assert.deepEqual(ids(idx, "80元"), ["finance.travel.misc"]);
  assert.deepEqual(ids(idx, "量子"), []);
});

test("search: every term before some; a glossary term in either language finds its clause first", () => {
  const idx = index();
  const r = idx.search("公杂费 发票");
  assert.equal(r.hits.length > 1, true);
  assert.ok(r.hits.every((h) => h.strict < 2), "no clause has both");
  assert.deepEqual(ids(idx, "per diem")[0], "finance.travel.meal");
  assert.deepEqual(ids(idx, "出差补助")[0], "finance.travel.meal");
});

test("search: a Han run found nowhere as typed shows the clauses with most of it, as partial", () => {
  const idx = index();
  const r = idx.search("印章使用");
  assert.equal(DATA.docs[r.hits[0].d].id, "labour.seals.use");
  assert.equal(r.hits[0].strict, 0);
  assert.equal(r.hits[0].matches[0].loose, true);
});

test("results: Material's groups, every link to the clause anchor, marked snippet, no U+200B, HTML escaped", () => {
  const idx = index();
  const { items } = toMaterial(idx, idx.search("公杂费"));
  const [clause, crumb] = items[0];
  // both links of a card land on the clause (Material renders the last, the crumb, as the card's heading)
  assert.equal(clause.location, "finance/travel/#finance.travel.misc");
  assert.equal(crumb.location, "finance/travel/#finance.travel.misc");
  assert.ok(clause.score > crumb.score);
  assert.match(clause.title, /<mark>公杂费<\/mark>/);
  assert.match(clause.text, /<mark>公杂费<\/mark>是指/);
  assert.deepEqual(clause.terms, { 公杂费: true });
  for (const [c, p] of items) for (const s of [p.title, c.title, c.text]) assert.ok(!s.includes("\u200b"));
  const other = toMaterial(idx, idx.search("发票")).items[0][0];
  assert.ok(!other.text.includes("<script>") && other.text.includes("&lt;script&gt;"));
  // a partial match says calmly what it lacks; Material's struck-through list stays empty
  const partial = toMaterial(idx, idx.search("公杂费 量子")).items[0][0];
  assert.ok(!Object.values(partial.terms).includes(false));
  assert.match(partial.text, /<p class="hb-search-lacks">不含: 量子<\/p>/);
});

test("markup merges overlapping spans", () => {
  assert.equal(markup("公杂费用", [[0, 2], [1, 3]]), "<mark>公杂费</mark>用");
});

test("results: a number read from characters marks the characters", () => {
  const data = {
    lang: "zh",
    pages: [{ u: "meetings/party-group/", c: "会议 › 党组" }],
    docs: [{ id: "m.quorum", p: 0, t: "2)", c: "会议 › 党组", b: "讨论人事任免必须有三分之二以上成员到会,十五分钟内签到。" }],
    groups: [],
  };
  const idx = new SearchIndex(data);
  idx.lang = "zh";
  idx.pages = data.pages;
  assert.match(toMaterial(idx, idx.search("2/3")).items[0][0].text, /<mark>三分之二<\/mark>以上/);
  assert.match(toMaterial(idx, idx.search("15分钟")).items[0][0].text, /<mark>十五分钟<\/mark>内/);
});
