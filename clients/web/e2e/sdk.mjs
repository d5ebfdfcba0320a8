// The SDK in headless Chromium against a running local server: persistence across a reload,
// clearAnonymousUserOnLogin end to end, the user-id login mode, the token provider on an ended
// session, and failures (network, abort) as UserhubError with a reason.
// Usage: node e2e/sdk.mjs <base url of the local server> <api key of the demo app>
import { chromium } from "playwright-core";

const [baseUrl, apiKey] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"],
});
const steps = [];
const check = (condition, message) => { if (!condition) throw new Error(message); };
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${baseUrl}/demo`);
  // Each scenario runs in the page: the module is imported from the server, as a widget would.
  const inPage = (fn, arg) => page.evaluate(`(async () => {
    const { createUserhub, UserhubError } = await import("/clients/web/userhub.js");
    const mint = async (uid) => {
      const r = await fetch("/v1/apps/demo/tokens", { method: "POST", headers: { "content-type": "application/json",
        authorization: "Bearer " + ${JSON.stringify(apiKey)} }, body: JSON.stringify({ identities: [{ identifier: "uid", value: uid }] }) });
      return (await r.json()).token;
    };
    return (${fn})({ createUserhub, UserhubError, mint, arg: ${JSON.stringify(arg ?? null)} });
  })()`);

  const first = await inPage(`async ({ createUserhub }) => {
    localStorage.clear();
    const hub = createUserhub({ baseUrl: location.origin, appId: "demo", persist: true });
    const login = await hub.loginAnonymously();
    return { deviceId: hub.deviceId, userId: login.user.id };
  }`);
  await page.reload();
  const again = await inPage(`async ({ createUserhub }) => {
    const hub = createUserhub({ baseUrl: location.origin, appId: "demo", persist: true });
    const restored = await hub.restore();
    return { deviceId: hub.deviceId, userId: restored && restored.user.id };
  }`);
  check(again.deviceId === first.deviceId && again.userId === first.userId, `not restored: ${JSON.stringify({ first, again })}`);
  steps.push("device id and session restored after a reload");

  const kept = await inPage(`async ({ createUserhub, mint }) => {
    const run = async (clear, device) => {
      const hub = createUserhub({ baseUrl: location.origin, appId: "demo", deviceId: device, clearAnonymousUserOnLogin: clear });
      const anonymous = (await hub.loginAnonymously()).user.id;
      const identified = (await hub.login(await mint("sdk-" + device))).user.id;
      const back = (await hub.logout({ anonymous: true })).anonymous.user.id;
      return { anonymous, identified, back };
    };
    const suffix = Math.random().toString(36).slice(2);
    return { keep: await run(false, "keep-" + suffix), clear: await run(true, "clear-" + suffix) };
  }`);
  check(kept.keep.back === kept.keep.anonymous && kept.keep.identified !== kept.keep.anonymous,
    `clearAnonymousUserOnLogin false must return to the previous anonymous user: ${JSON.stringify(kept.keep)}`);
  check(kept.clear.back !== kept.clear.anonymous, `clearAnonymousUserOnLogin true must start a new anonymous user: ${JSON.stringify(kept.clear)}`);
  steps.push("clearAnonymousUserOnLogin: false keeps the anonymous user, true starts a new one");

  const userId = await inPage(`async ({ createUserhub }) => {
    const hub = createUserhub({ baseUrl: location.origin, appId: "demo", deviceId: "uid-mode-" + Math.random() });
    const login = await hub.loginWithUserId({ user_id: 4242, name: "Numeric Nora" });
    return { anonymous: login.user.anonymous, verified: login.user.verified, name: login.user.display_name };
  }`);
  check(userId.anonymous === false && userId.verified === false, `user-id login: ${JSON.stringify(userId)}`);
  steps.push("user-id login");

  const renewed = await inPage(`async ({ createUserhub, mint }) => {
    const device = "provider-" + Math.random();
    const asked = [];
    const hub = createUserhub({ baseUrl: location.origin, appId: "demo", deviceId: device,
      tokenProvider: async ({ reason }) => { asked.push(reason); return mint("sdk-provider"); } });
    await hub.login(await mint("sdk-provider"));
    // Another tab's login on the same device replaces this session: the next call finds it ended.
    const other = createUserhub({ baseUrl: location.origin, appId: "demo", deviceId: device });
    await other.login(await mint("sdk-provider"));
    const state = await hub.getSession();
    return { asked, state: state.state };
  }`);
  check(renewed.asked.join() === "invalid_session" && renewed.state === "active", `token provider: ${JSON.stringify(renewed)}`);
  steps.push("token provider renewed an ended session and the call went through");

  const failures = await inPage(`async ({ createUserhub, UserhubError }) => {
    const down = createUserhub({ baseUrl: "http://127.0.0.1:9", appId: "demo", deviceId: "d", maxRetries: 0 });
    let network, aborted, early;
    try { await down.loginAnonymously(); } catch (e) { network = { is: e instanceof UserhubError, reason: e.reason, status: e.status }; }
    const hub = createUserhub({ baseUrl: location.origin, appId: "demo", deviceId: "abort-" + Math.random() });
    const controller = new AbortController();
    const pending = hub.loginAnonymously({ signal: controller.signal });
    controller.abort();
    try { await pending; } catch (e) { aborted = e.reason; }
    const before = hub.getSession();
    try { await before; } catch (e) { early = e.reason; }
    return { network, aborted, early, promise: before instanceof Promise };
  }`);
  check(failures.network.is && failures.network.reason === "NETWORK_ERROR" && failures.network.status === 0, JSON.stringify(failures));
  check(failures.aborted === "ABORTED" && failures.early === "SESSION_INVALID" && failures.promise, JSON.stringify(failures));
  steps.push("network failure, abort and a call before login reject with a reason");

  if (problems.length) throw new Error(`page errors: ${problems.join("; ")}`);
  console.log(JSON.stringify({ ok: true, steps }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, steps, error: String(e && e.stack || e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
