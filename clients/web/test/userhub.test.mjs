// Unit tests of the web client's own logic (batching, events, errors) with a fake fetch and fake
// timers: node --test clients/web/test/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createUserhub, enqueueUpdate, UserhubError } from "../userhub.js";

function fakeServer(routes) {
  const calls = [];
  const fetch = async (url, init) => {
    const path = url.replace("http://hub", "");
    calls.push({ path, method: init.method, body: init.body ? JSON.parse(init.body) : undefined, auth: init.headers.authorization });
    const [status, body] = routes(path, init, calls.length);
    return { ok: status < 400, status, text: async () => JSON.stringify(body) };
  };
  return { fetch, calls };
}

function fakeTimers() {
  let id = 0;
  const pending = new Map();
  return {
    setTimer: (fn, ms) => { pending.set(++id, { fn, ms }); return id; },
    clearTimer: (i) => pending.delete(i),
    // Fires every pending timer, each on its own as real timers do, and waits for them to settle,
    // or for 50 ms when one waits on a timer that a later runAll fires.
    async runAll() {
      const running = [...pending.entries()].map(([i, t]) => {
        pending.delete(i);
        return Promise.resolve().then(t.fn);
      });
      await Promise.race([Promise.all(running), new Promise((r) => setTimeout(r, 50))]);
      await new Promise((r) => setImmediate(r));
    },
    get count() { return pending.size; },
  };
}

const LOGIN = {
  session_token: "demo.tok",
  session: { id: "s1", expires_at: "2026-11-25T00:00:10Z", refresh_at: "2026-11-25T00:00:05Z" },
  user: { id: "u1", anonymous: false, display_name: "Ada", identities: [] },
};

test("updates of one type merge key by key; tag operations keep their order", () => {
  const queue = [];
  enqueueUpdate(queue, "global", { first_name: "A" });
  enqueueUpdate(queue, "global", { first_name: "B", last_name: "C" });
  enqueueUpdate(queue, "app", { app_version: "1" });
  enqueueUpdate(queue, "global", { new_tags: ["x"] });
  enqueueUpdate(queue, "global", { tags_to_remove: ["x"] });
  assert.deepEqual(queue, [
    { type: "global", attributes: { first_name: "B", last_name: "C" } },
    { type: "app", attributes: { app_version: "1" } },
    { type: "global", attributes: { new_tags: ["x"] } },
    { type: "global", attributes: { tags_to_remove: ["x"] } },
  ]);
});

test("attribute calls are debounced into one request per flush", async () => {
  const server = fakeServer((path) => path.endsWith("/login") ? [200, LOGIN] : [200, { applied: { global: ["first_name"], app: ["app_version"] } }]);
  const timers = fakeTimers();
  const hub = createUserhub({ baseUrl: "http://hub/", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers, now: () => Date.parse("2026-11-25T00:00:00Z") });
  await hub.login("jwt");
  const first = hub.updateMasterAttributes({ first_name: "Ada" });
  const second = hub.updateAppAttributes({ app_version: "2.4.1" });
  hub.updateMasterAttributes({ first_name: "Grace" });
  assert.equal(server.calls.filter((c) => c.path === "/v1/attributes").length, 0);
  await hub.flush();
  const sent = server.calls.filter((c) => c.path === "/v1/attributes");
  assert.equal(sent.length, 1);
  assert.equal(sent[0].auth, "Bearer demo.tok");
  assert.deepEqual(sent[0].body.updates, [
    { type: "global", attributes: { first_name: "Ada" } },
    { type: "app", attributes: { app_version: "2.4.1" } },
    { type: "global", attributes: { first_name: "Grace" } },
  ]);
  assert.deepEqual(await first, await second);
});

test("refresh and expiry events fire once, confirmed by GET /v1/session", async () => {
  let expired = false;
  const server = fakeServer((path) => {
    if (path.endsWith("/login")) return [200, LOGIN];
    if (expired) return [401, { error: "SESSION_FAILED", reason: "SESSION_EXPIRED", request_id: "r" }];
    return [200, { state: "refresh_due", session: LOGIN.session, user: LOGIN.user, notices: [{ type: "refreshUserCredentials", event_id: "e", at: "x" }] }];
  });
  const timers = fakeTimers();
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers, now: () => Date.parse("2026-11-25T00:00:00Z") });
  const events = [];
  hub.on("refreshUserCredentials", () => events.push("refresh"));
  hub.on("userSessionExpired", () => events.push("expired"));
  await hub.login("jwt");
  assert.equal(timers.count, 2);
  expired = false;
  await timers.runAll();
  expired = true;
  await timers.runAll();
  await timers.runAll();
  assert.deepEqual(events.filter((e) => e === "refresh"), ["refresh"]);
  assert.ok(events.includes("expired"));
});

