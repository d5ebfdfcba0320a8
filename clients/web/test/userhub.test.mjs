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
    async runAll() {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, t] of due) await t.fn();
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
  assert.throws(() => hub.updateMasterAttributes({ a: 1 }), (e) => e.reason === "SESSION_INVALID");
});
