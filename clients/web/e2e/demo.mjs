// The demo page end to end in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; nothing downloads a browser): sign in, profile, attributes, the refresh and
// expiry notices, log out. Usage: node e2e/demo.mjs <demo url with #api_key=...> <screenshot.png>
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"],
});
const steps = [];
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(url);
  await page.click("#hooks");
  await page.waitForFunction(() => document.querySelector("#hooks").disabled);

  await page.click("#sign-in");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Signed in as"));
  const profile = await page.textContent("#profile");
  if (!profile.includes("demo-user@example.com")) throw new Error(`profile without the email: ${profile}`);
  steps.push("signed in");

  const before = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/v1/attributes")).length);
  await page.click("#send");
  await page.waitForFunction(() => document.querySelector("#attributes").textContent.includes("first_name"));
  const attributeRequests = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/v1/attributes")).length);
  if (attributeRequests - before !== 1) throw new Error(`expected one attribute request, saw ${attributeRequests - before}`);
  const applied = JSON.parse(await page.textContent("#attributes"));
  if (!applied.applied.app.includes("app_version")) throw new Error(`app attributes not applied: ${JSON.stringify(applied)}`);
  steps.push("attributes sent in one request");

  await page.reload();
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Signed in as"));
  if (!(await page.textContent("#profile")).includes("demo-user@example.com")) throw new Error("the session did not survive a reload");
  steps.push("session restored after a reload");

  await page.waitForSelector('li[data-type="refreshUserCredentials"]', { timeout: 30000 });
  steps.push("refreshUserCredentials shown");
  await page.waitForSelector('li[data-type="userSessionExpired"]', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector("#status").textContent === "Session expired.");
  steps.push("userSessionExpired shown");
  if ((await page.textContent("#profile")) !== "–") throw new Error("the expired user's profile stayed on screen");

  await page.click("#sign-in");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Signed in as"));
  await page.click("#send");
  await page.waitForFunction(() => document.querySelector("#attributes").textContent.includes("first_name"));
  await page.click("#logout");
  await page.waitForFunction(() => document.querySelector("#status").textContent === "Logged out.");
  if ((await page.textContent("#attributes")) !== "–" || (await page.textContent("#profile")) !== "–") {
    throw new Error("the previous user's profile or attribute result stayed on screen after logout");
  }
  steps.push("logged out");
  await page.click("#anonymous");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Signed in as"));
  const anonymousStatus = await page.textContent("#status");
  if (!anonymousStatus.includes("(anonym)") || anonymousStatus.includes("(anonymous)")) {
    throw new Error(`an anonymous user is labelled once: ${anonymousStatus}`);
  }
  steps.push("anonymous user labelled once");
  // The webhooks of this run: the anonymous user's creation and the logout's ended session, each signature checked in the page.
  await page.waitForSelector('#webhooks li[data-type="user.created"][data-verified="true"]', { timeout: 30000 });
  await page.waitForSelector('#webhooks li[data-type="sessions.ended"][data-verified="true"]', { timeout: 30000 });
  steps.push("webhooks shown, signatures verified");
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  if (problems.length) throw new Error(`page errors: ${problems.join("; ")}`);
  console.log(JSON.stringify({ ok: true, steps }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, steps, error: String(e && e.stack || e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
