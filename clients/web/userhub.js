// userhub web client: a dependency-free ES module for web widgets and pages.
//
//   import { createUserhub } from "./userhub.js";
//   const hub = createUserhub({ baseUrl: "https://api.example.com", appId: "demo", deviceId: "browser-1" });
//   hub.on("refreshUserCredentials", () => { /* fetch a new identity token from your backend, hub.login(it) */ });
//   hub.on("userSessionExpired", () => { /* sign the user in again */ });   // again each time the page is shown, until a login
//   hub.on("runtimeError", (error) => { /* every failed request, background flushes included: a UserhubError */ });
//
// With onLoginRequest (Web Chat's event of that name), the client asks your page for a fresh
// identity token itself when the session is due for refresh or has expired, and logs in with it:
//   createUserhub({ ..., onLoginRequest: async ({ userId, userEmail, reason }) => tokenFromYourBackend });
// It waits loginRequestTimeoutMs (5 s, as Web Chat does) before it reports userSessionExpired.
//   await hub.login(identityTokenFromYourBackend, { full_privacy_enabled: false });
//   hub.updateMasterAttributes({ first_name: "Ada" });   // batched: one request per flush
//   hub.updateAppAttributes({ app_version: "2.4.1" });
//   await hub.logout();
//
// Every failure rejects with a UserhubError carrying the API's error shape
// ({status, error, reason, errors, details, requestId}).

export class UserhubError extends Error {
  constructor(status, body) {
    super(`${status} ${body && body.reason ? body.reason : "REQUEST_FAILED"}`);
    this.name = "UserhubError";
    this.status = status;
    this.error = body && body.error;
    this.reason = body && body.reason;
    this.errors = (body && body.errors) || {};
    this.details = (body && body.details) || {};
    this.requestId = body && body.request_id;
  }
}

const TAG_KEYS = ["new_tags", "tags_to_remove", "reset_tags"];

/**
 * Adds an attribute update to a queue, merging it into the last queued update of the same type
 * when order cannot matter (later values win key by key); tag operations keep their own update,
 * because their order changes the result (reset, then add, then remove).
 */
export function enqueueUpdate(queue, type, attributes) {
  const hasTags = (attrs) => Object.keys(attrs).some((k) => TAG_KEYS.includes(k));
  const last = queue[queue.length - 1];
  if (last && last.type === type && !hasTags(last.attributes) && !hasTags(attributes)) {
    last.attributes = { ...last.attributes, ...attributes };
  } else {
    queue.push({ type, attributes: { ...attributes } });
  }
  return queue;
}