test("logout can go straight back to an anonymous user", async () => {
  const anonymous = { ...LOGIN, session_token: "demo.anon", user: { ...LOGIN.user, id: "u2", anonymous: true } };
  const server = fakeServer((path, init, n) => path === "/v1/logout" ? [200, { logged_out: true }]
    : [200, n === 1 ? LOGIN : anonymous]);
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...fakeTimers() });
  await hub.login("jwt");
  const out = await hub.logout({ anonymous: true });
  assert.equal(out.logged_out, true);
  assert.equal(out.anonymous.user.anonymous, true);
  assert.deepEqual(server.calls.map((c) => c.path), ["/v1/apps/demo/login", "/v1/logout", "/v1/apps/demo/login"]);
  assert.equal(server.calls[2].body.identity_token, "");
  assert.equal(server.calls[2].auth, undefined, "the anonymous login names no session: the old one is gone");
  assert.equal(hub.session.id, "s1");
  assert.equal(hub.user.anonymous, true);
});

test("failures reject with the API's error shape", async () => {
  const server = fakeServer(() => [401, { error: "LOGIN_FAILED", reason: "IDENTITY_TOKEN_INVALID", details: { cause: "MALFORMED" }, request_id: "r1" }]);
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch });
  await assert.rejects(hub.login("x.y.z"), (e) => e instanceof UserhubError && e.status === 401
    && e.reason === "IDENTITY_TOKEN_INVALID" && e.details.cause === "MALFORMED" && e.requestId === "r1");
  await assert.rejects(hub.updateMasterAttributes({ a: 1 }), (e) => e instanceof UserhubError && e.reason === "SESSION_INVALID");
});

function fakePage() {
  const handlers = [];
  return {
    visibilityState: "visible",
    addEventListener: (type, fn) => { if (type === "visibilitychange") handlers.push(fn); },
    show() { this.visibilityState = "visible"; handlers.forEach((fn) => fn()); },
    hide() { this.visibilityState = "hidden"; handlers.forEach((fn) => fn()); },
  };
}

const EXPIRED = [401, { error: "SESSION_FAILED", reason: "SESSION_EXPIRED", request_id: "r" }];

test("userSessionExpired repeats each time the page is shown again, until the next login", async () => {
  let loggedIn = 0;
  const server = fakeServer((path) => {
    if (path.endsWith("/login")) { loggedIn++; return [200, { ...LOGIN, session: { ...LOGIN.session, id: `s${loggedIn}` } }]; }
    return EXPIRED;
  });
  const timers = fakeTimers();
  const page = fakePage();
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers, visibility: page,
    now: () => Date.parse("2026-11-25T00:00:00Z") });
  const events = [];
  hub.on("userSessionExpired", (e) => events.push(e.repeated ? "again" : "expired"));
  await hub.login("jwt");
  await timers.runAll();
  assert.deepEqual(events, ["expired"]);
  page.hide();
  page.show();
  page.show();
  assert.deepEqual(events, ["expired", "again", "again"]);
  await hub.login("fresh-jwt");
  page.hide();
  page.show();
  assert.deepEqual(events, ["expired", "again", "again"], "a login stops the repeats");
});

