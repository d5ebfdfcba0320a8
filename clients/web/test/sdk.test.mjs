// The SDK's failure handling, retries, timeouts, persistence, token provider, user-id login and
// clearAnonymousUserOnLogin, against fake fetches: node --test clients/web/test/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createUserhub, UserhubError } from "../userhub.js";

const LOGIN = {
  session_token: "demo.tok",
  session: { id: "s1", expires_at: "2999-01-01T00:00:00Z", refresh_at: "2998-12-31T23:30:00Z" },
  user: { id: "u1", anonymous: false, display_name: "Ada", identities: [{ identifier: "uid", value: "u-1" }] },
};

/** A fetch that answers from a list of scripted answers: [status, body, headers] or a function(init) that may throw. */
function scripted(...answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ path: url.replace("http://hub", ""), method: init.method, body: init.body ? JSON.parse(init.body) : undefined,
      auth: init.headers.authorization, signal: init.signal });
    const next = answers.length > 1 ? answers.shift() : answers[0];
    const answer = typeof next === "function" ? await next(init) : next;
    const [status, body, headers = {}] = answer;
    return {
      ok: status < 400, status,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
      text: async () => (typeof body === "string" ? body : JSON.stringify(body)),
    };
  };
  return { fetch, calls };
}

const quietTimers = { setTimer: () => 0, clearTimer: () => {}, visibility: null };

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => (items.has(k) ? items.get(k) : null), setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k), items };
}

test("every method returns a promise; before login they reject with SESSION_INVALID instead of throwing", async () => {
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: scripted([200, {}]).fetch, ...quietTimers });
  for (const attempt of [() => hub.getSession(), () => hub.addUserIdentities("t"), () => hub.updateMasterAttributes({ a: 1 }),
    () => hub.updateAppAttributes({ a: 1 }), () => hub.logout(), () => hub.flush(), () => hub.restore()]) {
    let result;
    assert.doesNotThrow(() => { result = attempt(); });
    assert.ok(result instanceof Promise);
    await result.then((value) => assert.ok(value === null || value === undefined), (e) => {
      assert.ok(e instanceof UserhubError);
      assert.equal(e.reason, "SESSION_INVALID");
      assert.equal(e.details.problem, "NOT_LOGGED_IN");
    });
  }
});

test("a network failure, a non-JSON answer and a timeout reject with UserhubError and a reason", async () => {
  const down = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", ...quietTimers, maxRetries: 0,
    fetch: async () => { throw new TypeError("fetch failed"); } });
  await assert.rejects(down.login("jwt"), (e) => e instanceof UserhubError && e.reason === "NETWORK_ERROR" && e.status === 0
    && e.cause instanceof TypeError);

  const proxy = scripted([502, "<html><body>Bad Gateway</body></html>"]);
  const behindProxy = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: proxy.fetch, ...quietTimers });
  await assert.rejects(behindProxy.login("jwt"), (e) => e instanceof UserhubError && e.status === 502
    && e.reason === "INVALID_RESPONSE" && e.details.body_start.includes("Bad Gateway"));

  const hanging = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", ...quietTimers, timeoutMs: 50,
    fetch: (url, init) => new Promise((resolve, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))) });
  const started = Date.now();
  await assert.rejects(hanging.login("jwt"), (e) => e instanceof UserhubError && e.reason === "TIMEOUT" && e.details.timeout_ms === 50);
  assert.ok(Date.now() - started < 2000);
});

test("a caller's AbortSignal cancels a call, and a per-call timeout overrides the client's", async () => {
  const hang = (url, init) => new Promise((resolve, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: hang, ...quietTimers, timeoutMs: 60000 });
  const controller = new AbortController();
  const pending = hub.login("jwt", {}, undefined, { signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, (e) => e.reason === "ABORTED");
  await assert.rejects(hub.login("jwt", {}, undefined, { timeoutMs: 30 }), (e) => e.reason === "TIMEOUT");
});

test("429 and 503 are retried after Retry-After; a 400 is not; a wait beyond the limit is not", async () => {
  const waits = [];
  const sleep = async (ms) => { waits.push(ms); };
  const busy = scripted([200, LOGIN], [503, { error: "SESSION_FAILED", reason: "SERVICE_BUSY", details: { retry_after_seconds: 1 }, request_id: "r" }, { "retry-after": "1" }],
    [429, { error: "UPDATE_GLOBAL_USER_DATA_FAILED", reason: "RATE_LIMITED", details: { retryAfterSeconds: 2 }, request_id: "r" }, { "retry-after": "2" }],
    [200, { state: "active", session: LOGIN.session, user: LOGIN.user, notices: [] }]);
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: busy.fetch, ...quietTimers, sleep });
  await hub.login("jwt");
  const state = await hub.getSession();
  assert.equal(state.state, "active");
  assert.deepEqual(waits, [1000, 2000]);
  assert.equal(busy.calls.filter((c) => c.path === "/v1/session").length, 3);

  const invalid = scripted([200, LOGIN], [400, { error: "UPDATE_GLOBAL_USER_DATA_FAILED", reason: "MAX_KEY_VALUES_LIMIT_EXCEEDED", request_id: "r" }]);
  const strict = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: invalid.fetch, ...quietTimers, sleep });
  await strict.login("jwt");
  const sent = strict.updateMasterAttributes({ a: 1 });
  await assert.rejects(strict.flush(), (e) => e.reason === "MAX_KEY_VALUES_LIMIT_EXCEEDED");
  await assert.rejects(sent);
  assert.equal(invalid.calls.filter((c) => c.path === "/v1/attributes").length, 1, "a 400 is final");

  waits.length = 0;
  const longWait = scripted([200, LOGIN], [429, { error: "X", reason: "RATE_LIMITED", request_id: "r" }, { "retry-after": "3600" }]);
  const patient = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: longWait.fetch, ...quietTimers, sleep });
  await patient.login("jwt");
  await assert.rejects(patient.getSession(), (e) => e.status === 429 && e.retryAfterSeconds === 3600);
  assert.deepEqual(waits, [], "an hour's wait is the caller's decision, not the client's");
});

