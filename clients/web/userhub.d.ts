// Types of userhub.js (checked by `npm run typecheck`: tsc --noEmit over test/types.check.ts).

/** The API's error shape, or the client's own failure (status 0 for NETWORK_ERROR, TIMEOUT, ABORTED). */
export declare class UserhubError extends Error {
  readonly name: "UserhubError";
  /** HTTP status; 0 when no answer came back. */
  readonly status: number;
  /** The route's failure family (LOGIN_FAILED, ...), or CLIENT for the client's own failures. */
  readonly error: string;
  /** Always set: the API's reason, or NETWORK_ERROR, TIMEOUT, ABORTED, INVALID_RESPONSE. */
  readonly reason: string;
  readonly errors: Record<string, string>;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  /** From Retry-After (429, 503), when the server said. */
  readonly retryAfterSeconds: number | null;
}

export interface Identity {
  identifier: string;
  value: string;
  metadata?: Record<string, string>;
  verified?: boolean;
}

export interface User {
  id: string;
  anonymous: boolean;
  display_name: string;
  identities: Identity[];
  /** false for an unverified user-id login (unverified_reason says why). */
  verified?: boolean;
  unverified_reason?: string;
}

export interface Session {
  id: string;
  expires_at: string;
  refresh_at: string;
}

export interface LoginResult {
  session: Session;
  user: User;
  identitiesNotMoved: string[];
}

export interface LoginConfig {
  full_privacy_enabled?: boolean | string;
  clear_anonymous_user_on_login?: boolean | string;
  [key: string]: string | number | boolean | undefined;
}

export interface Expected {
  user_id?: string;
  user_email?: string;
}

/** HelpCrunch's user record. */
export interface UserRecord {
  user_id?: string | number;
  email?: string;
  name?: string;
  phone?: string;
  company?: string;
  security_hash?: string;
}

export interface CallOptions {
  /** Cancels the call (rejects with reason ABORTED). */
  signal?: AbortSignal;
  /** Overrides the client's timeoutMs for this call (rejects with reason TIMEOUT). */
  timeoutMs?: number;
  /** Overrides the client's maxRetries for this call. */
  maxRetries?: number;
}

export interface LogoutOptions extends CallOptions {
  /** Log straight back in as the device's anonymous user (Web Chat's behaviour after logout). */
  anonymous?: boolean;
}

export interface TokenRequest {
  userId?: string;
  userEmail?: string;
  /** refresh: refreshUserCredentials; expired: the session expired; invalid_session: a call found it ended. */
  reason: "refresh" | "expired" | "invalid_session";
}

export type TokenProvider = (request: TokenRequest) => Promise<string | null | undefined> | string | null | undefined;

export interface PersistStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface UserhubOptions {
  baseUrl: string;
  appId: string;
  /** Required unless persist is set (then a random one is kept in storage). */
  deviceId?: string;
  /** Keep the device id and the session in localStorage (or the storage given) across page loads. */
  persist?: boolean | { storage: PersistStorage };
  /** Called for a fresh identity token on refreshUserCredentials, on expiry and when a call finds the session ended. */
  tokenProvider?: TokenProvider;
  /** Web Chat's name for tokenProvider. */
  onLoginRequest?: TokenProvider;
  /** How long the token provider may take before the session is reported expired (default 5000). */
  loginRequestTimeoutMs?: number;
  /** Web Chat's clearAnonymousUserOnLogin: false keeps the device's anonymous user through an identified session. */
  clearAnonymousUserOnLogin?: boolean;
  /** Per-call timeout (default 10000 ms; 0 for none). */
  timeoutMs?: number;
  /** Retries of a 429/503 (after Retry-After) and of a network failure of a safe call (default 2). */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call rejects with retryAfterSeconds (default 10000). */
  maxRetryDelayMs?: number;
  /** Attribute batching window (default 300 ms). */
  flushDelayMs?: number;
  noticeCheckDelayMs?: number;
  fetch?: typeof fetch;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  visibility?: { visibilityState: string; addEventListener(type: "visibilitychange", listener: () => void): void } | null;
}

export interface SessionState {
  state: "active" | "refresh_due";
  session: Session;
  user: User;
  notices: { type: "refreshUserCredentials" | "userSessionExpired"; event_id: string; at: string }[];
}

export interface AttributesResult {
  applied: { global: string[]; app: string[] };
  ignored: { type: string; key: string; code: string }[];
  rejected: { type: string; key: string; code: string }[];
  invalid_core_attributes: string[];
  invalid_app_attributes: string[];
}

export interface Events {
  refreshUserCredentials: { session: Session; user: User };
  userSessionExpired: { session: Session | Record<string, never>; repeated?: boolean };
  runtimeError: UserhubError | Error;
}

export interface Userhub {
  login(identityToken: string, config?: LoginConfig, expected?: Expected, options?: CallOptions): Promise<LoginResult>;
  loginAnonymously(options?: CallOptions): Promise<LoginResult>;
  loginWithExternalId(externalId: string, jwt: string, options?: CallOptions): Promise<LoginResult>;
  loginWithUserId(user: UserRecord, options?: CallOptions): Promise<LoginResult>;
  addUserIdentities(identityToken: string, options?: CallOptions): Promise<Record<string, unknown>>;
  updateMasterAttributes(attributes: Record<string, unknown>): Promise<AttributesResult>;
  updateAppAttributes(attributes: Record<string, unknown>): Promise<AttributesResult>;
  flush(options?: CallOptions): Promise<AttributesResult | null>;
  getSession(options?: CallOptions): Promise<SessionState>;
  /** The persisted session, confirmed with the server; null when there is none or it ended. */
  restore(options?: CallOptions): Promise<{ session: Session; user: User } | null>;
  logout(options?: LogoutOptions): Promise<{ logged_out: boolean; anonymous?: LoginResult }>;
  on<E extends keyof Events>(event: E, listener: (detail: Events[E]) => void): () => void;
  readonly user: User | null;
  readonly session: Session | null;
  readonly deviceId: string;
}

export declare function createUserhub(options: UserhubOptions): Userhub;

export interface QueuedUpdate {
  type: "global" | "app";
  attributes: Record<string, unknown>;
}

export declare function enqueueUpdate(queue: QueuedUpdate[], type: "global" | "app", attributes: Record<string, unknown>): QueuedUpdate[];