export function createUserhub(options) {
  const {
    baseUrl,
    appId,
    deviceId,
    fetch: fetchImpl = globalThis.fetch.bind(globalThis),
    flushDelayMs = 300,
    noticeCheckDelayMs = 1000,
    setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (id) => clearTimeout(id),
    now = () => Date.now(),
    onLoginRequest = null,
    loginRequestTimeoutMs = 5000,
    visibility = globalThis.document,
  } = options;
  if (!baseUrl || !appId || !deviceId) {
    throw new Error("createUserhub needs baseUrl, appId and deviceId");
  }
  const root = baseUrl.replace(/\/+$/, "");
  const listeners = { refreshUserCredentials: [], userSessionExpired: [], runtimeError: [] };
  let sessionToken = null;
  let session = null;
  let user = null;
  let queue = [];
  let flushTimer = null;
  let pendingFlush = null;
  let noticeTimers = [];
  let lastLogin = null;
  // Set once userSessionExpired was reported, cleared by the next login: while set, the event is
  // repeated each time the page becomes visible (the Helpshift SDK repeats it "on each app foreground").
  let expiredSession = null;
  const emitted = new Set();

  if (visibility && typeof visibility.addEventListener === "function") {
    visibility.addEventListener("visibilitychange", () => {
      if (expiredSession && visibility.visibilityState === "visible") {
        notify("userSessionExpired", { session: expiredSession, repeated: true });
      }
    });
  }

  /**
   * Every failed request is also reported through the runtimeError event (Web Chat's
   * onWebChatRuntimeError); the client's own session checks (quiet) are not failures of the page's.
   */
  async function call(method, path, body, token, options = {}) {
    try {
      return await request(method, path, body, token);
    } catch (e) {
      if (!options.quiet) notify("runtimeError", e);
      throw e;
    }
  }

  async function request(method, path, body, token) {
    const headers = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetchImpl(root + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch (e) {
      parsed = null;
    }
    if (!response.ok) throw new UserhubError(response.status, parsed);
    return parsed;
  }

  function emit(event, detail) {
    const key = `${event}:${session ? session.id : ""}`;
    if (emitted.has(key)) return;
    emitted.add(key);
    if (event === "userSessionExpired") expiredSession = session || (detail && detail.session) || {};
    notify(event, detail);
  }

  function notify(event, detail) {
    for (const listener of listeners[event]) {
      try {
        listener(detail);
      } catch (e) {
        // a listener's failure must not stop the others
      }
    }
  }

  function clearNoticeTimers() {
    noticeTimers.forEach(clearTimer);
    noticeTimers = [];
  }

  // Timers at the session's refresh and expiry times; each is confirmed with GET /v1/session, so
  // a notice the server has not sent yet (the notifiers run every minute) is checked again.
  function scheduleNotices() {
    clearNoticeTimers();
    if (!session) return;
    const refreshIn = Math.max(0, Date.parse(session.refresh_at) - now());
    const expiresIn = Math.max(0, Date.parse(session.expires_at) - now());
    noticeTimers.push(setTimer(() => confirm("refreshUserCredentials", 0), refreshIn));
    noticeTimers.push(setTimer(() => confirm("userSessionExpired", 0), expiresIn));
  }

  async function confirm(event, attempt) {
    const token = sessionToken;
    if (!token) return;
    try {
      const state = await call("GET", "/v1/session", undefined, token, { quiet: true });
      const noticed = (state.notices || []).some((n) => n.type === event);
      if (noticed) {
        if (event === "refreshUserCredentials") {
          emit(event, { session: state.session, user: state.user });
          if (onLoginRequest) await loginOnRequest("refresh");
        } else {
          await expired();
        }
        return;
      }
    } catch (e) {
      if (e instanceof UserhubError && e.reason === "SESSION_EXPIRED") {
        await expired();
        return;
      }
      if (e instanceof UserhubError && e.status === 401) return; // logged out or replaced
    }
    if (attempt < 90 && token === sessionToken) {
      noticeTimers.push(setTimer(() => confirm(event, attempt + 1), noticeCheckDelayMs));
    }
  }

  // Web Chat: before the session-expired state is shown, the page gets loginRequestTimeoutMs to
  // hand over a fresh token through onLoginRequest; only if it cannot is userSessionExpired reported.
  // Both notice timers may find the session expired: one request to the page serves both.
  let expiring = null;
  function expired() {
    if (expiredSession) return Promise.resolve(); // already reported: the page was asked once
    if (!expiring) {
      const expiredOne = session;
      expiring = (async () => {
        if (onLoginRequest && (await loginOnRequest("expired"))) return;
        if (session === expiredOne) emit("userSessionExpired", { session: expiredOne });
      })().finally(() => {
        expiring = null;
      });
    }
    return expiring;
  }

  /** Asks the page for a token and logs in with it; false when it gave none in time or the login failed. */
  async function loginOnRequest(reason) {
    const identities = (user && user.identities) || [];
    const find = (identifier) => (identities.find((i) => i.identifier === identifier) || {}).value;
    let timer = null;
    const timeout = new Promise((resolve) => {
      timer = setTimer(() => resolve(null), loginRequestTimeoutMs);
    });
    try {
      const asked = Promise.resolve().then(() => onLoginRequest({ userId: find("uid"), userEmail: find("email"), reason }));
      const token = await Promise.race([asked, timeout]);
      if (typeof token !== "string" || token === "") return false;
      const previous = lastLogin || { mode: "identities", config: {}, expected: undefined };
      if (previous.mode === "external_id") {
        await hub.loginWithExternalId(previous.externalId, token);
      } else {
        await hub.login(token, previous.config, previous.expected);
      }
      return true;
    } catch (e) {
      if (!(e instanceof UserhubError)) notify("runtimeError", e);
      return false;
    } finally {
      clearTimer(timer);
    }
  }

  function started(body) {
    expiredSession = null;
    sessionToken = body.session_token;
    session = body.session;
    user = body.user;
    scheduleNotices();
    return { session, user, identitiesNotMoved: body.identities_not_moved || [] };
  }

  function requireSession() {
    if (!sessionToken) throw new UserhubError(401, { error: "CLIENT", reason: "SESSION_INVALID", details: { problem: "NOT_LOGGED_IN" } });
    return sessionToken;
  }

  const hub = {
    /** Logs in with an identities JWT from your backend ("" = anonymous); replaces this client's session. */
    async login(identityToken, config = {}, expected) {
      await hub.flush().catch(() => {});
      const body = { identity_token: identityToken || "", config, device_id: deviceId };
      if (expected) body.expected = expected;
      lastLogin = { mode: "identities", config, expected };
      return started(await call("POST", `/v1/apps/${encodeURIComponent(appId)}/login`, body, sessionToken));
    },

    /** The device's anonymous user (the same one until the device logs in with an identity). */
    loginAnonymously() {
      return hub.login("");
    },

    /** External-id login (Sunshine Conversations style JWT with kid and scope "user"). */
    async loginWithExternalId(externalId, jwt) {
      await hub.flush().catch(() => {});
      const body = { external_id: externalId, jwt, device_id: deviceId };
      lastLogin = { mode: "external_id", externalId };
      return started(await call("POST", `/v1/apps/${encodeURIComponent(appId)}/login`, body, sessionToken));
    },

    addUserIdentities(identityToken) {
      return call("POST", "/v1/identities", { identity_token: identityToken }, requireSession());
    },

    /** Global ("master") attributes; batched with the app attributes into one request per flush. */
    updateMasterAttributes(attributes) {
      return schedule("global", attributes);
    },

    updateAppAttributes(attributes) {
      return schedule("app", attributes);
    },

    /** Sends the queued attribute updates now, in one request. */
    flush() {
      if (flushTimer !== null) {
        clearTimer(flushTimer);
        flushTimer = null;
      }
      if (queue.length === 0) return pendingFlush ? pendingFlush.promise : Promise.resolve(null);
      const updates = queue;
      const waiting = pendingFlush;
      queue = [];
      pendingFlush = null;
      const sent = call("POST", "/v1/attributes", { updates }, requireSession());
      if (waiting) sent.then(waiting.resolve, waiting.reject);
      return sent;
    },

    getSession() {
      return call("GET", "/v1/session", undefined, requireSession());
    },

    /**
     * Sends what is queued, ends the session, and forgets it. With {anonymous: true} the widget
     * goes back to an anonymous user at once, as Web Chat does after logout: the server decides,
     * by the app's anonymous policy, whether that is the device's previous anonymous user or a new one.
     */
    async logout(options = {}) {
      const token = requireSession();
      await hub.flush().catch(() => {});
      clearNoticeTimers();
      const result = await call("POST", "/v1/logout", undefined, token);
      expiredSession = null;
      sessionToken = null;
      session = null;
      user = null;
      if (options.anonymous) {
        return { ...result, anonymous: await hub.loginAnonymously() };
      }
      return result;
    },

    on(event, listener) {
      if (!listeners[event]) throw new Error(`unknown event ${event}`);
      listeners[event].push(listener);
      return () => {
        listeners[event] = listeners[event].filter((l) => l !== listener);
      };
    },

    get user() {
      return user;
    },

    get session() {
      return session;
    },
  };

  function schedule(type, attributes) {
    requireSession();
    enqueueUpdate(queue, type, attributes);
    if (!pendingFlush) {
      let resolve;
      let reject;
      const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
      });
      pendingFlush = { promise, resolve, reject };
    }
    const waiting = pendingFlush.promise;
    if (flushTimer !== null) clearTimer(flushTimer);
    flushTimer = setTimer(() => {
      flushTimer = null;
      hub.flush().catch(() => {});
    }, flushDelayMs);
    return waiting;
  }

  return hub;
}
