"""What your backend does for each signed-in user, in Python with PyJWT: sign an identities JWT
for userhub with the app's key (kid and secret from the operator tool or ./run-local's JSON line).

    pip install PyJWT
    python3 sign_identity_token.py <kid> <secret> <uid> [email]
"""
import sys
import time

import jwt  # PyJWT


def sign_identity_token(kid: str, secret: str, uid: str, email: str | None = None) -> str:
    identities = [{"identifier": "uid", "value": uid}]
    if email:
        identities.append({"identifier": "email", "value": email})
    # iat is mandatory (userhub refuses tokens older than the app's max age, 24 h by default);
    # kid is an exact key of the app's key ring.
    return jwt.encode({"identities": identities, "iat": int(time.time())}, secret,
                      algorithm="HS256", headers={"kid": kid})


if __name__ == "__main__":
    if len(sys.argv) < 4:
        print("usage: sign_identity_token.py <kid> <secret> <uid> [email]", file=sys.stderr)
        sys.exit(2)
    print(sign_identity_token(*sys.argv[1:5]))
