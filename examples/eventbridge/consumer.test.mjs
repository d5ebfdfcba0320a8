// node --test examples/eventbridge/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { handler } from "./consumer.mjs";

const event = (type, id) => ({
  source: "userhub.sessions",
  "detail-type": type,
  detail: { event_id: id, app_id: "demo", user_id: "u1", session_id: "s1", device_id: "d1", expires_at: "2026-11-25T00:00:00Z" },
});

test("each notice is handled once, duplicates by event_id are dropped", async () => {
  assert.deepEqual(await handler(event("refreshUserCredentials", "e-1")), { handled: true, action: "refresh", user_id: "u1" });
  assert.deepEqual(await handler(event("refreshUserCredentials", "e-1")), { handled: false, reason: "duplicate" });
  assert.deepEqual(await handler(event("userSessionExpired", "e-2")), { handled: true, action: "expired", user_id: "u1" });
});

test("the rule matches what userhub publishes", () => {
  const template = readFileSync(new URL("./template.yaml", import.meta.url), "utf8");
  assert.match(template, /source: \[userhub\.sessions\]/);
  assert.match(template, /detail-type: \[refreshUserCredentials, userSessionExpired\]/);
});