test("a network failure is retried only for a call that is safe to repeat", async () => {
  let failures = 0;
  const flaky = scripted([200, LOGIN], async () => { failures++; throw new TypeError("fetch failed"); },
    [200, { state: "active", session: LOGIN.session, user: LOGIN.user, notices: [] }]);
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: flaky.fetch, ...quietTimers, sleep: async () => {} });
  await hub.login("jwt");
  assert.equal((await hub.getSession()).state, "active");
  assert.equal(failures, 1);

  const loginDown = scripted(async () => { throw new TypeError("fetch failed"); }, [200, LOGIN]);
  const once = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: loginDown.fetch, ...quietTimers, sleep: async () => {} });
  await assert.rejects(once.login("jwt"), (e) => e.reason === "NETWORK_ERROR");
  assert.equal(loginDown.calls.length, 1, "a login is not repeated blindly after a network failure");
});

test("persist keeps the device id and the session across page loads; restore confirms it with the server", async () => {
  const storage = memoryStorage();
  const first = scripted([200, LOGIN]);
  const page1 = createUserhub({ baseUrl: "http://hub", appId: "demo", persist: { storage }, fetch: first.fetch, ...quietTimers });
  await page1.login("jwt");
  const deviceId = page1.deviceId;
  assert.match(deviceId, /^web-/);
  assert.equal(first.calls[0].body.device_id, deviceId);

  const second = scripted([200, { state: "active", session: LOGIN.session, user: LOGIN.user, notices: [] }]);
  const page2 = createUserhub({ baseUrl: "http://hub", appId: "demo", persist: { storage }, fetch: second.fetch, ...quietTimers });
  assert.equal(page2.deviceId, deviceId, "the same device after a reload");
  assert.equal(page2.user.id, "u1");
  const restored = await page2.restore();
  assert.equal(restored.user.id, "u1");
  assert.equal(second.calls[0].auth, "Bearer demo.tok");

  const ended = scripted([401, { error: "SESSION_FAILED", reason: "SESSION_INVALID", request_id: "r" }]);
  const page3 = createUserhub({ baseUrl: "http://hub", appId: "demo", persist: { storage }, fetch: ended.fetch, ...quietTimers });
  assert.equal(await page3.restore(), null);
  assert.equal(page3.user, null);
  assert.equal(storage.getItem("userhub:demo:session"), null, "an ended session is forgotten");
  assert.equal(storage.getItem("userhub:demo:device_id"), deviceId, "the device stays");

  const page4 = createUserhub({ baseUrl: "http://hub", appId: "demo", persist: { storage }, fetch: first.fetch, ...quietTimers });
  await page4.login("jwt");
  await createUserhub({ baseUrl: "http://hub", appId: "demo", persist: { storage }, ...quietTimers,
    fetch: scripted([200, { logged_out: true }]).fetch }).logout();
  assert.equal(storage.getItem("userhub:demo:session"), null, "a logout forgets the session");
  assert.throws(() => createUserhub({ baseUrl: "http://hub", appId: "demo", fetch: first.fetch }), /deviceId/);
});

