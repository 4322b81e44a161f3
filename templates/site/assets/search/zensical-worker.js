/* Zensical's search worker protocol (0.0.73), answered by the playbook engine.
 * Messages: {type: 0 SETUP, data: {config, items}} (search.json, as generator/search/index.py
 * zensical_index wrote it) → {type: 1 READY}; {type: 2 QUERY, data: {input, filter, page, …}}
 * → {type: 3 RESULT, data: {items, pagination, aggregations}}; {type: 4 ERROR} when the index
 * cannot be read (the dialog then says search is unavailable instead of waiting forever).
 * The dialog draws each result from its own copy of search.json, items[id]; the worker only
 * says which ids, in which order, and which character ranges of the title and text to mark.
 * Titles and texts are HTML-escaped in search.json (the dialog parses them as HTML), so the
 * ranges are offsets into the escaped strings and never cut an entity in two.
 */
(function (root) {
  "use strict";
  const { Engine } = root.PlaybookSearch;
  const LIMIT = 10;  // as on Material: the ten best sections, the rest is noise
  const PAGE = 10;   // Zensical's page size (it asks for the next page by {id, size, from})
  const ENTITY = "&(?:amp|lt|gt);";
  let engine = null;

  const unescapeHtml = text => String(text).replace(/&(amp|lt|gt);/g, (_, e) => ({ amp: "&", lt: "<", gt: ">" })[e]);
  const escapeText = text => text.replace(/[&<>]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
  const escapeRegExp = text => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  /* Where the marks occur in an escaped string, as Zensical's highlight ranges: value is how
   * many characters from start are underlined (all of them: an exact word, not a fuzzy one). */
  function ranges(escaped, marks) {
    if (!marks.length) return [];
    const words = marks.map(m => escapeRegExp(escapeText(m))).join("|");
    const out = [];
    for (const m of escaped.matchAll(new RegExp(`(${words})|${ENTITY}`, "gi"))) {
      if (m[1] === undefined) continue;  // an entity of the text itself, skipped whole
      out.push({ start: m.index, end: m.index + m[0].length, value: m[0].length });
    }
    return out;
  }

  function item(hit, items) {
    const found = hit.words.length ? hit.words : hit.grams.filter(g => g.length > 1);
    const marks = [...new Set(found)].sort((a, b) => b.length - a.length);  // longest first
    const shown = items[hit.doc.id];
    return {
      id: hit.doc.id,
      matches: ["title", "text"].map(field => ({
        field, value: { highlight: { ranges: ranges(shown[field] || "", marks) } }, score: hit.score,
      })),
    };
  }

  function ranked(input) {
    // Query syntax characters are not words (as in the Material worker).
    const clean = input.replace(/[+\-*~^:"]/g, " ").trim();
    if (!clean) return [];
    const found = engine.search(clean, LIMIT);
    // Not confident (no word of the query as typed, little of its meaning covered) and nothing
    // found: search the closest known terms instead. Zensical's dialog has no place for the
    // «最接近的词» note Material shows; the results are the same.
    const best = found.hits[0];
    if (best && (best.words.length || best.covered >= 0.5)) return found.hits;
    const closest = found.hits.length ? [] : engine.closest(clean);
    return closest.length ? engine.search(closest.join(" "), LIMIT).hits : found.hits;
  }

  function answer(query, items) {
    // A query made only of tag filters arrives as an operator tree: the playbook has no tags.
    const hits = typeof query.input === "string" ? ranked(query.input) : [];
    const page = query.page || { id: 0, size: PAGE, from: 0 };
    const pagination = { total: hits.length };
    // The dialog appends a page when it has a «prev», and replaces the list otherwise.
    if (page.from - page.size >= 0) pagination.prev = { ...page, from: page.from - page.size };
    if (page.from + page.size < hits.length) pagination.next = { ...page, from: page.from + page.size };
    const shown = hits.slice(page.from, page.from + page.size).map(hit => item(hit, items));
    return { items: shown, pagination, aggregations: [] };
  }

  let items = [];
  root.addEventListener("message", ev => {
    const message = ev.data;
    if (message.type === 0) {
      try {
        items = message.data.items;
        const docs = items.map(i => ({ ...i, title: unescapeHtml(i.title), text: unescapeHtml(i.text) }));
        engine = new Engine({ config: message.data.config, docs });
        root.postMessage({ type: 1 });
      } catch (err) {
        console.warn(err);
        root.postMessage({ type: 4 });  // no index: the dialog says search is unavailable
      }
    } else if (message.type === 2) {
      let data;
      try { data = answer(message.data, items); } catch (err) {
        console.warn(err);  // one odd query must not switch search off: no results for it
        data = { items: [], pagination: { total: 0 }, aggregations: [] };
      }
      root.postMessage({ type: 3, data });
    }
  });
})(self);
