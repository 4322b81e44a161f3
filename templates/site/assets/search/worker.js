/* Material for MkDocs' search worker protocol, answered by the playbook engine.
 * Messages: {type: 0 SETUP, data: index} → {type: 1 READY}; {type: 2 QUERY, data: query}
 * → {type: 3 RESULT, data: {items: [[article, section], …]}}. Each result is one section
 * with its page as the «article» above it, so the list shows the module, then the item.
 * Only matched words are reported (Material strikes through unmatched ones as «缺少»).
 */
(function (root) {
  "use strict";
  const { Engine, highlight, escapeHtml } = root.PlaybookSearch;
  const LIMIT = 10;
  let engine = null;
  let pages = new Map();

  function groups(found, note) {
    const items = [];
    for (const hit of found.hits) {
      const doc = hit.doc;
      const marks = hit.words.length ? hit.words : hit.grams.filter(g => g.length > 1);
      const terms = {};
      for (const word of marks) terms[word] = true;
      const score = hit.score;
      let text = engine.snippet(doc, marks);
      if (note && !items.length) text = note + text;
      const [path, anchor] = doc.location.split("#");
      const title = highlight(doc.title, marks);  // its module is the small heading above it
      const section = { location: doc.location, title, text, score, terms };
      if (anchor === undefined) { items.push([section]); continue; }
      const page = pages.get(path) || { title: "", text: "" };
      items.push([{ location: path, title: escapeHtml(doc.module || page.title), text: "", score, terms }, section]);
    }
    return items;
  }

  function answer(query) {
    const clean = String(query).replace(/[+\-*~^:"]/g, " ").trim();
    if (!clean) return { items: [] };
    const found = engine.search(clean, LIMIT);
    // Confident: the best section contains a word of the query as typed, or most of the
    // query's meaningful character pairs. Otherwise say so and name the closest known terms.
    const best = found.hits[0];
    if (best && (best.words.length || best.covered >= 0.5)) return { items: groups(found) };
    const closest = engine.closest(clean);
    if (!closest.length) return { items: groups(found) };
    const lead = found.hits.length ? `只找到部分符合「${escapeHtml(clean)}」的内容` : `没有找到「${escapeHtml(clean)}」`;
    const note = `<p class="pb-search-suggest">${lead}。最接近的词：${
      closest.map(w => `<b>${escapeHtml(w)}</b>`).join("、")}</p>`;
    return { items: groups(found.hits.length ? found : engine.search(closest.join(" "), LIMIT), note) };
  }

  root.addEventListener("message", ev => {
    const message = ev.data;
    if (message.type === 0) {
      engine = new Engine(message.data);
      pages = new Map(engine.docs.filter(d => !d.location.includes("#")).map(d => [d.location, d]));
      root.postMessage({ type: 1 });
    } else if (message.type === 2) {
      let data;
      try { data = answer(message.data); } catch (err) { console.warn(err); data = { items: [] }; }
      root.postMessage({ type: 3, data });
    }
  });
})(self);