test("the token provider is asked when a call finds the session invalid, and the call is made again once", async () => {
  const relogged = { ...LOGIN, session_token: "demo.fresh", session: { ...LOGIN.session, id: "s2" } };
  const server = scripted([200, LOGIN], [401, { error: "ADD_USER_IDENTITY_FAILED", reason: "SESSION_INVALID", request_id: "r" }],
    [200, relogged], [200, { added: [] }]);
  const asked = [];
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...quietTimers,
    tokenProvider: async (who) => { asked.push(who); return "fresh-jwt"; } });
  const errors = [];
  hub.on("runtimeError", (e) => errors.push(e));
  await hub.login("jwt", { full_privacy_enabled: false });
  assert.deepEqual(await hub.addUserIdentities("more"), { added: [] });
  assert.equal(asked.length, 1);
  assert.equal(asked[0].reason, "invalid_session");
  assert.equal(asked[0].userId, "u-1");
  assert.deepEqual(server.calls.map((c) => c.path), ["/v1/apps/demo/login", "/v1/identities", "/v1/apps/demo/login", "/v1/identities"]);
  assert.equal(server.calls[2].body.identity_token, "fresh-jwt");
  assert.equal(server.calls[3].auth, "Bearer demo.fresh");
  assert.deepEqual(errors, [], "a session the provider renewed is no failure of the page's");

  const refusing = scripted([200, LOGIN], [401, { error: "SESSION_FAILED", reason: "SESSION_EXPIRED", request_id: "r" }]);
  const noToken = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: refusing.fetch, ...quietTimers,
    tokenProvider: async () => null });
  await noToken.login("jwt");
  await assert.rejects(noToken.getSession(), (e) => e.reason === "SESSION_EXPIRED");
  assert.equal(noToken.user, null, "without a new token the ended session is forgotten");
});

test("the token provider is called on refreshUserCredentials and the client logs in with its token", async () => {
  const pending = [];
  const timers = { setTimer: (fn) => { pending.push(fn); return pending.length; }, clearTimer: () => {}, visibility: null };
  const server = scripted([200, LOGIN], [200, { state: "refresh_due", session: LOGIN.session, user: LOGIN.user,
    notices: [{ type: "refreshUserCredentials", event_id: "e", at: "x" }] }], [200, { ...LOGIN, session_token: "demo.renewed" }]);
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...timers,
    tokenProvider: async ({ reason }) => (reason === "refresh" ? "renewed-jwt" : null) });
  await hub.login("jwt");
  await pending[0](); // the refresh timer
  assert.equal(server.calls[2].path, "/v1/apps/demo/login");
  assert.equal(server.calls[2].body.identity_token, "renewed-jwt");
});

test("user-id login sends HelpCrunch's user record", async () => {
  const server = scripted([200, { ...LOGIN, user: { ...LOGIN.user, verified: false, unverified_reason: "USER_ID_NOT_VERIFIED" } }]);
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...quietTimers });
  const result = await hub.loginWithUserId({ user_id: 12345, email: "ada@example.com", name: "Ada" });
  assert.deepEqual(server.calls[0].body, { user: { user_id: 12345, email: "ada@example.com", name: "Ada" }, device_id: "d1" });
  assert.equal(result.user.verified, false);
  await assert.rejects(hub.loginWithUserId(null), (e) => e.reason === "FIELD_INVALID");
});

test("clearAnonymousUserOnLogin goes with every login, in each mode, only when the page sets it", async () => {
  const server = scripted([200, LOGIN]);
  const keep = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: server.fetch, ...quietTimers,
    clearAnonymousUserOnLogin: false });
  await keep.login("jwt", { full_privacy_enabled: true });
  await keep.loginWithExternalId("cust-1", "ext-jwt");
  await keep.loginWithUserId({ user_id: "u-1" });
  assert.deepEqual(server.calls[0].body.config, { full_privacy_enabled: true, clear_anonymous_user_on_login: false });
  assert.deepEqual(server.calls[1].body.config, { clear_anonymous_user_on_login: false });
  assert.deepEqual(server.calls[2].body.config, { clear_anonymous_user_on_login: false });

  const plain = scripted([200, LOGIN]);
  const unset = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: plain.fetch, ...quietTimers });
  await unset.loginWithExternalId("cust-1", "ext-jwt");
  assert.equal(plain.calls[0].body.config, undefined);
});

test("a login is not repeated after a 503 (its write may have gone through); a gateway's own 429 still says RATE_LIMITED", async () => {
  const waits = [];
  const busy = scripted([503, { error: "LOGIN_FAILED", reason: "SERVICE_UNAVAILABLE", details: { retry_after_seconds: 1 }, request_id: "r" }, { "retry-after": "1" }],
    [200, LOGIN]);
  const hub = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: busy.fetch, ...quietTimers, sleep: async (ms) => { waits.push(ms); } });
  await assert.rejects(hub.login("jwt"), (e) => e.status === 503 && e.reason === "SERVICE_UNAVAILABLE" && e.retryAfterSeconds === 1);
  assert.equal(busy.calls.length, 1);
  assert.deepEqual(waits, []);

  const gateway = scripted([429, { message: "Too Many Requests" }, { "retry-after": "30" }]);
  const limited = createUserhub({ baseUrl: "http://hub", appId: "demo", deviceId: "d1", fetch: gateway.fetch, ...quietTimers,
    maxRetryDelayMs: 1000 });
  await assert.rejects(limited.login("jwt"), (e) => e.status === 429 && e.reason === "RATE_LIMITED" && e.retryAfterSeconds === 30);
});
