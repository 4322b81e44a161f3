/* Playbook search engine: reads a rep's question the way a colleague would.
 *
 * 1. The query is cut into known words (longest match against the lexicon: titles, aliases,
 *    glossary terms, synonyms, generic words); what is left is cut at filler characters.
 * 2. Generic words (客户, 怎么办 …) keep a tiny weight: they never decide the ranking.
 *    Colloquial words add the playbook terms they stand for (赖账 → 恶意欠款).
 * 3. Every piece becomes overlapping character pairs (bigrams), the usual way to index
 *    Chinese without a dictionary in the browser; MiniSearch scores them with BM25 over
 *    title, aliases, questions, module and body.
 * 4. The score is scaled by how much of the query's meaning a section covers, plus a bonus
 *    for whole words found verbatim.
 * Works in a web worker and in Node (module.exports) for quick checks.
 */
(function (root) {
  "use strict";

  const HAN = /[\u3400-\u9fff]/;
  const RUN = /[\u3400-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?/g;
  const FILLER = new Set("的了吗呢啊吧呀哦嘛么咋啥说我你他她它们该怎这那哪就还都也很太又再".split(""));
  const WEIGHT = { term: 1.5, synonym: 1.0, target: 1.0, free: 1.0, single: 0.3, generic: 0.05 };
  const FIELDS = ["title", "aliases", "questions", "module", "text"];
  const BOOST = { title: 3, aliases: 2.5, questions: 2.2, module: 0.4, text: 1 };
  const MAX_WORD = 10;

  function normalize(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(/帐/g, "账");  // 对帐 = 对账
  }

  /* Index terms of a text: Han runs as bigrams (plus single characters), Latin words whole. */
  function grams(text) {
    const out = [];
    for (const run of normalize(text).match(RUN) || []) {
      if (!HAN.test(run)) { out.push(run); continue; }
      for (let i = 0; i < run.length; i++) {
        out.push(run[i]);
        if (i + 1 < run.length) out.push(run.slice(i, i + 2));
      }
    }
    return out;
  }

  function pairs(word) {
    if (!HAN.test(word)) return [word];
    if (word.length === 1) return [word];
    const out = [];
    for (let i = 0; i + 1 < word.length; i++) out.push(word.slice(i, i + 2));
    return out;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  class Engine {
    constructor(index) {
      const lexicon = (index.config || {}).lexicon || {};  // Material passes config through
      this.docs = index.docs.map((doc, id) => ({ id, ...doc }));
      this.kind = new Map();      // word → "term" | "synonym" | "generic"
      this.targets = new Map();   // word people type → the playbook terms it stands for
      const terms = new Set((lexicon.terms || []).map(normalize));
      for (const [term, variants] of Object.entries(lexicon.synonyms || {})) {
        terms.add(normalize(term));
        for (const variant of variants) {
          const key = normalize(variant);
          this.targets.set(key, [...(this.targets.get(key) || []), normalize(term)]);
        }
      }
      // A word can be a term and stand for another (a company's 断货: [卡脖子] on top of
      // upstream's 停止供货: [断货]): it keeps its targets either way.
      for (const word of this.targets.keys()) this.kind.set(word, "synonym");
      for (const word of terms) this.kind.set(word, "term");
      for (const word of lexicon.generic || []) {
        const key = normalize(word);
        if (!this.kind.has(key)) this.kind.set(key, "generic");
      }
      this.vocabulary = [...this.kind.entries()].filter(([, k]) => k === "term").map(([w]) => w);
      this.search_ = new root.MiniSearch({
        fields: FIELDS,
        storeFields: [],
        tokenize: grams,
        processTerm: term => term,
        searchOptions: { boost: BOOST, bm25: { k: 1.2, b: 0.6, d: 0.5 } },
      });
      this.search_.addAll(this.docs.map(doc => {
        const fields = { id: doc.id };
        for (const f of FIELDS) fields[f] = doc[f] || "";
        return fields;
      }));
    }

    /* The query as weighted pieces: [{word, kind, weight}]. */
    read(query) {
      const pieces = [];
      for (const run of normalize(query).match(RUN) || []) {
        if (!HAN.test(run)) { pieces.push({ word: run, kind: "free", weight: WEIGHT.free }); continue; }
        let free = "";
        const flush = () => {
          for (const part of free.split("").reduce((acc, c) => {
            if (FILLER.has(c)) acc.push(""); else acc[acc.length - 1] += c;
            return acc;
          }, [""])) {
            if (part.length >= 2) pieces.push({ word: part, kind: "free", weight: WEIGHT.free });
            else if (part.length === 1) pieces.push({ word: part, kind: "single", weight: WEIGHT.single });
          }
          free = "";
        };
        for (let i = 0; i < run.length;) {
          let found = "";
          for (let n = Math.min(MAX_WORD, run.length - i); n >= 2; n--) {
            const word = run.slice(i, i + n);
            if (this.kind.has(word)) { found = word; break; }
          }
          if (!found) { free += run[i]; i += 1; continue; }
          flush();
          const kind = this.kind.get(found);
          pieces.push({ word: found, kind, weight: WEIGHT[kind] });
          for (const target of this.targets.get(found) || [])
              pieces.push({ word: target, kind: "term", weight: WEIGHT.target });
          i += found.length;
        }
        flush();
      }
      // A query of nothing but generic words or single characters still has to find something.
      if (!pieces.some(p => p.weight >= WEIGHT.free))
        for (const p of pieces) if (p.kind === "generic" || p.kind === "single") p.weight = WEIGHT.free;
      return pieces;
    }

    search(query, limit = 10) {
      const pieces = this.read(query);
      const weights = new Map();
      for (const piece of pieces)
        for (const gram of pairs(piece.word))
          weights.set(gram, Math.max(weights.get(gram) || 0, piece.weight));
      if (!weights.size) return { hits: [], pieces };
      const total = [...weights.values()].reduce((a, b) => a + b, 0);
      const terms = [...weights.keys()];
      const raw = this.search_.search({ combineWith: "OR", queries: terms }, {
        boostTerm: term => weights.get(term) || 0,
        boostDocument: id => this.docs[id].boost || 1,
      });
      const hits = raw.map(result => {
        const doc = this.docs[result.id];
        const covered = result.queryTerms.reduce((sum, t) => sum + (weights.get(t) || 0), 0) / total;
        const haystack = normalize([doc.title, doc.aliases, doc.questions, doc.text].join(" "));
        const title = normalize([doc.title, doc.aliases].join(" "));
        let bonus = 0;
        const words = [];
        for (const piece of pieces) {
          if (piece.word.length < 2 || piece.kind === "generic") continue;
          if (haystack.includes(piece.word)) {
            words.push(piece.word);
            bonus += piece.weight * (title.includes(piece.word) ? 0.6 : 0.3);
          }
        }
        const base = result.score / Math.max(1, result.queryTerms.length);
        return { doc, score: base * (0.3 + covered * covered) * (1 + bonus), words, covered,
                 grams: result.queryTerms };
      });
      hits.sort((a, b) => b.score - a.score || a.doc.id - b.doc.id);
      return { hits: hits.slice(0, limit), pieces };
    }

    /* Closest known words to a query that found nothing (shared characters, then length). */
    closest(query, count = 3) {
      // Characters of the words that carry meaning (not of 客户, 怎么办 …).
      const meaningful = this.read(query).filter(p => p.kind !== "generic").map(p => p.word).join("");
      const chars = new Set(meaningful.split("").filter(c => HAN.test(c) && !FILLER.has(c)));
      if (!chars.size) return [];
      const scored = [];
      for (const word of this.vocabulary) {
        let shared = 0;
        for (const c of new Set(word)) if (chars.has(c)) shared += 1;
        if (shared) scored.push([shared / Math.sqrt(word.length * chars.size), word]);
      }
      scored.sort((a, b) => b[0] - a[0] || a[1].length - b[1].length || (a[1] < b[1] ? -1 : 1));
      return scored.slice(0, count).map(([, w]) => w);
    }

    /* A short teaser around the first match, matches marked. */
    snippet(doc, marks, size = 90) {
      const text = doc.text || "";
      const sorted = [...new Set(marks)].filter(Boolean).sort((a, b) => b.length - a.length);
      let start = 0;
      const lower = normalize(text);
      for (const mark of sorted) {
        const at = lower.indexOf(mark);
        if (at >= 0) { start = Math.max(0, at - 20); break; }
      }
      let piece = text.slice(start, start + size);
      if (start > 0) piece = "…" + piece;
      if (start + size < text.length) piece += "…";
      return highlight(piece, sorted);
    }
  }

  function highlight(text, marks) {
    const safe = escapeHtml(text);
    if (!marks.length) return safe;
    const pattern = new RegExp(marks.map(m => escapeRegExp(escapeHtml(m))).join("|"), "gi");
    return safe.replace(pattern, m => `<mark>${m}</mark>`);
  }

  root.PlaybookSearch = { Engine, grams, highlight, escapeHtml };
  if (typeof module !== "undefined" && module.exports) module.exports = root.PlaybookSearch;
})(typeof self !== "undefined" ? self : globalThis);
