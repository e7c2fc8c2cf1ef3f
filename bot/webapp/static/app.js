// Outreach Coach Mini App: the contact list, a contact's history and edits, and progress.
// No framework and no Telegram script: the launch parameters are read from the URL fragment
// (as telegram-web-app.js does) and sent with every API call, which checks them.
"use strict";

(() => {
  const base = document.body.dataset.base || "";
  const main = document.getElementById("main");
  const notice = document.getElementById("notice");
  const launch = readLaunchParams();
  const state = { screen: "contacts", about: null, filters: { q: "", tier: "", status: "", company: "" } };
  let listRequest = 0;
  let noticeTimer = 0;

  // --- Telegram: launch parameters, theme, events --------------------------------------------

  function readLaunchParams() {
    const hash = new URLSearchParams(location.hash.slice(1));
    let theme = null;
    try {
      theme = JSON.parse(hash.get("tgWebAppThemeParams") || "null");
    } catch (error) {
      theme = null;
    }
    return { initData: hash.get("tgWebAppData") || "", theme };
  }

  function applyTheme(theme) {
    const root = document.documentElement;
    if (theme && typeof theme === "object") {
      for (const [key, value] of Object.entries(theme)) {
        if (/^[a-z_]{1,40}$/.test(key) && /^#[0-9a-fA-F]{6}$/.test(String(value))) {
          root.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
        }
      }
    }
    const background = theme && /^#[0-9a-fA-F]{6}$/.test(String(theme.bg_color)) ? theme.bg_color : null;
    const dark = background
      ? luminance(background) < 0.4
      : window.matchMedia("(prefers-color-scheme: dark)").matches;
    root.dataset.scheme = dark ? "dark" : "light";
  }

  function luminance(hex) {
    const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  // Telegram clients listen for these events (web_app_ready hides their loading screen).
  function postEvent(type, data = {}) {
    const payload = JSON.stringify(data);
    try {
      if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
        window.TelegramWebviewProxy.postEvent(type, payload);
      } else if (window.external && "notify" in window.external) {
        window.external.notify(JSON.stringify({ eventType: type, eventData: data }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), "https://web.telegram.org");
      }
    } catch (error) {
      // Outside Telegram (a browser) there is nobody to tell.
    }
  }

  function receiveEvent(type, data) {
    if (type === "theme_changed" && data && data.theme_params) {
      applyTheme(data.theme_params);
    } else if (type === "back_button_pressed") {
      goBack();
    }
  }

  window.Telegram = window.Telegram || {};
  window.Telegram.WebView = { receiveEvent };
  window.addEventListener("message", (event) => {
    if (event.origin !== "https://web.telegram.org") return;
    try {
      const message = JSON.parse(event.data);
      receiveEvent(message.eventType, message.eventData);
    } catch (error) {
      // Not for us.
    }
  });

  // --- small helpers -------------------------------------------------------------------------

  // An element with text children only (never HTML from data).
  function h(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "className") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key in node && key !== "list") node[key] = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Replace a node's children, leaving out the ones not there (null, false).
  function fill(node, ...children) {
    node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
    return node;
  }

  function options(choices, selected, first) {
    const list = first ? [h("option", { value: "" }, first)] : [];
    for (const choice of choices) {
      list.push(h("option", { value: choice.value, selected: choice.value === selected }, choice.label));
    }
    return list;
  }

  class Failure extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function call(method, path, body) {
    const headers = { Authorization: `tma ${launch.initData}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(`${base}/api/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Failure(0, "No connection. Check your internet and try again.");
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (!response.ok) throw new Failure(response.status, data.error || "Something went wrong.");
    return data;
  }

  function say(text, problem = false) {
    notice.textContent = text;
    notice.classList.toggle("problem", problem);
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      notice.hidden = true;
    }, problem ? 8000 : 5000);
  }

  // Without proof of who we are (or before the bot knows them) there is nothing to show.
  function stop(message) {
    document.querySelector(".bar").hidden = true;
    fill(main, h("section", { className: "card" }, h("p", {}, message)));
  }

  function failed(error) {
    if (error instanceof Failure && (error.status === 401 || error.status === 409)) {
      stop(error.message);
      return;
    }
    say(error.message || String(error), true);
  }

  async function attempt(work) {
    try {
      return await work();
    } catch (error) {
      failed(error);
      return null;
    }
  }

  function setTabs() {
    for (const tab of document.querySelectorAll(".tab")) {
      const current = tab.dataset.screen === state.screen || (tab.dataset.screen === "contacts" && state.screen === "contact");
      if (current) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    postEvent("web_app_setup_back_button", { is_visible: state.screen === "contact" });
  }

  function goBack() {
    if (state.screen === "contact") showContacts();
  }

  // --- contacts ------------------------------------------------------------------------------

  async function showContacts() {
    state.screen = "contacts";
    setTabs();
    const about = state.about;
    const f = state.filters;
    const search = h("input", {
      type: "search",
      className: "wide",
      placeholder: "Search names or companies",
      "aria-label": "Search names or companies",
      value: f.q,
      autocomplete: "off",
    });
    const tier = h("select", { "aria-label": "Tier" }, options(about.tiers, f.tier, "All tiers"));
    const status = h("select", { "aria-label": "Status" }, options(about.statuses, f.status, "Any status"));
    const companyChoices = about.has_targets
      ? [{ value: "*targets", label: "🎯 My target companies" }, ...about.companies]
      : about.companies;
    const company = h(
      "select",
      { className: "wide", "aria-label": "Company" },
      options(companyChoices, f.company, "Any company"),
    );
    const count = h("p", { className: "count" }, "");
    const list = h("ul", { className: "list", "aria-label": "Contacts" });
    fill(main, h("section", { className: "filters" }, search, tier, status, company), count, list);

    let timer = 0;
    const refresh = () => {
      Object.assign(f, { q: search.value, tier: tier.value, status: status.value, company: company.value });
      loadList(list, count);
    };
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 180);
    });
    for (const select of [tier, status, company]) select.addEventListener("change", refresh);
    await loadList(list, count);
  }

  async function loadList(list, count) {
    const f = state.filters;
    const params = new URLSearchParams();
    if (f.q.trim()) params.set("q", f.q.trim());
    if (f.tier) params.set("tier", f.tier);
    if (f.status) params.set("status", f.status);
    if (f.company === "*targets") params.set("targets", "1");
    else if (f.company) params.set("company", f.company);
    const ticket = ++listRequest;
    const data = await attempt(() => call("GET", `contacts?${params}`));
    if (data === null || ticket !== listRequest || state.screen !== "contacts") return;
    fill(list, ...data.contacts.map(contactRow));
    if (data.total === 0) {
      count.textContent = "No contacts yet. Add someone in the chat: /add Ana warm";
    } else if (data.matching === 0) {
      count.textContent = "Nobody matches. Try fewer filters.";
    } else {
      const shown = data.contacts.length < data.matching ? `the first ${data.contacts.length} of ` : "";
      count.textContent = `${shown}${data.matching} of ${data.total} · who to reach next first`;
    }
  }

  function contactRow(row) {
    const facts = [row.company, row.status_label].filter(Boolean).join(" · ");
    const dates = [
      row.last_touch ? `Last touch ${row.last_touch}` : null,
      row.next_follow_up ? `Follow-up ${row.next_follow_up}` : null,
    ]
      .filter(Boolean)
      .join(" · ");
    return h(
      "li",
      {},
      h(
        "button",
        { type: "button", className: "row", onclick: () => showContact(row.id) },
        h("span", { className: "name" }, (row.at_target ? "🎯 " : "") + row.name),
        h("span", { className: "badge" }, row.tier_label),
        row.follow_up_due ? h("span", { className: "badge due" }, "follow-up due") : null,
        h("span", { className: "sub" }, facts),
        dates ? h("span", { className: "sub" }, dates) : null,
      ),
    );
  }

  // --- one contact ---------------------------------------------------------------------------

  async function showContact(id, message) {
    state.screen = "contact";
    setTabs();
    const contact = await attempt(() => call("GET", `contacts/${id}`));
    if (contact === null) {
      showContacts();
      return;
    }
    renderContact(contact);
    if (message) say(message);
    window.scrollTo(0, 0);
  }

  // After a change: the page shows what the chat would have said, and the contact as it is now.
  async function change(method, path, body, after) {
    const outcome = await attempt(() => call(method, path, body));
    if (outcome === null) return;
    if (outcome.contact) {
      renderContact(outcome.contact);
      say(outcome.message);
    } else {
      await showContacts();
      say(outcome.message);
    }
    if (after) after();
  }

  function renderContact(contact) {
    if (state.screen !== "contact") return;
    const row = contact.row;
    const work = [contact.position, row.company].filter(Boolean).join(" at ");
    const standing = [
      row.status_label,
      row.last_touch ? `last touch ${row.last_touch}` : null,
      row.next_follow_up ? `follow-up ${row.next_follow_up}${row.follow_up_due ? " (due)" : ""}` : null,
      contact.resting_until ? `resting until ${contact.resting_until}` : null,
    ].filter(Boolean);
    fill(main,
      h("button", { type: "button", className: "back", onclick: showContacts }, "◀ Contacts"),
      h("h1", {}, (row.at_target ? "🎯 " : "") + row.name),
      h("p", { className: "meta" }, [row.tier_label, work].filter(Boolean).join(" · ")),
      h("p", { className: "meta" }, standing.join(" · ")),
      contact.note ? h("p", { className: "meta note" }, `📝 ${contact.note}`) : null,
      outreachCard(row),
      historyCard(contact),
      editCard(contact),
      mergeAndDeleteCard(contact),
    );
  }

  function outreachCard(row) {
    const about = state.about;
    const channel = h("select", {}, options(about.channels, "", "As last time"));
    const ask = h("select", {}, options(about.asks.filter((a) => a.value !== "none"), "", "No particular ask"));
    const days = ["Today", "Yesterday", "2 days ago", "3 days ago", "4 days ago", "5 days ago", "6 days ago"];
    const when = h("select", {}, days.map((label, index) => h("option", { value: String(index) }, label)));
    const note = h("textarea", { maxLength: 1000, placeholder: "What you said or asked (optional)" });
    const send = h("button", { type: "button", className: "action" }, "📨 Log it");
    send.addEventListener("click", () => {
      const body = { days_ago: Number(when.value) };
      if (channel.value) body.channel = channel.value;
      if (ask.value) body.ask = ask.value;
      if (note.value.trim()) body.note = note.value;
      send.disabled = true;
      change("POST", `contacts/${row.id}/outreach`, body).finally(() => {
        send.disabled = false;
      });
    });
    return h(
      "details",
      { className: "card" },
      h("summary", {}, "📨 Log an outreach"),
      h("label", {}, "How", channel),
      h("label", {}, "Ask", ask),
      h("label", {}, "When", when),
      h("label", {}, "Note", note),
      h("div", { className: "buttons" }, send),
    );
  }

  function historyCard(contact) {
    const items = contact.entries.map((entry) => entryItem(contact, entry));
    return h(
      "section",
      { className: "card" },
      h("h2", {}, "History"),
      items.length
        ? h("ul", { className: "entries" }, items)
        : h("p", { className: "hint" }, "Nothing logged yet: a short, friendly hello is a great first step."),
      contact.more_entries ? h("p", { className: "hint" }, `and ${contact.more_entries} older`) : null,
    );
  }

  function entryItem(contact, entry) {
    const item = h("li", { className: "entry" });
    const view = () => {
      fill(item,
        h("span", { className: "when" }, entry.when),
        h("span", {}, entry.label),
        entry.note ? h("p", { className: "note" }, `📝 ${entry.note}`) : null,
        h(
          "div",
          { className: "buttons" },
          h("button", { type: "button", className: "action quiet", onclick: edit }, "✏️ Edit"),
          h("button", { type: "button", className: "action danger", onclick: askDelete }, "🗑 Delete"),
        ),
      );
    };
    const edit = () => {
      const about = state.about;
      const kind = h("select", {}, options(about.kinds, entry.kind));
      const channel = h("select", {}, options(about.channels, entry.channel || ""));
      const ask = h("select", {}, options(about.asks, entry.ask || "none"));
      const day = h("input", { type: "date", value: entry.day, max: about.today });
      const note = h("textarea", { maxLength: 1000, value: entry.note || "" });
      const save = () => {
        const body = {};
        if (kind.value !== entry.kind) body.kind = kind.value;
        if (entry.reach && channel.value && channel.value !== (entry.channel || "")) body.channel = channel.value;
        if (entry.reach && ask.value !== (entry.ask || "none")) body.ask = ask.value;
        if (note.value !== (entry.note || "")) body.note = note.value;
        if (day.value && day.value !== entry.day) body.day = day.value;
        if (Object.keys(body).length === 0) {
          view();
          return;
        }
        change("PATCH", `entries/${entry.id}`, body);
      };
      fill(item,
        h("span", { className: "when" }, `${entry.when} · ${entry.label}`),
        h("label", {}, "What happened", kind),
        entry.reach ? h("label", {}, "How", channel) : null,
        entry.reach ? h("label", {}, "Ask", ask) : null,
        h("label", {}, "Day", day),
        h("label", {}, "Note", note),
        h(
          "div",
          { className: "buttons" },
          h("button", { type: "button", className: "action", onclick: save }, "Save"),
          h("button", { type: "button", className: "action quiet", onclick: view }, "Cancel"),
        ),
      );
    };
    const askDelete = () => {
      item.append(
        confirmBox(
          "Delete this entry? What it changed (the follow-up it planned) goes with it.",
          "🗑 Yes, delete",
          () => change("DELETE", `entries/${entry.id}`),
          view,
        ),
      );
    };
    view();
    return item;
  }

  function confirmBox(question, yes, onYes, onNo) {
    const box = h("div", { className: "confirm-box", role: "alertdialog" }, h("p", {}, question));
    box.append(
      h(
        "div",
        { className: "buttons" },
        h("button", { type: "button", className: "action danger confirm", onclick: onYes }, yes),
        h("button", { type: "button", className: "action quiet", onclick: () => (onNo ? onNo() : box.remove()) }, "Cancel"),
      ),
    );
    return box;
  }

  function editCard(contact) {
    const row = contact.row;
    const name = h("input", { value: row.name, maxLength: 64, autocomplete: "off", "aria-label": "Name" });
    const tier = h("select", { "aria-label": "Tier" }, options(state.about.tiers, row.tier));
    const note = h("textarea", { value: contact.note || "", maxLength: 1000, "aria-label": "Note" });
    const save = () => {
      const body = {};
      if (name.value.trim() !== row.name) body.name = name.value;
      if (tier.value !== row.tier) body.tier = tier.value;
      if (note.value !== (contact.note || "")) body.note = note.value;
      if (Object.keys(body).length === 0) {
        say("Nothing changed.");
        return;
      }
      change("PATCH", `contacts/${row.id}`, body);
    };
    return h(
      "details",
      { className: "card" },
      h("summary", {}, "✏️ Rename, tier or note"),
      h("label", {}, "Name", name),
      h("label", {}, "Tier", tier),
      h("label", {}, "Note", note),
      h("div", { className: "buttons" }, h("button", { type: "button", className: "action", onclick: save }, "Save changes")),
    );
  }

  function mergeAndDeleteCard(contact) {
    const row = contact.row;
    const search = h("input", {
      type: "search",
      placeholder: "Who is the same person?",
      "aria-label": "Merge into",
      autocomplete: "off",
    });
    const picks = h("ul", { className: "picks" });
    const asked = h("div");
    let timer = 0;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = search.value.trim();
        if (!text) {
          fill(picks);
          return;
        }
        const data = await attempt(() => call("GET", `contacts?${new URLSearchParams({ q: text })}`));
        if (data === null) return;
        const others = data.contacts.filter((other) => other.id !== row.id).slice(0, 5);
        fill(picks,
          ...others.map((other) =>
            h(
              "li",
              {},
              h("button", { type: "button", onclick: () => askMerge(other) }, `→ ${other.name}` + (other.company ? ` · ${other.company}` : "")),
            ),
          ),
        );
      }, 180);
    });
    const askMerge = (other) => {
      fill(picks);
      fill(asked,
        confirmBox(
          `Merge ${row.name} into ${other.name}? Everything logged about ${row.name} moves to ${other.name}, and ${row.name} goes.`,
          "🔀 Yes, merge",
          () => change("POST", `contacts/${row.id}/merge`, { into: other.id }),
        ),
      );
    };
    const remove = h("button", { type: "button", className: "action danger" }, "🗑 Delete contact");
    const card = h(
      "details",
      { className: "card" },
      h("summary", {}, "🔀 Merge or delete"),
      h("label", {}, "Merge into another contact", search),
      picks,
      asked,
      h("div", { className: "buttons" }, remove),
    );
    remove.addEventListener("click", () => {
      card.append(confirmBox(contact.delete_question, "🗑 Yes, delete", () => change("DELETE", `contacts/${row.id}`)));
    });
    return card;
  }

  // --- progress ------------------------------------------------------------------------------

  async function showProgress() {
    state.screen = "progress";
    setTabs();
    const data = await attempt(() => call("GET", "progress"));
    if (data === null || state.screen !== "progress") return;
    const chart = new DOMParser().parseFromString(data.chart_svg, "image/svg+xml").documentElement;
    const legend = h(
      "ul",
      { className: "legend" },
      [["outreach", "Reach-outs"], ["replies", "Replies"], ["chats", "Coffee chats"], ["goal", "Weekly chat goal"]].map(
        ([name, label]) => h("li", {}, h("span", { className: `swatch ${name}` }), label),
      ),
    );
    const table = h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", {}, "Week of"), h("th", {}, "Reach-outs"), h("th", {}, "Replies"), h("th", {}, "Chats"))),
      h(
        "tbody",
        {},
        data.weeks.map((week) => h("tr", {}, h("td", {}, week.week), h("td", {}, week.outreach), h("td", {}, week.replies), h("td", {}, week.chats))),
      ),
    );
    const goal = `🎯 ${data.chats_done} of ${data.goal_count} coffee chats`;
    fill(main,
      h("h1", {}, data.weeks_since_start === 1 ? "Your first week" : `Week ${data.weeks_since_start} since you started`),
      h(
        "section",
        { className: "card" },
        h("p", { className: "big" }, goal),
        data.goal_date ? h("p", { className: "hint" }, `Target: ${data.goal_date}`) : null,
        h("p", {}, `🧭 ${data.projection}`),
      ),
      h("section", { className: "card" }, h("p", {}, data.streak)),
      h("section", { className: "card" }, h("h2", {}, "Your weeks"), legend, document.importNode(chart, true), table),
      h(
        "section",
        { className: "card" },
        h("h2", {}, "Asks and gives"),
        h("p", {}, data.gives_and_asks),
        h("p", {}, data.rung),
        data.pipeline ? h("p", {}, data.pipeline) : null,
      ),
      h(
        "section",
        { className: "card" },
        h("h2", {}, "Fears and the evidence"),
        h(
          "p",
          {},
          data.fear_evidence ||
            (data.fears_open
              ? `${data.fears_open} written down, waiting for their outcome: the evidence starts with the first one.`
              : "Nothing written down yet. When a fear shows up before you reach out, /fear in the chat writes it down."),
        ),
      ),
    );
  }

  // --- start ---------------------------------------------------------------------------------

  async function start() {
    applyTheme(launch.theme);
    postEvent("web_app_ready");
    postEvent("web_app_expand");
    for (const tab of document.querySelectorAll(".tab")) {
      tab.addEventListener("click", () => (tab.dataset.screen === "progress" ? showProgress() : showContacts()));
    }
    if (!launch.initData) {
      stop("Open this page from the bot in Telegram: its menu button, or the button under /contacts or /progress.");
      return;
    }
    state.about = await attempt(() => call("GET", "me"));
    if (state.about === null) return;
    const screen = new URLSearchParams(location.search).get("screen");
    if (screen === "progress") await showProgress();
    else await showContacts();
  }

  start();
})();
