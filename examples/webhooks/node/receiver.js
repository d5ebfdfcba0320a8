// A receiver of userhub's webhooks: verifies each delivery with the Standard Webhooks reference
// library, answers 2xx only once the event is handled, and deduplicates on webhook-id (a delivery
// may come more than once: after a timeout, a retry, a resend or a replay).
//   WEBHOOK_SECRET=whsec_... PORT=8787 node receiver.js
const http = require('http');
const { Webhook } = require('standardwebhooks');

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error('WEBHOOK_SECRET (the endpoint\'s whsec_ secret) is required');
  process.exit(2);
}
const webhook = new Webhook(secret.replace(/^whsec_/, ''));
const seen = new Set(); // keep these in your database in real use

http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let event;
    try {
      event = webhook.verify(body, request.headers); // throws on a bad signature or a stale timestamp
    } catch (bad) {
      response.writeHead(400).end('invalid signature');
      return;
    }
    const id = request.headers['webhook-id'];
    if (!seen.has(id)) {
      seen.add(id);
      console.log(JSON.stringify({ id, type: event.type, data: event.data }));
    }
    response.writeHead(204).end();
  });
}).listen(Number(process.env.PORT || 8787), '127.0.0.1');
