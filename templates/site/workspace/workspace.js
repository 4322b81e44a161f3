/* «催收准备»: the per-customer workspace (generator/workspace/). Plain script, no library, no
   request: the checklists, the ladder and the letters come from the JSON the build embedded in
   the page (#ws-data); customers are kept in this browser's localStorage only.
   Everything a rep types or imports is put into the page as text (textContent), never as markup. */
(function () {
  "use strict";

  var FORMAT = "playbook-workspace";
  var SCHEMA = 1; // docs/workspace.md; the page reads only this version
  var MAX_PROBLEMS = 10;

  // ---- the company's ladder rule: the same comparison as generator/ladder/decide.py ----------
  // highest_rung: nothing when nothing is owed; else the last enabled rung (in ladder order)
  // whose days_overdue is reached and whose min_amount (if any) is met.

  /** "60,000.5" → 6000050n (fen, exact), or null when the text is not an amount in 元. */
  function parseFen(text) {
    var t = String(text).replace(/[,，\s]/g, "").replace(/^¥/, "");
    var m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
    if (!m) return null;
    var cents = (m[2] || "").padEnd(2, "0");
    return BigInt(m[1]) * 100n + BigInt(cents);
  }

  /** "35" → 35, or null when the text is not a whole number of days. */
  function parseDays(text) {
    var t = String(text).trim();
    if (!/^\d{1,6}$/.test(t)) return null;
    return parseInt(t, 10);
  }

  function rungOf(rungs, days, fen) {
    if (fen <= 0n) return null;
    var chosen = null;
    for (var i = 0; i < rungs.length; i++) {
      var rule = rungs[i];
      if (days < rule.days) continue;
      if (rule.min_fen !== null && fen < BigInt(rule.min_fen)) continue;
      chosen = rule;
    }
    return chosen;
  }

  function yuan(fen) {
    var s = fen.toString().padStart(3, "0");
    var whole = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return whole + "." + s.slice(-2);
  }

  // ---- tiny DOM helpers: text only --------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function link(text, href) {
    return href ? el("a", { href: href, text: text }) : el("span", { text: text });
  }

  var dataNode = document.getElementById("ws-data");
  var app = document.getElementById("ws-app");
  if (!dataNode || !app) return;
  var DATA = JSON.parse(dataNode.textContent);
  var ITEMS = {};
  DATA.groups.forEach(function (g) {
    g.items.forEach(function (item) {
      ITEMS[item.id] = item;
    });
  });

  function $(selector) {
    return app.querySelector(selector);
  }

  var message = $('[data-role="message"]');
  var fieldError = $('[data-role="field-error"]');
  var editor = $('[data-role="editor"]');
  var list = $('[data-role="customer-list"]');
  var sheet = document.querySelector('[data-role="sheet"]');
  var FIELDS = ["name", "amount", "days", "due", "contact", "notes"];

  // ---- storage ---------------------------------------------------------------------------
  var state = { customers: [], current: null };
  var storageWorks = true;

  function load() {
    try {
      var text = window.localStorage.getItem(DATA.storage_key);
      if (text) {
        var saved = JSON.parse(text);
        var problems = [];
        var customers = readCustomers(saved, problems);
        if (!problems.length) {
          state.customers = customers;
          state.current = saved.current || null;
        } else {
          say("本机保存的数据无法读取（" + problems[0] + "），未做改动。", true);
        }
      }
    } catch (e) {
      storageWorks = false;
      say("这个浏览器不允许本页保存数据（" + e.name + "），关闭页面后资料会丢失；请用「导出」保存。", true);
    }
  }

  function save() {
    if (!storageWorks) return;
    try {
      window.localStorage.setItem(
        DATA.storage_key,
        JSON.stringify({ format: FORMAT, schema: SCHEMA, current: state.current, customers: state.customers })
      );
    } catch (e) {
      say("保存失败（" + e.name + "）：请用「导出」保存一份。", true);
    }
  }

  function say(text, isError) {
    message.textContent = text;
    message.classList.toggle("ws-message--error", !!isError);
  }

  function blank(name) {
    return {
      id: "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8),
      name: name,
      amount: "",
      days: "",
      due: "",
      contact: "",
      notes: "",
      checked: [],
      updated: new Date().toISOString(),
    };
  }

  function current() {
    for (var i = 0; i < state.customers.length; i++) {
      if (state.customers[i].id === state.current) return state.customers[i];
    }
    return null;
  }

  function byName(name) {
    for (var i = 0; i < state.customers.length; i++) {
      if (state.customers[i].name === name) return state.customers[i];
    }
    return null;
  }

  // ---- the file format (docs/workspace.md) -------------------------------------------------
  function readCustomers(doc, problems) {
    function problem(text) {
      if (problems.length < MAX_PROBLEMS) problems.push(text);
      else problems.more = (problems.more || 0) + 1;
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
      problem("文件内容不是催收准备导出的数据（应为一个 JSON 对象）");
      return [];
    }
    if (doc.format !== FORMAT) {
      problem("这不是催收准备导出的文件（format 应为「" + FORMAT + "」，实际为「" + String(doc.format) + "」）");
      return [];
    }
    if (doc.schema !== SCHEMA) {
      problem("文件格式版本为 " + String(doc.schema) + "，本页只能读取版本 " + SCHEMA);
      return [];
    }
    if (!Array.isArray(doc.customers)) {
      problem("缺少客户列表 customers");
      return [];
    }
    var out = [];
    var seen = {};
    doc.customers.forEach(function (c, i) {
      var where = "第 " + (i + 1) + " 个客户";
      if (c === null || typeof c !== "object" || Array.isArray(c)) {
        problem(where + "：应为一个对象");
        return;
      }
      var ok = true;
      FIELDS.forEach(function (f) {
        if (c[f] === undefined) return;
        if (typeof c[f] !== "string") {
          problem(where + "：" + f + " 应为文字，实际为 " + JSON.stringify(c[f]));
          ok = false;
        }
      });
      if (!ok) return;
      var name = (c.name || "").trim();
      if (!name) {
        problem(where + "：缺少客户名称");
        return;
      }
      where += "「" + name + "」";
      if (seen[name]) {
        problem(where + "：客户名称与第 " + seen[name] + " 个客户重复");
        return;
      }
      seen[name] = i + 1;
      if (c.amount && parseFen(c.amount) === null) {
        problem(where + "：欠款金额应为金额（如 60000.00），实际为「" + c.amount + "」");
        ok = false;
      }
      if (c.days && parseDays(c.days) === null) {
        problem(where + "：逾期天数应为整数，实际为「" + c.days + "」");
        ok = false;
      }
      if (c.due && !/^\d{4}-\d{2}-\d{2}$/.test(c.due)) {
        problem(where + "：最早到期日应为 YYYY-MM-DD，实际为「" + c.due + "」");
        ok = false;
      }
      var checked = c.checked === undefined ? [] : c.checked;
      if (!Array.isArray(checked) || checked.some(function (x) { return typeof x !== "string"; })) {
        problem(where + "：checked 应为条目编号的列表");
        ok = false;
      }
      if (!ok) return;
      out.push({
        id: typeof c.id === "string" && c.id ? c.id : blank("").id,
        name: name,
        amount: c.amount || "",
        days: c.days || "",
        due: c.due || "",
        contact: c.contact || "",
        notes: c.notes || "",
        checked: checked.slice(),
        updated: typeof c.updated === "string" ? c.updated : "",
      });
    });
    return out;
  }

  // ---- rendering ---------------------------------------------------------------------------
  function renderList() {
    list.textContent = "";
    state.customers.forEach(function (c) {
      var open = el("button", { type: "button", className: "ws-list__name", "data-action": "open" }, [c.name || "（未命名）"]);
      open.addEventListener("click", function () {
        state.current = c.id;
        save();
        renderAll();
      });
      var del = el("button", { type: "button", className: "ws-list__delete", text: "删除", "aria-label": "删除 " + (c.name || "未命名客户") });
      del.addEventListener("click", function () {
        if (!window.confirm("删除客户「" + (c.name || "未命名") + "」的全部资料？此操作不能撤销。")) return;
        state.customers = state.customers.filter(function (x) { return x.id !== c.id; });
        if (state.current === c.id) state.current = null;
        save();
        renderAll();
        say("已删除「" + (c.name || "未命名") + "」。");
      });
      var li = el("li", { className: c.id === state.current ? "ws-list__item ws-list__item--current" : "ws-list__item" }, [open, del]);
      if (c.id === state.current) open.setAttribute("aria-current", "true");
      list.appendChild(li);
    });
    $('[data-role="empty"]').hidden = state.customers.length > 0;
  }

  function suggestion(c) {
    var fen = c.amount ? parseFen(c.amount) : null;
    var days = c.days ? parseDays(c.days) : null;
    if (fen === null || days === null) return { state: "incomplete" };
    return { state: "done", rung: rungOf(DATA.rungs, days, fen), fen: fen, days: days };
  }

  function rungBlock(c, forPrint) {
    var s = suggestion(c);
    var box = [];
    var note = el("p", { className: "ws-rung__note", text: "建议，须人工确认" });
    if (s.state === "incomplete") {
      box.push(el("p", { text: "填写欠款金额和逾期天数后，这里显示本公司政策建议的惩戒措施。" }));
      return { nodes: box, id: "" };
    }
    if (!s.rung) {
      var first = DATA.rungs[0];
      box.push(
        el("p", {}, [
          el("strong", { text: "本公司政策下尚未到惩戒阶梯的任何一级" }),
          first ? "（第一级「" + first.title + "」自逾期 " + first.days + " 天起" + (first.min_fen !== null ? "、欠款不低于 " + yuan(BigInt(first.min_fen)) + " 元" : "") + "）。继续按催讨方法跟进。" : "。",
        ])
      );
      box.push(note);
      return { nodes: box, id: "" };
    }
    var r = s.rung;
    box.push(el("p", { className: "ws-rung__title" }, ["建议措施：", forPrint ? el("strong", { text: r.title }) : el("strong", {}, [link(r.title, r.href)])]));
    var facts = el("dl", { className: "ws-rung__facts" });
    function fact(term, nodes) {
      facts.appendChild(el("dt", { text: term }));
      facts.appendChild(el("dd", {}, nodes));
    }
    fact("启动条件", ["逾期 " + r.days + " 天起" + (r.min_fen !== null ? "，欠款不低于 " + yuan(BigInt(r.min_fen)) + " 元" : "")]);
    if (r.requires.length) {
      var reqs = [];
      r.requires.forEach(function (q, i) {
        if (i) reqs.push("；");
        reqs.push(forPrint ? q.title : link(q.title, q.href));
      });
      fact("须先", reqs);
    }
    fact("审批人", [r.approver]);
    if (r.letter) {
      fact("函件", forPrint ? [r.letter.title] : [link(r.letter.title, r.letter.href), "（", link("空白函件 PDF", r.letter.blank), "）"]);
    }
    box.push(facts);
    if (r.checks.length) {
      box.push(el("p", { className: "ws-rung__checks-title", text: "实施前逐项核对：" }));
      box.push(el("ul", {}, r.checks.map(function (t) { return el("li", { text: t }); })));
    }
    box.push(note);
    return { nodes: box, id: r.id };
  }

  function renderRung(c) {
    var target = $('[data-role="suggested-rung"]');
    target.textContent = "";
    var block = rungBlock(c, false);
    block.nodes.forEach(function (n) { target.appendChild(n); });
    target.setAttribute("data-rung", block.id);
  }

  function renderChecklists(c) {
    var target = $('[data-role="checklists"]');
    target.textContent = "";
    DATA.groups.forEach(function (g) {
      var done = g.items.filter(function (i) { return c.checked.indexOf(i.id) >= 0; }).length;
      var fieldset = el("fieldset", { className: "ws-group" }, [el("legend", { text: g.title + "（" + done + "/" + g.items.length + "）" })]);
      g.items.forEach(function (item) {
        var id = "ws-item-" + item.id;
        var box = el("input", { type: "checkbox", id: id, "data-item": item.id });
        box.checked = c.checked.indexOf(item.id) >= 0;
        box.addEventListener("change", function () {
          var now = current();
          if (!now) return;
          now.checked = now.checked.filter(function (x) { return x !== item.id; });
          if (box.checked) now.checked.push(item.id);
          now.updated = new Date().toISOString();
          save();
          renderChecklists(now);
          renderSheet(now);
          var again = document.getElementById(id);
          if (again) again.focus();
        });
        fieldset.appendChild(
          el("div", { className: "ws-item" }, [
            box,
            el("label", { for: id, text: item.title }),
            el("a", { href: item.href, className: "ws-item__more", text: "做法", title: item.title + "：做法" }),
          ])
        );
      });
      target.appendChild(fieldset);
    });
  }

  function renderSheet(c) {
    sheet.textContent = "";
    if (!c) return;
    var s = suggestion(c);
    sheet.appendChild(el("h1", { text: "拜访单：" + (c.name || "未命名客户") }));
    var facts = el("table", { className: "ws-sheet__facts" });
    function row(k, v) {
      facts.appendChild(el("tr", {}, [el("th", { text: k }), el("td", { text: v })]));
    }
    row("欠款金额", s.fen !== undefined ? yuan(s.fen) + " 元" : c.amount || "（未填）");
    row("逾期天数", s.days !== undefined ? s.days + " 天" : c.days || "（未填）");
    if (c.due) row("最早到期日", cnDate(c.due));
    if (c.contact) row("联系人", c.contact);
    if (c.notes) row("备注", c.notes);
    sheet.appendChild(facts);
    sheet.appendChild(el("h2", { text: "惩戒阶梯（本公司政策）" }));
    sheet.appendChild(el("div", { className: "ws-sheet__rung" }, rungBlock(c, true).nodes));
    DATA.groups.forEach(function (g) {
      sheet.appendChild(el("h2", { text: g.title }));
      sheet.appendChild(
        el(
          "ul",
          { className: "ws-sheet__items" },
          g.items.map(function (item) {
            var ok = c.checked.indexOf(item.id) >= 0;
            return el("li", { className: ok ? "ws-done" : "ws-open" }, [(ok ? "☑ 已确认　" : "☐ 待完成　") + item.title]);
          })
        )
      );
    });
    if (DATA.bring.length) {
      sheet.appendChild(el("h2", { text: "带齐" }));
      sheet.appendChild(
        el("ul", { className: "ws-sheet__bring" }, DATA.bring.map(function (item) {
          return el("li", {}, [el("strong", { text: item.title }), "：" + item.summary]);
        }))
      );
    }
    sheet.appendChild(el("p", { className: "ws-sheet__foot", text: DATA.company + " · 催收准备 · " + cnDate(new Date().toISOString().slice(0, 10)) }));
  }

  function cnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    return m ? m[1] + "年" + parseInt(m[2], 10) + "月" + parseInt(m[3], 10) + "日" : iso;
  }

  function fillEditor(c) {
    editor.hidden = !c;
    if (!c) return;
    $('[data-role="editor-title"]').textContent = c.name || "新客户";
    FIELDS.forEach(function (f) {
      var input = editor.querySelector('[name="' + f + '"]');
      if (input.value !== c[f]) input.value = c[f];
    });
    checkFields(c);
    renderRung(c);
    renderChecklists(c);
  }

  /** Days from the earliest due date to today (the ladder counts from the oldest unpaid due date). */
  function daysSince(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return null;
    var now = new Date();
    var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    var due = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    return Math.max(Math.round((today - due) / 86400000), 0);
  }

  function renderDueHint(c) {
    var hint = $('[data-role="due-hint"]');
    var days = daysSince(c.due);
    hint.hidden = days === null || String(days) === c.days;
    if (days !== null) hint.firstChild.textContent = "按最早到期日，截至今天逾期 " + days + " 天。";
  }

  function checkFields(c) {
    renderDueHint(c);
    var problems = [];
    if (c.amount && parseFen(c.amount) === null) problems.push("欠款金额应为金额，最多两位小数（如 60000.00）");
    if (c.days && parseDays(c.days) === null) problems.push("逾期天数应为整数（如 35）");
    var other = byName(c.name);
    if (c.name && other && other !== c) problems.push("已有同名客户「" + c.name + "」：导入导出按客户名称合并，请改一个名称");
    fieldError.textContent = problems.join("；");
  }

  function renderAll() {
    var c = current();
    renderList();
    fillEditor(c);
    renderSheet(c);
  }

  // ---- actions -------------------------------------------------------------------------------
  FIELDS.forEach(function (f) {
    editor.querySelector('[name="' + f + '"]').addEventListener("input", function (event) {
      var c = current();
      if (!c) return;
      c[f] = f === "name" ? event.target.value.trim() : event.target.value;
      c.updated = new Date().toISOString();
      save();
      checkFields(c);
      if (f === "name") {
        $('[data-role="editor-title"]').textContent = c.name || "新客户";
        renderList();
      }
      if (f === "amount" || f === "days") renderRung(c);
      renderSheet(c);
    });
  });

  $('[data-action="new"]').addEventListener("click", function () {
    var c = blank("");
    state.customers.push(c);
    state.current = c.id;
    save();
    renderAll();
    say("");
    editor.querySelector('[name="name"]').focus();
  });

  $('[data-action="days-from-due"]').addEventListener("click", function () {
    var c = current();
    var days = c ? daysSince(c.due) : null;
    if (days === null) return;
    c.days = String(days);
    c.updated = new Date().toISOString();
    editor.querySelector('[name="days"]').value = c.days;
    save();
    checkFields(c);
    renderRung(c);
    renderSheet(c);
  });

  $('[data-action="print"]').addEventListener("click", function () {
    window.print();
  });

  $('[data-action="clear"]').addEventListener("click", function () {
    if (!state.customers.length) return;
    if (!window.confirm("删除本浏览器中保存的全部 " + state.customers.length + " 个客户的资料？此操作不能撤销（先「导出」可留一份）。")) return;
    state.customers = [];
    state.current = null;
    try {
      window.localStorage.removeItem(DATA.storage_key);
    } catch (e) {
      /* nothing stored */
    }
    renderAll();
    say("已删除本浏览器中的全部客户资料。");
  });

  $('[data-action="export"]').addEventListener("click", function () {
    var doc = {
      format: FORMAT,
      schema: SCHEMA,
      exported: new Date().toISOString(),
      company: DATA.company,
      customers: state.customers,
    };
    var blob = new Blob([JSON.stringify(doc, null, 2) + "\n"], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: "催收准备-" + new Date().toISOString().slice(0, 10) + ".json" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 0);
    say("已导出 " + state.customers.length + " 个客户。");
  });

  var fileInput = $('[data-action="import"]');
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      importText(file.name, String(reader.result));
    };
    reader.onerror = function () {
      say("无法读取文件「" + file.name + "」，未做任何改动。", true);
    };
    reader.readAsText(file, "utf-8");
  });

  function importText(name, text) {
    var doc;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (e) {
      say("无法导入「" + name + "」：文件不是 JSON 格式（" + e.message + "）。未做任何改动。", true);
      return;
    }
    var problems = [];
    var incoming = readCustomers(doc, problems);
    if (problems.length) {
      say(
        "无法导入「" + name + "」：" + problems.join("；") + (problems.more ? "；另有 " + problems.more + " 处问题" : "") + "。未做任何改动。",
        true
      );
      return;
    }
    var clashes = incoming.filter(function (c) { return byName(c.name); }).map(function (c) { return c.name; });
    if (clashes.length && !window.confirm("本机已有以下客户，导入将用文件中的资料覆盖它们：" + clashes.join("、") + "。确定覆盖吗？")) {
      say("已取消导入，未做任何改动。");
      return;
    }
    incoming.forEach(function (c) {
      var mine = byName(c.name);
      if (mine) {
        c.id = mine.id;
        state.customers[state.customers.indexOf(mine)] = c;
      } else {
        if (state.customers.some(function (x) { return x.id === c.id; })) c.id = blank("").id;
        state.customers.push(c);
      }
    });
    if (!current() && state.customers.length) state.current = state.customers[0].id;
    save();
    renderAll();
    say("已从「" + name + "」导入 " + incoming.length + " 个客户（新增 " + (incoming.length - clashes.length) + " 个，覆盖 " + clashes.length + " 个）。");
  }

  load();
  renderAll();
  app.setAttribute("data-ready", "true");
})();
