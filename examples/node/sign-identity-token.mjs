// What your backend does for each signed-in user, in Node with jose: sign an identities JWT for
// userhub with the app's key (kid and secret from the operator tool or ./run-local's JSON line).
//   npm ci && node sign-identity-token.mjs <kid> <secret> <uid> [email]
import { SignJWT } from "jose";

export async function signIdentityToken({ kid, secret, uid, email }) {
  const identities = [{ identifier: "uid", value: uid }];
  if (email) identities.push({ identifier: "email", value: email });
  return new SignJWT({ identities })
    .setProtectedHeader({ alg: "HS256", kid }) // kid: an exact key of the app's key ring
    .setIssuedAt() // mandatory; userhub refuses tokens older than the app's max age (24 h)
    .sign(new TextEncoder().encode(secret));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kid, secret, uid, email] = process.argv.slice(2);
  if (!kid || !secret || !uid) {
    console.error("usage: node sign-identity-token.mjs <kid> <secret> <uid> [email]");
    process.exit(2);
  }
  console.log(await signIdentityToken({ kid, secret, uid, email }));
}
