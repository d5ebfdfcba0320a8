// Verifies one delivery with the reference library: reads {"secret", "headers", "body"} from the
// JSON file named on the command line, prints "valid" or "invalid: <why>". Used by userhub's tests
// (WebhookSignaturesIT) to check real deliveries against the Standard Webhooks reference.
const fs = require('fs');
const { Webhook } = require('standardwebhooks');

const { secret, headers, body } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
try {
  new Webhook(secret.replace(/^whsec_/, '')).verify(body, headers);
  console.log('valid');
} catch (bad) {
  console.log('invalid: ' + bad.message);
}