test("onLoginRequest gets a fresh token before the session is reported expired, and the client logs in with it", async () => {
  const server = fakeServer((path, init, n) => {
    if (path.endsWith("/login")) return [200, { ...LOGIN, session: { ...LOGIN.session, id: `s${n}` },
      user: { ...LOGIN.user, identities: [{ identifier: "uid", value: "u-7" }, { identifier: "email", value: "ada@example.com" }] } }];
    return EXPIRED;
  });
  const timers = fakeTimers();
  const asked = [];
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers, visibility: null,
    now: () => Date.parse("2026-11-25T00:00:00Z"),
    onLoginRequest: async (who) => { asked.push(who); return "fresh-jwt"; } });
  const expired = [];
  hub.on("userSessionExpired", () => expired.push(true));
  await hub.login("jwt", { full_privacy_enabled: false }, { user_id: "u-7" });
  await timers.runAll();
  await new Promise((r) => setImmediate(r));
  assert.equal(asked.length, 1, "both notice timers found the session expired: the page is asked once");
  assert.deepEqual([asked[0].userId, asked[0].userEmail, asked[0].reason], ["u-7", "ada@example.com", "expired"]);
  assert.equal(server.calls.filter((c) => c.path.endsWith("/login")).length, 2, "one login, then one re-login");
  const relogin = server.calls.filter((c) => c.path.endsWith("/login"))[1];
  assert.equal(relogin.body.identity_token, "fresh-jwt");
  assert.deepEqual(relogin.body.expected, { user_id: "u-7" }, "the same config and expected values as the first login");
  assert.deepEqual(expired, [], "no expiry is reported when the page supplied a token");
});

test("without a token from onLoginRequest within the wait, the session is reported expired", async () => {
  const server = fakeServer((path) => path.endsWith("/login") ? [200, LOGIN] : EXPIRED);
  const timers = fakeTimers();
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers, visibility: null,
    now: () => Date.parse("2026-11-25T00:00:00Z"), loginRequestTimeoutMs: 5000,
    onLoginRequest: () => new Promise(() => {}) });
  const expired = [];
  hub.on("userSessionExpired", () => expired.push(true));
  await hub.login("jwt");
  const sweep = timers.runAll(); // the expiry check, which now waits on the page
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(expired, [], "nothing is reported while the page may still answer");
  await timers.runAll(); // the 5 s wait ends
  await sweep;
  assert.deepEqual(expired, [true]);
});

test("every failure is also a runtimeError event, background flushes included", async () => {
  const server = fakeServer((path) => path.endsWith("/login") ? [200, LOGIN]
    : [400, { error: "UPDATE_GLOBAL_USER_DATA_FAILED", reason: "MAX_KEY_VALUES_LIMIT_EXCEEDED", request_id: "r2" }]);
  const timers = fakeTimers();
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers, visibility: null,
    now: () => Date.parse("2026-11-25T00:00:00Z") });
  const errors = [];
  hub.on("runtimeError", (e) => errors.push(e));
  await hub.login("jwt");
  const pending = hub.updateMasterAttributes({ first_name: "Ada" });
  pending.catch(() => {});
  await timers.runAll();
  await assert.rejects(pending, (e) => e.reason === "MAX_KEY_VALUES_LIMIT_EXCEEDED");
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof UserhubError);
  assert.equal(errors[0].error, "UPDATE_GLOBAL_USER_DATA_FAILED");
});

test("a token from onLoginRequest logs in the way the session did: an external id stays an external-id login", async () => {
  const server = fakeServer((path, init, n) => path.endsWith("/login") ? [200, { ...LOGIN, session: { ...LOGIN.session, id: `s${n}` } }] : EXPIRED);
  const timers = fakeTimers();
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers, visibility: null,
    now: () => Date.parse("2026-11-25T00:00:00Z"), onLoginRequest: async () => "fresh-external-jwt" });
  await hub.loginWithExternalId("cust-7", "first-jwt");
  await timers.runAll();
  await new Promise((r) => setImmediate(r));
  const logins = server.calls.filter((c) => c.path.endsWith("/login"));
  assert.equal(logins.length, 2);
  assert.deepEqual(logins[1].body, { external_id: "cust-7", jwt: "fresh-external-jwt", device_id: "d1" });
});

test("a logout stops the repeats of userSessionExpired", async () => {
  const server = fakeServer((path) => path.endsWith("/login") ? [200, LOGIN] : path === "/v1/logout" ? [200, { logged_out: true }] : EXPIRED);
  const timers = fakeTimers();
  const page = fakePage();
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers, visibility: page,
    now: () => Date.parse("2026-11-25T00:00:00Z") });
  const events = [];
  hub.on("userSessionExpired", () => events.push("expired"));
  await hub.login("jwt");
  await timers.runAll();
  assert.deepEqual(events, ["expired"]);
  await hub.logout();
  page.hide();
  page.show();
  assert.deepEqual(events, ["expired"]);
});
