#!/usr/bin/env bash
# What an endpoint that wants a login's event adds to the login's answer, on the local server:
# N interleaved pairs of a new anonymous device's login (a new user: user.created), A with the demo
# app's one endpoint wanting another type, B with it wanting user.created (one outbox PutItem more
# before the answer; the delivery itself runs on the local engine's threads). Each login follows a
# PATCH of the endpoint, so A and B alike read the changed app once. Medians in milliseconds.
#   benchmarks/webhook-login.sh [pairs, default 20, at most 40: 100 new anonymous devices an hour per address]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-20}
. benchmarks/local-server.sh
url=$(field url) key=$(field api_key)
hook=$(curl -s -X POST "$url/v1/apps/demo/webhooks" -H "authorization: Bearer $key" -H 'content-type: application/json' \
  -d "{\"url\":\"$url/local/webhook-inbox\",\"event_types\":[\"sessions.ended\"]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
want() {
  curl -s -o /dev/null -X PATCH "$url/v1/apps/demo/webhooks/$hook" -H "authorization: Bearer $key" -H 'content-type: application/json' \
    -d "{\"event_types\":[\"$1\"]}"
}
login() {
  curl -s -o "$banner.answer" -w '%{http_code} %{time_total}\n' -X POST "$url/v1/apps/demo/login" -H 'content-type: application/json' \
    -d "{\"identity_token\":\"\",\"device_id\":\"bench-$1\"}"
}
for i in $(seq 1 10); do login "warm-$i" > /dev/null; done
: > "$banner.without"; : > "$banner.with"
for i in $(seq 1 "$pairs"); do
  want sessions.ended; login "a-$i" >> "$banner.without"
  want user.created; login "b-$i" >> "$banner.with"
done
if grep -hv '^200 ' "$banner.without" "$banner.with"; then echo "webhook-login: the logins above were not answered 200" >&2; exit 1; fi
sleep 1
delivered=$(curl -s "$url/local/webhook-inbox" | python3 -c 'import json,sys; print(sum(1 for d in json.load(sys.stdin)["deliveries"] if "user.created" in d["body"]))')
ms() { awk '{print $2 * 1000}' "$1" | median; }
echo "{\"pairs\":$pairs,\"without_median_ms\":$(ms "$banner.without"),\"with_median_ms\":$(ms "$banner.with"),\"user_created_delivered\":$delivered}"
