// Compiled by `npm run typecheck` (tsc --noEmit): the package's types as a page would use them.
import { createUserhub, UserhubError, type LoginResult, type Userhub } from "@userhub/web";

const hub: Userhub = createUserhub({
  baseUrl: "https://api.example.com",
  appId: "demo",
  persist: true,
  clearAnonymousUserOnLogin: false,
  tokenProvider: async ({ reason, userId }) => (reason === "refresh" && userId ? "jwt" : null),
});

async function page(): Promise<void> {
  const restored = await hub.restore();
  const login: LoginResult = restored ? { ...restored, identitiesNotMoved: [] } : await hub.loginAnonymously();
  const name: string = login.user.display_name;
  const controller = new AbortController();
  await hub.login("jwt", { full_privacy_enabled: false }, { user_id: "u-1" }, { signal: controller.signal, timeoutMs: 3000 });
  await hub.loginWithUserId({ user_id: 12345, email: "ada@example.com" });
  const applied = await hub.updateMasterAttributes({ first_name: name });
  const keys: string[] = applied.applied.global;
  hub.on("runtimeError", (error) => {
    if (error instanceof UserhubError) {
      const reason: string = error.reason;
      const wait: number | null = error.retryAfterSeconds;
      console.log(reason, wait, keys);
    }
  });
  const off = hub.on("userSessionExpired", ({ repeated }) => console.log(repeated));
  off();
  try {
    await hub.getSession({ timeoutMs: 1000 });
  } catch (e) {
    if (e instanceof UserhubError && e.status === 0) console.log(e.reason);
  }
  await hub.logout({ anonymous: true });
}

void page;
