// userhub web client: a dependency-free ES module for web widgets and pages (README.md).
//
//   import { createUserhub } from "@userhub/web";
//   const hub = createUserhub({ baseUrl: "https://api.example.com", appId: "demo", persist: true,
//     tokenProvider: async ({ reason, userId }) => tokenFromYourBackend() });
//   await hub.restore();                                   // the session of the previous page load, if it still lives
//   await hub.login(identityTokenFromYourBackend);         // "" for the device's anonymous user
//   hub.updateMasterAttributes({ first_name: "Ada" });     // batched: one request per flush
//   await hub.logout();
//
// Every method returns a promise, and every failure rejects with a UserhubError whose `reason` is
// always set: the API's own reason, or NETWORK_ERROR, TIMEOUT, ABORTED, INVALID_RESPONSE.

/** The API's error shape ({status, error, reason, errors, details, requestId}), or the client's own failure. */
export class UserhubError extends Error {
  constructor(status, body, options = {}) {
    const reason = (body && body.reason) || options.reason || "INVALID_RESPONSE";
    super(options.message || `${status || "no answer"} ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UserhubError";
    this.status = status;
    this.error = (body && body.error) || options.error || "CLIENT";
    this.reason = reason;
    this.errors = (body && body.errors) || {};
    this.details = (body && body.details) || options.details || {};
    this.requestId = (body && body.request_id) || null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? retryAfterOf(this.details);
  }
}

function retryAfterOf(details) {
  const value = details.retry_after_seconds ?? details.retryAfterSeconds;
  return typeof value === "number" ? value : null;
}

const TAG_KEYS = ["new_tags", "tags_to_remove", "reset_tags"];
const SESSION_ENDED = ["SESSION_INVALID", "SESSION_EXPIRED"];

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

function randomDeviceId() {
  const uuid = globalThis.crypto && globalThis.crypto.randomUUID ? globalThis.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `web-${uuid}`;
}

function realSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    if (signal) signal.addEventListener("abort", () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

export function createUserhub(options) {
  if (!options || typeof options !== "object") throw new Error("createUserhub needs options: {baseUrl, appId, deviceId | persist}");
  const {
    baseUrl,
    appId,
    fetch: fetchImpl = globalThis.fetch && globalThis.fetch.bind(globalThis),
    flushDelayMs = 300,
    noticeCheckDelayMs = 1000,
    setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (id) => clearTimeout(id),
    now = () => Date.now(),
    loginRequestTimeoutMs = 5000,
    visibility = globalThis.document,
    timeoutMs = 10000,
    maxRetries = 2,
    retryBaseDelayMs = 500,
    maxRetryDelayMs = 10000,
    sleep = realSleep,
    persist = false,
    clearAnonymousUserOnLogin,
  } = options;
  // tokenProvider is the general name (Zendesk's loginUser(jwtCallback), Sendbird's
  // onSessionTokenRequired); onLoginRequest is Web Chat's name for the same hook.
  const tokenProvider = options.tokenProvider || options.onLoginRequest || null;
  const storage = persist ? (persist === true ? globalThis.localStorage : persist.storage) : null;
  if (persist && !storage) throw new Error("persist needs localStorage (or {storage} with getItem/setItem/removeItem)");
  if (!baseUrl || !appId) throw new Error("createUserhub needs baseUrl and appId");
  if (!options.deviceId && !storage) throw new Error("createUserhub needs a deviceId, or persist: true to keep one in localStorage");
  if (typeof fetchImpl !== "function") throw new Error("createUserhub needs fetch (Node 18+, any browser, or the fetch option)");

  const root = baseUrl.replace(/\/+$/, "");
  const storageKey = (name) => `userhub:${appId}:${name}`;
  const deviceId = options.deviceId || readStored("device_id") || randomDeviceId();
  if (storage) writeStored("device_id", deviceId);

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

  function readStored(name) {
    if (!storage) return null;
    try {
      return storage.getItem(storageKey(name));
    } catch (e) {
      return null; // storage disabled (private mode, quota): the client works without it
    }
  }

  function writeStored(name, value) {
    if (!storage) return;
    try {
      if (value === null) storage.removeItem(storageKey(name));
      else storage.setItem(storageKey(name), value);
    } catch (e) {
      // as above: persistence is best effort
    }
  }

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
  async function call(method, path, body, token, callOptions = {}) {
    try {
      return await request(method, path, body, token, callOptions);
    } catch (e) {
      if (!callOptions.quiet) notify("runtimeError", e);
      throw e;
    }
  }

  /**
   * Retries what is safe to retry: a 429 (refused before anything was written), and a 503 or a
   * network failure of a call that can be repeated without effect (idempotent: a 503 may come
   * from a dependency that was too slow, after a write went through). After Retry-After, or an
   * exponential back-off with jitter; never past maxRetries, nor a wait longer than maxRetryDelayMs.
   */
  async function request(method, path, body, token, callOptions) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(method, path, body, token, callOptions);
      } catch (e) {
        const wait = retryWait(e, attempt, callOptions);
        if (wait === null) throw e;
        try {
          await sleep(wait, callOptions.signal);
        } catch (aborted) {
          throw new UserhubError(0, null, { reason: "ABORTED", message: "the call was aborted", cause: aborted });
        }
      }
    }
  }

  function retryWait(e, attempt, callOptions) {
    if (!(e instanceof UserhubError) || attempt >= (callOptions.maxRetries ?? maxRetries)) return null;
    const backOff = Math.round(retryBaseDelayMs * 2 ** attempt * (0.5 + Math.random() / 2));
    let wait = null;
    if (e.status === 429 || (e.status === 503 && callOptions.idempotent)) {
      wait = e.retryAfterSeconds !== null ? e.retryAfterSeconds * 1000 : backOff;
    } else if (e.reason === "NETWORK_ERROR" && callOptions.idempotent) {
      wait = backOff;
    }
    return wait !== null && wait <= maxRetryDelayMs ? wait : null;
  }

  async function once(method, path, body, token, callOptions) {
    const headers = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const controller = new AbortController();
    const limit = callOptions.timeoutMs ?? timeoutMs;
    let timedOut = false;
    const timer = limit > 0 ? setTimeout(() => { timedOut = true; controller.abort(); }, limit) : null;
    const outer = callOptions.signal;
    const forward = () => controller.abort();
    if (outer) {
      if (outer.aborted) controller.abort();
      else outer.addEventListener("abort", forward, { once: true });
    }
    const failed = (cause) => timedOut
      ? new UserhubError(0, null, { reason: "TIMEOUT", message: `no answer within ${limit} ms`, cause, details: { timeout_ms: limit } })
      : controller.signal.aborted
        ? new UserhubError(0, null, { reason: "ABORTED", message: "the call was aborted", cause })
        : new UserhubError(0, null, { reason: "NETWORK_ERROR", message: `network failure: ${cause && cause.message}`, cause });
    try {
      let response;
      let text;
      try {
        if (controller.signal.aborted) throw new DOMException("aborted before it was sent", "AbortError");
        response = await fetchImpl(root + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: controller.signal,
        });
        text = await response.text();
      } catch (cause) {
        throw failed(cause);
      }
      let parsed = null;
      let readable = true;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch (e) {
        readable = false;
      }
      const retryAfter = response.headers && typeof response.headers.get === "function"
        ? Number.parseInt(response.headers.get("retry-after"), 10) : Number.NaN;
      const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : undefined;
      if (!readable || (parsed !== null && typeof parsed !== "object")) {
        // A proxy's HTML 502, a captive portal: say what came back instead of a null reason.
        throw new UserhubError(response.status, null, {
          reason: "INVALID_RESPONSE", retryAfterSeconds,
          message: `${response.status} answered with a body that is not the API's JSON`,
          details: { status: response.status, body_start: String(text).slice(0, 120) },
        });
      }
      if (!response.ok) {
        // A gateway's own JSON ({"message": "Too Many Requests"}) has no reason: the status gives one.
        const byStatus = { 429: "RATE_LIMITED", 503: "SERVICE_UNAVAILABLE" }[response.status] || "INVALID_RESPONSE";
        throw new UserhubError(response.status, parsed, { reason: parsed && parsed.reason ? undefined : byStatus, retryAfterSeconds });
      }
      return parsed;
    } finally {
      if (timer !== null) clearTimeout(timer);
      if (outer) outer.removeEventListener("abort", forward);
    }
  }

  /** A call on the session: when the server says the session is gone, the token provider gets one chance to log in again. */
  async function sessionCall(method, path, body, callOptions = {}) {
    const token = requireSession();
    try {
      return await call(method, path, body, token, { ...callOptions, quiet: Boolean(tokenProvider) || callOptions.quiet });
    } catch (e) {
      const ended = e instanceof UserhubError && e.status === 401 && SESSION_ENDED.includes(e.reason);
      if (ended && tokenProvider && token === sessionToken && (await loginOnRequest("invalid_session"))) {
        return call(method, path, body, sessionToken, callOptions);
      }
      if (tokenProvider && !callOptions.quiet) notify("runtimeError", e);
      if (ended && token === sessionToken) forget();
      throw e;
    }
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
      const state = await call("GET", "/v1/session", undefined, token, { quiet: true, idempotent: true });
      const noticed = (state.notices || []).some((n) => n.type === event);
      if (noticed) {
        if (event === "refreshUserCredentials") {
          emit(event, { session: state.session, user: state.user });
          if (tokenProvider) await loginOnRequest("refresh");
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
  // hand over a fresh token through the token provider; only if it cannot is userSessionExpired
  // reported. Both notice timers may find the session expired: one request to the page serves both.
  let expiring = null;
  function expired() {
    if (expiredSession) return Promise.resolve(); // already reported: the page was asked once
    if (!expiring) {
      const expiredOne = session;
      expiring = (async () => {
        if (tokenProvider && (await loginOnRequest("expired"))) return;
        if (session === expiredOne) {
          emit("userSessionExpired", { session: expiredOne });
          writeStored("session", null);
        }
      })().finally(() => {
        expiring = null;
      });
    }
    return expiring;
  }

  /** Asks the page for a token and logs in with it; false when it gave none in time or the login failed. */
  let asking = null;
  function loginOnRequest(reason) {
    if (!asking) asking = askForToken(reason).finally(() => { asking = null; });
    return asking;
  }

  async function askForToken(reason) {
    const previous = lastLogin || { mode: "identities", config: {}, expected: undefined };
    if (previous.mode === "user_id") return false; // user-id logins carry no token to renew
    const identities = (user && user.identities) || [];
    const find = (identifier) => (identities.find((i) => i.identifier === identifier) || {}).value;
    let timer = null;
    const timeout = new Promise((resolve) => {
      timer = setTimer(() => resolve(null), loginRequestTimeoutMs);
    });
    try {
      const asked = Promise.resolve().then(() => tokenProvider({ userId: find("uid"), userEmail: find("email"), reason }));
      const token = await Promise.race([asked, timeout]);
      if (typeof token !== "string" || token === "") return false;
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

  function started(body, login) {
    expiredSession = null;
    sessionToken = body.session_token;
    session = body.session;
    user = body.user;
    lastLogin = login;
    writeStored("session", JSON.stringify({ session_token: sessionToken, session, user, login }));
    scheduleNotices();
    return { session, user, identitiesNotMoved: body.identities_not_moved || [] };
  }

  function forget() {
    clearNoticeTimers();
    expiredSession = null;
    sessionToken = null;
    session = null;
    user = null;
    writeStored("session", null);
  }

  function requireSession() {
    if (!sessionToken) {
      throw new UserhubError(401, { error: "CLIENT", reason: "SESSION_INVALID", details: { problem: "NOT_LOGGED_IN" } },
        { message: "not logged in: call login() first" });
    }
    return sessionToken;
  }

  /** Web Chat's clearAnonymousUserOnLogin, sent with every login when the page set it. */
  function withClearAnonymous(config) {
    if (clearAnonymousUserOnLogin === undefined) return config;
    return { ...(config || {}), clear_anonymous_user_on_login: Boolean(clearAnonymousUserOnLogin) };
  }

  async function loginWith(body, login, callOptions) {
    await hub.flush().catch(() => {});
    const answer = await call("POST", `/v1/apps/${encodeURIComponent(appId)}/login`, body, sessionToken, callOptions);
    return started(answer, login);
  }

  // The session a previous page load persisted, while it has not expired; restore() confirms it.
  const stored = readStored("session");
  if (stored) {
    try {
      const saved = JSON.parse(stored);
      if (saved && saved.session_token && Date.parse(saved.session.expires_at) > now()) {
        sessionToken = saved.session_token;
        session = saved.session;
        user = saved.user;
        lastLogin = saved.login || null;
        scheduleNotices();
      } else {
        writeStored("session", null);
      }
    } catch (e) {
      writeStored("session", null);
    }
  }

  const hub = {
    /** Logs in with an identities JWT from your backend ("" = anonymous); replaces this client's session. */
    login(identityToken, config = {}, expected, callOptions = {}) {
      const body = { identity_token: identityToken || "", config: withClearAnonymous(config), device_id: deviceId };
      if (expected) body.expected = expected;
      return loginWith(body, { mode: "identities", config, expected }, callOptions);
    },

    /** The device's anonymous user (the same one until the device logs in with an identity, see clearAnonymousUserOnLogin). */
    loginAnonymously(callOptions = {}) {
      return hub.login("", {}, undefined, callOptions);
    },

    /** External-id login (Sunshine Conversations style JWT with kid and scope "user"). */
    loginWithExternalId(externalId, jwt, callOptions = {}) {
      const body = { external_id: externalId, jwt, device_id: deviceId };
      const config = withClearAnonymous(undefined);
      if (config) body.config = config;
      return loginWith(body, { mode: "external_id", externalId }, callOptions);
    },

    /**
     * HelpCrunch's user-id login: {user_id, email?, name?, phone?, company?, security_hash?}.
     * Without the app's HMAC verification (security_hash) the user is unverified (user.verified false).
     */
    loginWithUserId(userRecord, callOptions = {}) {
      if (!userRecord || typeof userRecord !== "object") {
        return Promise.reject(new UserhubError(400, { error: "CLIENT", reason: "FIELD_INVALID", errors: { user: "INVALID_VALUE_TYPE" } }));
      }
      const body = { user: userRecord, device_id: deviceId };
      const config = withClearAnonymous(undefined);
      if (config) body.config = config;
      return loginWith(body, { mode: "user_id" }, callOptions);
    },

    async addUserIdentities(identityToken, callOptions = {}) {
      return sessionCall("POST", "/v1/identities", { identity_token: identityToken }, callOptions);
    },

    /** Global ("master") attributes; batched with the app attributes into one request per flush. */
    async updateMasterAttributes(attributes) {
      return schedule("global", attributes);
    },

    async updateAppAttributes(attributes) {
      return schedule("app", attributes);
    },

    /** Sends the queued attribute updates now, in one request. */
    async flush(callOptions = {}) {
      if (flushTimer !== null) {
        clearTimer(flushTimer);
        flushTimer = null;
      }
      if (queue.length === 0) return pendingFlush ? pendingFlush.promise : null;
      const updates = queue;
      const waiting = pendingFlush;
      queue = [];
      pendingFlush = null;
      // Repeating a batch is harmless (values are set, tags added or removed as sets): safe to retry.
      const sent = sessionCall("POST", "/v1/attributes", { updates }, { ...callOptions, idempotent: true });
      if (waiting) sent.then(waiting.resolve, waiting.reject);
      return sent;
    },

    async getSession(callOptions = {}) {
      return sessionCall("GET", "/v1/session", undefined, { ...callOptions, idempotent: true });
    },

    /**
     * The session a previous page load kept (persist: true), confirmed with the server: its state
     * and user, or null when there was none or it has ended (then it is forgotten).
     */
    async restore(callOptions = {}) {
      if (!sessionToken) return null;
      try {
        const state = await call("GET", "/v1/session", undefined, sessionToken, { ...callOptions, idempotent: true, quiet: true });
        user = state.user || user;
        return { session: state.session || session, user };
      } catch (e) {
        if (e instanceof UserhubError && e.status === 401) {
          forget();
          return null;
        }
        throw e;
      }
    },

    /**
     * Sends what is queued, ends the session, and forgets it. With {anonymous: true} the widget
     * goes back to an anonymous user at once, as Web Chat does after logout: the device's previous
     * anonymous user or a new one, as clearAnonymousUserOnLogin and the app's anonymous policy say.
     */
    async logout(logoutOptions = {}) {
      const token = requireSession();
      await hub.flush().catch(() => {});
      clearNoticeTimers();
      // A second logout of the same session answers 200: repeating it is safe.
      const result = await call("POST", "/v1/logout", undefined, token, { ...logoutOptions, idempotent: true });
      forget();
      if (logoutOptions.anonymous) {
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

    get deviceId() {
      return deviceId;
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
