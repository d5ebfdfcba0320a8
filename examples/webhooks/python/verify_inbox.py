#!/usr/bin/env python3
"""Checks the deliveries the local server's inbox kept against an endpoint's secret, the way a
Standard Webhooks receiver does: base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>",
keyed with the base64-decoded part of the whsec_ secret, is one of the "v1," signatures.

    curl -s $URL/local/webhook-inbox | WEBHOOK_SECRET=whsec_... python3 examples/webhooks/python/verify_inbox.py

Prints one line per delivery, oldest first: its type, its webhook-id, and whether this secret
signed it. (A real receiver also rejects a timestamp more than 5 minutes from its clock, and
deduplicates on webhook-id: see receiver.js and WebhookReceiver.java beside this folder.)
"""
import base64
import hashlib
import hmac
import json
import os
import sys

key = base64.b64decode(os.environ["WEBHOOK_SECRET"].removeprefix("whsec_"))
for delivery in reversed(json.load(sys.stdin)["deliveries"]):
    signed = f'{delivery["webhook_id"]}.{delivery["webhook_timestamp"]}.{delivery["body"]}'.encode()
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    verified = expected in (delivery["webhook_signature"] or "").split(" ")
    print(json.loads(delivery["body"])["type"], delivery["webhook_id"], "signed by this secret" if verified else "NOT signed by this secret")
