// The support console end to end in headless Chromium (Debian's /usr/bin/chromium, playwright-core)
// against a running local server: each screen and each action, one flow by keyboard only, an axe-core
// check of every screen (no serious or critical violation), a screenshot of each.
// Usage: node e2e/console.mjs <base url> <api key of the demo app> <screenshot directory>
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [baseUrl, apiKey, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"],
});
const steps = [];
const accessibility = {};
const check = (condition, message) => { if (!condition) throw new Error(message); };
const suffix = Math.random().toString(36).slice(2, 8);

async function call(method, path, body, bearer) {
  const response = await fetch(baseUrl + path, { method, headers: { "content-type": "application/json",
    ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const parsed = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

async function token(identities) {
  return (await call("POST", "/v1/apps/demo/tokens", { identities }, apiKey)).token;
}

// A person with a verified and an unverified identity, attributes, two live sessions and a merge:
// Ana's email first belonged to an older account and moved to hers with her newer token.
const email = `ana-${suffix}@example.com`;
await call("POST", "/v1/apps/demo/login", { identity_token: await token([{ identifier: "uid", value: `old-${suffix}` },
  { identifier: "email", value: email }]), device_id: `old-device-${suffix}` });
await new Promise((r) => setTimeout(r, 1100)); // the newer token's iat must be later: the move goes by it
const ana = await call("POST", "/v1/apps/demo/login", { identity_token: await token([{ identifier: "uid", value: `ana-${suffix}` },
  { identifier: "email", value: email }, { identifier: "phone_number", value: "+15550100", metadata: { verified: "false" } }]),
  device_id: `phone-${suffix}` });
await call("POST", "/v1/apps/demo/login", { identity_token: await token([{ identifier: "uid", value: `ana-${suffix}` }]),
  device_id: `laptop-${suffix}` });
await call("POST", "/v1/attributes", { updates: [{ type: "global", attributes: { first_name: "Ana", new_tags: ["vip"] } },
  { type: "app", attributes: { app_version: "3.1.0" } }] }, ana.session_token);
const anaId = ana.user.id;
// More than a page of her audit records (20 a page): returning logins, one record each.
for (let i = 0; i < 21; i++) {
  await call("POST", "/v1/apps/demo/login", { identity_token: await token([{ identifier: "uid", value: `ana-${suffix}` }]),
    device_id: `laptop-${suffix}` });
}

try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  const shot = async (name) => page.screenshot({ path: join(shots, `console-${name}.png`), fullPage: true });
  const axe = async (name) => {
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    accessibility[name] = { violations: result.violations.length, serious_or_critical: bad.map((v) => v.id) };
    check(bad.length === 0, `${name}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(" ")}`).join("; ")}`);
  };
  const text = (selector) => page.textContent(selector);

  // ---- sign in: a wrong key is refused in the API's words; the right one is kept for the tab only
  await page.goto(`${baseUrl}/console`);
  await page.waitForSelector("#sign-in-screen:not([hidden])");
  await axe("sign-in");
  await shot("sign-in");
  await page.fill("#app-id", "demo");
  await page.fill("#api-key", "uh_wrong");
  await page.click("#sign-in-form button[type=submit]");
  await page.waitForSelector("#problem:not([hidden])");
  check((await text("#problem")).includes("401 UNAUTHORIZED"), `refusal not shown in the API's words: ${await text("#problem")}`);
  await axe("refusal");
  await shot("refusal");
  await page.fill("#api-key", apiKey);
  await page.click("#sign-in-form button[type=submit]");
  await page.waitForSelector("#find-screen:not([hidden])");
  const stored = await page.evaluate(() => ({ local: JSON.stringify(localStorage), session: sessionStorage.getItem("userhub-console") }));
  check(!stored.local.includes(apiKey) && stored.session.includes(apiKey), "the API key must live in sessionStorage only");
  steps.push("sign in (a wrong key refused as 401 UNAUTHORIZED; the key kept for the tab only)");

  // ---- find: nobody, then Ana by her email
  await page.selectOption("#identifier", "email");
  await page.fill("#value", `nobody-${suffix}@example.com`);
  await page.click("#find-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#problem").textContent.includes("USER_NOT_FOUND"));
  await axe("find");
  await shot("find");
  await page.fill("#value", email);
  await page.click("#find-form button[type=submit]");
  await page.waitForSelector("#person-screen:not([hidden])");
  check(await page.isHidden("#problem"), "a success clears the refusal");
  steps.push("find by any identity (404 USER_NOT_FOUND shown, then the person)");

  // ---- the person: identities and their verified state, history, attributes per app, sessions, audit, merges
  check((await text("#profile")).includes(anaId), "the profile shows the user id");
  const identities = await page.$$eval("#identities tr", (rows) => rows.map((r) => r.textContent));
  check(identities.some((r) => r.includes(email) && r.includes("Verified")), `email verified: ${identities}`);
  check(identities.some((r) => r.includes("+15550100") && r.includes("Unverified")), `phone unverified: ${identities}`);
  check(await page.$('#history li[data-action="moved_in"]'), "the move is on the timeline");
  const attributes = await text("#attributes");
  check(attributes.includes("first_name") && attributes.includes("Ana") && attributes.includes("App demo")
    && attributes.includes("app_version"), `attributes per app: ${attributes}`);
  check((await page.$$('#sessions tr[data-state="active"]')).length === 2, "two live sessions");
  check((await page.$$('#audit tr[data-kind="login"]')).length >= 2, "the person's audit trail");
  check(await page.$("#merges button"), "the login that moved the email offers an unmerge");
  await axe("person");
  await shot("person");
  steps.push("person: identities with verified state, history timeline, attributes per app, sessions, audit, merges");

  // ---- older audit records, refresh, a link to the other person of a move, back to the search
  const firstPage = (await page.$$("#audit tr")).length;
  check(firstPage === 20 && await page.isVisible("#more-audit"), `a first page of 20 records: ${firstPage}`);
  await page.click("#more-audit");
  await page.waitForFunction((n) => document.querySelectorAll("#audit tr").length > n, firstPage);
  await page.click("#refresh");
  await page.waitForFunction(() => document.querySelectorAll("#audit tr").length === 20);
  const otherId = (await text('#history li[data-action="moved_in"] button')).trim();
  await page.click('#history li[data-action="moved_in"] button');
  await page.waitForFunction((id) => document.querySelector("#profile").textContent.includes(id), otherId);
  check((await page.$$('#history li[data-action="moved_out"]')).length === 1, "the other person's side of the move");
  await page.click("#back");
  await page.waitForSelector("#find-screen:not([hidden])");
  await page.fill("#value", email);
  await page.click("#find-form button[type=submit]");
  await page.waitForFunction((id) => document.querySelector("#profile").textContent.includes(id), anaId);
  steps.push("older audit records, refresh, the other person of a move, back to the search");

  // ---- unmerge: the dialog says what will change; cancel changes nothing; confirm undoes the move
  await page.click("#merges button");
  await page.waitForSelector("#unmerge-dialog[open]");
  const changes = await text("#unmerge-changes");
  check(changes.includes("email identity moves back"), `what will change: ${changes}`);
  await axe("unmerge-dialog");
  await shot("unmerge-dialog");
  await page.click("#unmerge-cancel");
  check(!(await page.$("#unmerge-dialog[open]")), "cancel closes the dialog");
  check(await page.$("#merges button"), "cancel changes nothing");
  await page.click("#merges button");
  await page.click("#unmerge-confirm");
  await page.waitForFunction(() => document.querySelector("#notice").textContent.startsWith("Unmerged"));
  await page.waitForSelector('#history li[data-action="unmerged_out"]');
  check((await text("#merges")).includes("(undone)"), "the merge shows as undone");
  const afterUnmerge = await page.$$eval("#identities tr", (rows) => rows.map((r) => r.textContent).join(" "));
  check(!afterUnmerge.includes(email), "the email went back to the older account");
  steps.push("unmerge: what will change shown, cancel, confirm; the email moved back");

  // ---- end sessions
  await page.click("#end-sessions");
  await page.waitForFunction(() => document.querySelector("#notice").textContent === "Ended 2 sessions.");
  check((await page.$$('#sessions tr[data-state="active"]')).length === 0, "no live session after ending them");
  check(await page.isDisabled("#end-sessions"), "nothing left to end");
  steps.push("end sessions");

  // ---- erase: the id typed again; a wrong one keeps the button disabled
  await page.click("#erase");
  await page.waitForSelector("#erase-dialog[open]");
  await page.fill("#erase-typed", anaId.slice(0, -1));
  check(await page.isDisabled("#erase-confirm"), "a wrong id cannot erase");
  await axe("erase-dialog");
  await shot("erase-dialog");
  await page.fill("#erase-typed", anaId);
  check(await page.isEnabled("#erase-confirm"), "the right id enables erase");
  await page.click("#erase-confirm");
  await page.waitForSelector("#find-screen:not([hidden])");
  check((await text("#notice")).includes(`Erased ${anaId}`), "erase reported");
  await page.selectOption("#identifier", "uid");
  await page.fill("#value", `ana-${suffix}`);
  await page.click("#find-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#problem").textContent.includes("USER_NOT_FOUND"));
  steps.push("erase: the id typed again, then the person is gone");

  // ---- sign out
  await page.click("#sign-out");
  await page.waitForSelector("#sign-in-screen:not([hidden])");
  check(await page.evaluate(() => sessionStorage.getItem("userhub-console")) === null, "sign out forgets the key");
  steps.push("sign out");

  // ---- keyboard only: sign in, find, open the erase dialog and leave it with Escape
  const keys = await context.newPage();
  keys.on("pageerror", (e) => problems.push(String(e)));
  await keys.goto(`${baseUrl}/console`);
  await keys.waitForSelector("#sign-in-screen:not([hidden])");
  const focused = () => keys.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.tagName));
  const tabTo = async (id) => {
    for (let i = 0; i < 20 && (await focused()) !== id; i++) await keys.keyboard.press("Tab");
    check((await focused()) === id, `Tab never reached #${id}`);
  };
  await tabTo("app-id");
  await keys.keyboard.type("demo");
  await keys.keyboard.press("Tab");
  await keys.keyboard.type(apiKey);
  await keys.keyboard.press("Enter");
  await keys.waitForSelector("#find-screen:not([hidden])");
  check((await focused()) === "value", "after sign-in the focus is on the value field");
  await keys.keyboard.press("Shift+Tab");
  check((await focused()) === "identifier", "the identity select is reachable");
  await keys.keyboard.press("ArrowDown"); // email
  await keys.keyboard.press("Tab");
  await keys.keyboard.type(email);
  await keys.keyboard.press("Enter");
  await keys.waitForSelector("#person-screen:not([hidden])");
  check((await focused()) === "person-title", "the person's heading takes the focus");
  await tabTo("erase");
  await keys.keyboard.press("Enter");
  await keys.waitForSelector("#erase-dialog[open]");
  check((await focused()) === "erase-typed", "the dialog focuses the id field");
  await keys.keyboard.press("Escape");
  await keys.waitForFunction(() => !document.querySelector("#erase-dialog").open);
  await keys.screenshot({ path: join(shots, "console-keyboard.png"), fullPage: true });
  steps.push("keyboard only: sign in, find, open and leave the erase dialog");

  if (problems.length) throw new Error(`page errors: ${problems.join("; ")}`);
  console.log(JSON.stringify({ ok: true, steps, accessibility }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, steps, accessibility, error: String(e && e.stack || e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
