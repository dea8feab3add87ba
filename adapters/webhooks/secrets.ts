/** Webhook signing secrets: `whsec_` + base64 of random bytes, and which of them sign right now. */
import { randomBytes } from 'node:crypto';

/** Bytes of randomness in a new secret (Standard Webhooks asks for 24 to 64). */
export const SECRET_BYTES = 32;

/** A new signing secret. */
export function generateSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The secrets of an endpoint as stored. */
export interface EndpointSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** Secrets to sign with at `now`: the current one, plus the previous one during its rotation grace period. */
export function signingSecrets(endpoint: EndpointSecrets, now: Date): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(endpoint.previousSecret);
  }
  return secrets;
}
