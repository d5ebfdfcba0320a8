// Example consumer of userhub's session notices (see template.yaml). The detail carries
// app_id, user_id, session_id, device_id, expires_at and event_id; never a token.
// EventBridge delivers at least once: event_id is stable per session and notice, so a consumer
// drops what it has seen (here in memory; use a conditional write in a table for real).
const seen = new Set();

export async function handler(event) {
  const detail = event.detail || {};
  if (!detail.event_id || seen.has(detail.event_id)) {
    return { handled: false, reason: detail.event_id ? "duplicate" : "no event_id" };
  }
  seen.add(detail.event_id);
  switch (event["detail-type"]) {
    case "refreshUserCredentials":
      // e.g. push a silent notification so the app fetches a fresh identity token and logs in again
      console.log(JSON.stringify({ action: "ask-app-to-refresh", app_id: detail.app_id, user_id: detail.user_id, device_id: detail.device_id }));
      return { handled: true, action: "refresh", user_id: detail.user_id };
    case "userSessionExpired":
      // e.g. close the support conversation's live session for that device
      console.log(JSON.stringify({ action: "session-ended", app_id: detail.app_id, user_id: detail.user_id, session_id: detail.session_id }));
      return { handled: true, action: "expired", user_id: detail.user_id };
    default:
      return { handled: false, reason: "unknown detail-type" };
  }
}
