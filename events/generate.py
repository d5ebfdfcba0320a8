#!/usr/bin/env python3
"""Writes the sample API Gateway payload-2.0 events of this folder.

The tokens inside are signed with a fixed, public test key (never use it in production):
    app_id  demo            kid  events-key
    secret  userhub-events-secret-not-for-production
    api key uh_events_api_key_not_for_production
and issued at --iat (default 2026-11-24T12:00:00Z). Session-route events carry
"Bearer REPLACE_WITH_SESSION_TOKEN": put the session_token of a login there. Identity tokens are accepted for 24 hours
after iat; tests pin their clock to that instant. To use the events with `sam local invoke`
later, regenerate them with --iat now:   python3 events/generate.py --iat now
"""
import argparse, base64, hashlib, hmac, json, os, time

KID = "events-key"
SECRET = "userhub-events-secret-not-for-production"
API_KEY = "uh_events_api_key_not_for_production"
APP_ID = "demo"
# Session routes need a live session: replace this with the session_token a login returned.
SESSION_PLACEHOLDER = "REPLACE_WITH_SESSION_TOKEN"
# Server routes on one user: replace with the user.id a login returned.
USER_PLACEHOLDER = "REPLACE_WITH_USER_ID"
# Webhook operations on one endpoint: put the id a POST .../webhooks returned here; as written it is 404 WEBHOOK_ENDPOINT_NOT_FOUND.
NO_ENDPOINT_ID = "ep_000000000000000000000000"
# Unmerge: put the merge_id of a login's audit record here (GET .../users/{id}/audit?kind=login); as written it is 404 MERGE_NOT_FOUND.
NO_MERGE_ID = "0000000000000000"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(payload: dict, kid=KID) -> str:
    header = {"alg": "HS256", "typ": "JWT", "kid": kid}
    signing_input = b64(json.dumps(header, separators=(",", ":")).encode()) + "." + b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


def event(method, route, path, body=None, headers=None, path_parameters=None, iat=0):
    all_headers = {"accept": "application/json", "host": "localhost:8080", "user-agent": "curl/8.5.0"}
    if body is not None:
        all_headers["content-type"] = "application/json"
    all_headers.update(headers or {})
    ev = {
        "version": "2.0",
        "routeKey": route if route == "$default" else f"{method} {route}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "localhost",
            "domainPrefix": "localhost",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "curl/8.5.0"},
            "requestId": "sample-" + path.strip("/").replace("/", "-"),
            "routeKey": route if route == "$default" else f"{method} {route}",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(iat)),
            "timeEpoch": iat * 1000,
        },
        "isBase64Encoded": False,
    }
    if path_parameters:
        ev["pathParameters"] = path_parameters
    if body is not None:
        ev["body"] = json.dumps(body)
    return ev


def audit_event(iat):
    ev = event("GET", "/v1/apps/{appId}/audit", f"/v1/apps/{APP_ID}/audit", headers={"authorization": "Bearer " + API_KEY},
               path_parameters={"appId": APP_ID}, iat=iat)
    ev["rawQueryString"] = "kind=login&limit=20"
    ev["queryStringParameters"] = {"kind": "login", "limit": "20"}
    return ev


def lookup_event(iat):
    ev = event("GET", "/v1/apps/{appId}/users", f"/v1/apps/{APP_ID}/users", headers={"authorization": "Bearer " + API_KEY},
               path_parameters={"appId": APP_ID}, iat=iat)
    ev["rawQueryString"] = "identifier=email&value=ada%40example.com"
    ev["queryStringParameters"] = {"identifier": "email", "value": "ada@example.com"}
    return ev


