/** Standard Webhooks headers, signed with the maintained `standardwebhooks` library (no hand-written HMAC). */
import { Webhook } from 'standardwebhooks';

/** The three headers of a Standard Webhooks message. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Signs `payload` for `msgId` at `timestamp` with every secret; several signatures are space-separated. */
export function signedHeaders(msgId: string, timestamp: Date, payload: string, secrets: string[]): WebhookHeaders {
  if (secrets.length === 0) throw new Error('at least one secret is needed to sign a webhook');
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(msgId, timestamp, payload)).join(' '),
  };
}
