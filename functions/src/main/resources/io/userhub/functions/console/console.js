// The support console: sign in with an app's API key, find a person by any identity, see and act
// on what userhub holds about them. Everything it shows comes from the server routes of
// docs/api.md; every value is set as text (identity values are end users' input).

const $ = (id) => document.getElementById(id);
const KEY = "userhub-console";

/** The app and API key of this tab: sessionStorage, so they go when the tab closes. */
let credentials = JSON.parse(sessionStorage.getItem(KEY) || "null");
let person = null;      // the export of the person on screen
let auditCursor = null;
let pendingUnmerge = null;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

class Refusal extends Error {
  constructor(status, body) {
    super(body && body.reason ? body.reason : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${credentials.apiKey}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    throw new Refusal(0, { error: "NETWORK", reason: "NETWORK_ERROR", details: { message: String(e.message || e) } });
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch (e) {
    parsed = { error: "INVALID_RESPONSE", reason: "INVALID_RESPONSE", details: { status: response.status } };
  }
  if (!response.ok) throw new Refusal(response.status, parsed);
  return parsed;
}

const appPath = (suffix) => `/v1/apps/${encodeURIComponent(credentials.appId)}${suffix}`;

/** A refusal in the API's own words: status, reason, error family, the per-key errors and details. */
function showProblem(e) {
  const box = $("problem");
  box.replaceChildren();
  if (e instanceof Refusal && e.body) {
    box.append(el("strong", { text: `${e.status || ""} ${e.body.reason || ""}`.trim() }), ` (${e.body.error || "error"})`);
    for (const part of ["errors", "details"]) {
      if (e.body[part] && Object.keys(e.body[part]).length) box.append(el("pre", { text: `${part}: ${JSON.stringify(e.body[part], null, 2)}` }));
    }
    if (e.body.request_id) box.append(el("div", { class: "muted", text: `request id ${e.body.request_id}` }));
  } else {
    box.append(el("strong", { text: String(e && e.message || e) }));
  }
  box.hidden = false;
}

function clearProblem() {
  $("problem").hidden = true;
  $("problem").replaceChildren();
}

function say(text) {
  $("notice").textContent = text;
}

function showScreen(id) {
  for (const screen of ["sign-in-screen", "find-screen", "person-screen"]) $(screen).hidden = screen !== id;
  const signedIn = Boolean(credentials);
  $("sign-out").hidden = !signedIn;
  $("signed-in-as").hidden = !signedIn;
  if (signedIn) $("signed-in-as").textContent = `App ${credentials.appId}`;
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "–");

async function signIn(event) {
  event.preventDefault();
  clearProblem();
  credentials = { appId: $("app-id").value.trim(), apiKey: $("api-key").value.trim() };
  try {
    await api("GET", appPath("/audit?limit=1")); // proves the key before anything else is shown
    sessionStorage.setItem(KEY, JSON.stringify(credentials));
    $("api-key").value = "";
    showScreen("find-screen");
    say(`Signed in to app ${credentials.appId}.`);
    $("value").focus();
  } catch (e) {
    credentials = null;
    showProblem(e);
  }
}

function signOut() {
  navigation++;
  sessionStorage.removeItem(KEY);
  credentials = null;
  person = null;
  clearProblem();
  say("Signed out.");
  showScreen("sign-in-screen");
  $("app-id").focus();
}

async function find(event) {
  event.preventDefault();
  clearProblem();
  const identifier = $("identifier").value;
  const value = $("value").value.trim();
  try {
    const found = await api("GET", appPath(`/users?identifier=${encodeURIComponent(identifier)}&value=${encodeURIComponent(value)}`));
    await open(found.user.id);
  } catch (e) {
    showProblem(e);
  }
}

/** Bumped by every navigation, so that a slow answer never shows a screen the operator has left. */
let navigation = 0;

async function open(userId) {
  const mine = ++navigation;
  const loaded = await api("GET", appPath(`/users/${encodeURIComponent(userId)}/export`));
  if (mine !== navigation) return;
  person = loaded;
  renderPerson();
  await loadAudit(true);
  if (mine !== navigation) return;
  showScreen("person-screen");
  $("person-title").focus();
}

function renderPerson() {
  const user = person.user;
  $("person-title").textContent = user.display_name || user.id;
  const facts = [["User id", el("code", { text: user.id })], ["Kind", user.anonymous ? "anonymous" : "identified"],
    ["Created", when(user.created_at)], ["Last login", when(user.last_login_at)]];
  if (user.merged_into) facts.push(["Merged into", personLink(user.merged_into)]);
  if (user.tags && user.tags.length) facts.push(["Tags", user.tags.join(", ")]);
  $("profile").replaceChildren(...facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", {}, value)]));

  $("identities").replaceChildren(...(user.identities.length ? user.identities.map((identity) => el("tr", {},
    el("td", { text: identity.identifier }), el("td", {}, el("code", { text: identity.value })),
    el("td", {}, el("span", { class: `badge ${identity.verified ? "verified" : "unverified"}`, text: identity.verified ? "Verified" : "Unverified" })),
    el("td", { text: when(identity.asserted_at) })))
    : [el("tr", {}, el("td", { colspan: "4", class: "muted", text: "No identities." }))]));

  const words = { moved_in: "moved in from", moved_out: "moved out to", unmerged_in: "came back (unmerge) from", unmerged_out: "went back (unmerge) to" };
  $("history").replaceChildren(...(user.identity_history.length ? [...user.identity_history]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((entry) => el("li", { "data-action": entry.action }, el("time", { datetime: entry.at, text: when(entry.at) }), " ",
      `${entry.identifier} `, el("code", { text: entry.value }), ` ${words[entry.action] || entry.action} `, personLink(entry.other_user_id)))
    : [el("li", { class: "muted", text: "No moves." })]));

  const blocks = [el("h4", { text: "Global" }), keyValues({ ...user.global, ...prefixed("custom field ", user.custom_user_fields), ...prefixed("field ", user.fields) })];
  for (const [appId, items] of Object.entries(person.apps || {})) {
    blocks.push(el("h4", { text: `App ${appId}` }), keyValues({ ...items.attributes, ...prefixed("custom field ", items.custom_user_fields) }));
  }
  $("attributes").replaceChildren(...blocks);

  const live = person.sessions.filter((s) => s.state === "active" || s.state === "refresh_due");
  $("sessions").replaceChildren(...(person.sessions.length ? person.sessions.map((s) => el("tr", { "data-state": s.state },
    el("td", { text: s.app_id }), el("td", {}, el("code", { text: s.device_id })), el("td", { text: s.state.replace("_", " ") }),
    el("td", { text: when(s.expires_at) })))
    : [el("tr", {}, el("td", { colspan: "4", class: "muted", text: "No sessions." }))]));
  $("end-sessions").disabled = live.length === 0;
  $("end-sessions").textContent = live.length ? `End all sessions (${live.length} live)` : "End all sessions (none live)";

  renderMerges();
}

function prefixed(prefix, values) {
  return Object.fromEntries(Object.entries(values || {}).map(([k, v]) => [prefix + k, v]));
}

function keyValues(values) {
  const entries = Object.entries(values);
  if (!entries.length) return el("p", { class: "muted", text: "None." });
  return el("dl", { class: "facts" }, ...entries.flatMap(([k, v]) => [el("dt", { text: k }),
    el("dd", { text: typeof v === "string" ? v : JSON.stringify(v) })]));
}

function personLink(userId) {
  const button = el("button", { type: "button", class: "link", text: userId });
  button.addEventListener("click", () => open(userId).catch(showProblem));
  return button;
}

/**
 * What an unmerge can undo: each login that moved identities or merged an anonymous user (its
 * merge_id), and each identity addition that moved identities (the cause_id of its moves).
 */
function renderMerges() {
  const records = person.audit || [];
  const undone = new Set(records.filter((r) => r.kind === "unmerge").map((r) => r.details.merge_id));
  const causes = new Map();
  for (const login of records.filter((r) => r.kind === "login" && r.details && r.details.merge_id)) {
    causes.set(login.details.merge_id, { at: login.at, app: login.app_id, what: "login", login });
  }
  for (const moved of records.filter((r) => (r.kind === "identity_moved" || r.kind === "merge") && r.details.cause_id)) {
    if (!causes.has(moved.details.cause_id) && moved.details.to_user_id === person.user.id) {
      causes.set(moved.details.cause_id, { at: moved.at, app: moved.app_id, what: "identity addition", login: null });
    }
  }
  $("merges").replaceChildren(...(causes.size ? [...causes.entries()].map(([mergeId, cause]) => {
    const changes = records.filter((r) => r.details && r.details.cause_id === mergeId && r.kind !== "login");
    const item = el("li", { "data-merge-id": mergeId }, el("time", { datetime: cause.at, text: when(cause.at) }),
      ` ${cause.what} in ${cause.app}: ${changes.length} change${changes.length === 1 ? "" : "s"} `);
    if (undone.has(mergeId)) {
      item.append(el("span", { class: "muted", text: "(undone)" }));
    } else {
      const button = el("button", { type: "button", text: "Unmerge…", "aria-label": `Unmerge the ${cause.what} of ${when(cause.at)}` });
      button.addEventListener("click", () => askUnmerge(mergeId, changes, cause.login));
      item.append(button);
    }
    return item;
  }) : [el("li", { class: "muted", text: "No merges." })]));
}

function askUnmerge(mergeId, changes, login) {
  pendingUnmerge = mergeId;
  const lines = changes.map((r) => {
    if (r.kind === "merge") {
      return `The anonymous user ${r.details.from_user_id} is restored; the attributes the merge filled in leave this person,`
        + " except those changed since, which stay.";
    }
    if (r.kind === "identity_moved") {
      return `The ${r.details.identifier} identity moves back from ${r.details.to_user_id} to ${r.details.from_user_id}.`;
    }
    return `${r.kind}: ${JSON.stringify(r.details)}`;
  });
  if (login && login.details.merged_user_id && !changes.some((r) => r.kind === "merge")) {
    lines.push(`The anonymous user ${login.details.merged_user_id} is restored.`);
  }
  if (!lines.length) lines.push("Nothing the audit trail still holds; the server checks what it can undo.");
  lines.push("Where a later change makes a step unsafe, the server refuses the whole unmerge and says why.");
  $("unmerge-changes").replaceChildren(...lines.map((line) => el("li", { text: line })));
  $("unmerge-dialog").showModal();
  $("unmerge-cancel").focus();
}

async function confirmUnmerge() {
  $("unmerge-dialog").close();
  clearProblem();
  try {
    const result = await api("POST", appPath(`/users/${encodeURIComponent(person.user.id)}/unmerge`), { merge_id: pendingUnmerge });
    await open(person.user.id);
    say(`Unmerged: ${JSON.stringify(result)}`);
  } catch (e) {
    showProblem(e);
  }
}

async function loadAudit(first) {
  if (first) {
    auditCursor = null;
    $("audit").replaceChildren();
  }
  const query = `?limit=20${auditCursor ? `&cursor=${encodeURIComponent(auditCursor)}` : ""}`;
  const page = await api("GET", appPath(`/users/${encodeURIComponent(person.user.id)}/audit${query}`));
  for (const record of page.records) {
    const details = Object.entries(record.details).map(([k, v]) => `${k}: ${v}`).join(", ");
    $("audit").append(el("tr", { "data-kind": record.kind }, el("td", {}, el("time", { datetime: record.at, text: when(record.at) })),
      el("td", { text: record.kind.replace(/_/g, " ") }), el("td", { text: record.app_id }), el("td", { text: details })));
  }
  if (first && !page.records.length) $("audit").append(el("tr", {}, el("td", { colspan: "4", class: "muted", text: "No records." })));
  auditCursor = page.next_cursor;
  $("more-audit").hidden = !auditCursor;
}

async function endSessions() {
  clearProblem();
  try {
    const result = await api("POST", appPath(`/users/${encodeURIComponent(person.user.id)}/logout`));
    await open(person.user.id);
    say(`Ended ${result.sessions_ended} session${result.sessions_ended === 1 ? "" : "s"}.`);
  } catch (e) {
    showProblem(e);
  }
}

function askErase() {
  $("erase-expected").textContent = person.user.id;
  $("erase-typed").value = "";
  $("erase-confirm").disabled = true;
  $("erase-dialog").showModal();
  $("erase-typed").focus();
}

async function confirmErase() {
  if ($("erase-typed").value.trim() !== person.user.id) return;
  $("erase-dialog").close();
  clearProblem();
  try {
    const result = await api("DELETE", appPath(`/users/${encodeURIComponent(person.user.id)}`));
    say(`Erased ${result.user_id || person.user.id}.`);
    navigation++;
    person = null;
    showScreen("find-screen");
    $("value").focus();
  } catch (e) {
    showProblem(e);
  }
}

$("sign-in-form").addEventListener("submit", signIn);
$("sign-out").addEventListener("click", signOut);
$("find-form").addEventListener("submit", find);
$("refresh").addEventListener("click", () => open(person.user.id).catch(showProblem));
$("back").addEventListener("click", () => { navigation++; clearProblem(); showScreen("find-screen"); $("value").focus(); });
$("end-sessions").addEventListener("click", endSessions);
$("erase").addEventListener("click", askErase);
$("erase-typed").addEventListener("input", () => { $("erase-confirm").disabled = $("erase-typed").value.trim() !== person.user.id; });
$("erase-confirm").addEventListener("click", confirmErase);
$("erase-cancel").addEventListener("click", () => $("erase-dialog").close());
$("unmerge-confirm").addEventListener("click", confirmUnmerge);
$("unmerge-cancel").addEventListener("click", () => $("unmerge-dialog").close());
$("more-audit").addEventListener("click", () => loadAudit(false).catch(showProblem));

showScreen(credentials ? "find-screen" : "sign-in-screen");