def csv_event(iat):
    ev = event("POST", "/v1/apps/{appId}/users/import", f"/v1/apps/{APP_ID}/users/import",
               headers={"authorization": "Bearer " + API_KEY, "content-type": "text/csv"}, path_parameters={"appId": APP_ID}, iat=iat)
    ev["body"] = "user_id,email,name,phone,company,plan\nhc-2001,lin@example.com,Lin Wei,+15550123,Acme,gold\nhc-2002,sam@example.com,Sam Ode,,Acme,silver\n"
    return ev


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iat", default="1795521600", help="epoch seconds, or 'now'")
    args = parser.parse_args()
    iat = int(time.time()) if args.iat == "now" else int(args.iat)
    here = os.path.dirname(os.path.abspath(__file__))
    login = "/v1/apps/{appId}/login"
    tokens = "/v1/apps/{appId}/tokens"
    params = {"appId": APP_ID}
    identities_token = sign({"identities": [{"identifier": "uid", "value": "user-42"},
                                            {"identifier": "email", "value": "ada@example.com", "metadata": {"source": "signup"}}],
                             "iat": iat})
    external_token = sign({"scope": "user", "external_id": "customer-7", "iat": iat})
    files = {
        "login-identities.json": event("POST", login, f"/v1/apps/{APP_ID}/login", {
            "identity_token": identities_token, "config": {"full_privacy_enabled": False},
            "device_id": "sample-phone-1", "expected": {"user_id": "user-42"}}, path_parameters=params, iat=iat),
        "login-anonymous.json": event("POST", login, f"/v1/apps/{APP_ID}/login", {
            "identity_token": "", "device_id": "sample-phone-2"}, path_parameters=params, iat=iat),
        "login-external-id.json": event("POST", login, f"/v1/apps/{APP_ID}/login", {
            "external_id": "customer-7", "jwt": external_token, "device_id": "sample-browser-1"}, path_parameters=params, iat=iat),
        "login-user-id.json": event("POST", login, f"/v1/apps/{APP_ID}/login", {
            "user": {"user_id": "hc-1001", "email": "grace@example.com", "name": "Grace Hopper", "phone": "+15550100",
                     "company": "Navy", "security_hash": "a-secret-per-user-hash"},
            "device_id": "sample-laptop-1"}, path_parameters=params, iat=iat),
        "mint-identities.json": event("POST", tokens, f"/v1/apps/{APP_ID}/tokens", {
            "identities": [{"identifier": "uid", "value": "user-42"}, {"identifier": "email", "value": "ada@example.com"}],
            "expires_in": 3600}, headers={"authorization": "Bearer " + API_KEY}, path_parameters=params, iat=iat),
        "mint-external-id.json": event("POST", tokens, f"/v1/apps/{APP_ID}/tokens", {"external_id": "customer-7"},
                                       headers={"authorization": "Bearer " + API_KEY}, path_parameters=params, iat=iat),
        "identities-add.json": event("POST", "/v1/identities", "/v1/identities", {
            "identity_token": sign({"identities": [{"identifier": "phone_number", "value": "+15550142"},
                                                   {"identifier": "steam_id", "value": "76561198000000000"}], "iat": iat})},
            headers={"authorization": "Bearer " + SESSION_PLACEHOLDER}, iat=iat),
        "attributes-batch.json": event("POST", "/v1/attributes", "/v1/attributes", {"updates": [
            {"type": "global", "attributes": {"first_name": "Ada", "last_city": "London", "new_tags": ["beta", "vip"],
                                              "custom_user_fields": {"plan": "gold"}}},
            {"type": "app", "attributes": {"app_version": "2.4.1", "country": "GB"}}]},
            headers={"authorization": "Bearer " + SESSION_PLACEHOLDER}, iat=iat),
        "session-get.json": event("GET", "/v1/session", "/v1/session",
                                  headers={"authorization": "Bearer " + SESSION_PLACEHOLDER}, iat=iat),
        "logout.json": event("POST", "/v1/logout", "/v1/logout",
                             headers={"authorization": "Bearer " + SESSION_PLACEHOLDER}, iat=iat),
        "not-found.json": event("GET", "$default", "/v1/no-such-route", iat=iat),
        "console-page.json": event("GET", "/console", "/console", headers={"accept": "text/html"}, iat=iat),
        "console-script.json": event("GET", "/console/{file}", "/console/console.js", path_parameters={"file": "console.js"},
                                     iat=iat),
        "users-1-lookup.json": lookup_event(iat),
        "users-2-end-sessions.json": event("POST", "/v1/apps/{appId}/users/{userId}/logout",
                                           f"/v1/apps/{APP_ID}/users/{USER_PLACEHOLDER}/logout",
                                           headers={"authorization": "Bearer " + API_KEY},
                                           path_parameters={"appId": APP_ID, "userId": USER_PLACEHOLDER}, iat=iat),
        "users-2-export.json": event("GET", "/v1/apps/{appId}/users/{userId}/export",
                                     f"/v1/apps/{APP_ID}/users/{USER_PLACEHOLDER}/export",
                                     headers={"authorization": "Bearer " + API_KEY},
                                     path_parameters={"appId": APP_ID, "userId": USER_PLACEHOLDER}, iat=iat),
        "users-2-audit.json": event("GET", "/v1/apps/{appId}/users/{userId}/audit",
                                    f"/v1/apps/{APP_ID}/users/{USER_PLACEHOLDER}/audit",
                                    headers={"authorization": "Bearer " + API_KEY},
                                    path_parameters={"appId": APP_ID, "userId": USER_PLACEHOLDER}, iat=iat),
        "audit-app.json": audit_event(iat),
        "rules-dry-run.json": event("POST", "/v1/apps/{appId}/rules:dry-run", f"/v1/apps/{APP_ID}/rules:dry-run", {
            "rules": {"sticky": ["phone_number"], "identifier_limits": {"email": 3}, "priority": ["email"]},
            "samples": [{"identities": [{"identifier": "uid", "value": "user-42"}, {"identifier": "email", "value": "ada@example.com"}],
                         "asserted_at": iat},
                        {"identities": [{"identifier": "uid", "value": "user-43"}, {"identifier": "phone_number", "value": "+15550142"}]}]},
            headers={"authorization": "Bearer " + API_KEY}, path_parameters={"appId": APP_ID}, iat=iat),
        "users-2-unmerge.json": event("POST", "/v1/apps/{appId}/users/{userId}/unmerge",
                                      f"/v1/apps/{APP_ID}/users/{USER_PLACEHOLDER}/unmerge", {"merge_id": NO_MERGE_ID},
                                      headers={"authorization": "Bearer " + API_KEY},
                                      path_parameters={"appId": APP_ID, "userId": USER_PLACEHOLDER}, iat=iat),
        "sessions-revoke.json": event("POST", "/v1/apps/{appId}/sessions:revoke", f"/v1/apps/{APP_ID}/sessions:revoke",
                                      {"issued_before": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(iat))},
                                      headers={"authorization": "Bearer " + API_KEY}, path_parameters={"appId": APP_ID}, iat=iat),
        "users-3-import.json": csv_event(iat),
        "users-4-erase.json": event("DELETE", "/v1/apps/{appId}/users/{userId}", f"/v1/apps/{APP_ID}/users/{USER_PLACEHOLDER}",
                                    headers={"authorization": "Bearer " + API_KEY},
                                    path_parameters={"appId": APP_ID, "userId": USER_PLACEHOLDER}, iat=iat),
    }
    files["webhooks-list.json"] = event("GET", "/v1/apps/{appId}/webhooks", f"/v1/apps/{APP_ID}/webhooks",
                                        headers={"authorization": "Bearer " + API_KEY}, path_parameters=params, iat=iat)
    files["webhooks-deliveries.json"] = event("GET", "/v1/apps/{appId}/webhooks/{endpointId}/deliveries",
                                              f"/v1/apps/{APP_ID}/webhooks/{NO_ENDPOINT_ID}/deliveries",
                                              headers={"authorization": "Bearer " + API_KEY},
                                              path_parameters={"appId": APP_ID, "endpointId": NO_ENDPOINT_ID}, iat=iat)
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(iat))
    webhook_event = {"id": "msg_00000000000000000000000000000001", "type": "user.created", "timestamp": at,
                     "app_id": APP_ID, "domain_id": "events-domain", "data": {"user_id": "sample-user-1"}}
    # What the webhooks table's stream hands the fan-out: one new outbox event (the template's filter passes only these).
    files["stream-webhook-events.json"] = {"Records": [{
        "eventID": "1", "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
        "dynamodb": {"ApproximateCreationDateTime": iat, "Keys": {"pk": {"S": "APP#" + APP_ID},
                     "sk": {"S": "EVENT#%013d#%s" % (iat * 1000, webhook_event["id"])}},
                     "NewImage": {"pk": {"S": "APP#" + APP_ID}, "sk": {"S": "EVENT#%013d#%s" % (iat * 1000, webhook_event["id"])},
                                  "kind": {"S": "event"}, "event_id": {"S": webhook_event["id"]},
                                  "event_type": {"S": webhook_event["type"]}, "at": {"S": at}, "app_id": {"S": APP_ID},
                                  "domain_id": {"S": "events-domain"}, "data": {"S": json.dumps(webhook_event["data"])},
                                  "ttl": {"N": str(iat + 30 * 86400)}},
                     "SequenceNumber": "100000000000000000001", "SizeBytes": 300, "StreamViewType": "NEW_IMAGE"},
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/WebhooksTable/stream/2026-11-24T12:00:00.000"}]}
    # What the queue hands the delivery function: one delivery of that event to an endpoint (put a real endpoint id here).
    files["sqs-webhook-delivery.json"] = {"Records": [{
        "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d", "receiptHandle": "sample-receipt-handle",
        "body": json.dumps({"endpoint_id": NO_ENDPOINT_ID, "series": "event", "event": webhook_event}),
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": str(iat * 1000), "MessageGroupId": NO_ENDPOINT_ID + ".sample-user-1",
                       "MessageDeduplicationId": "sample", "SequenceNumber": "18849496460467696128"},
        "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:WebhookQueue.fifo", "awsRegion": "us-east-1"}]}
    files["schedule-every-minute.json"] = {
        "version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
        "source": "aws.events", "account": "123456789012",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(iat)), "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/userhub-EveryMinute"], "detail": {}}
    for name, content in files.items():
        with open(os.path.join(here, name), "w") as f:
            json.dump(content, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
