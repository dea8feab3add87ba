/** The operators' token (ADMIN_TOKEN): checks of the bearer header, and the codec capability the Temporal UI uses. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The credentials of an `Authorization: Bearer <credentials>` header. HTTP's scheme names are case-insensitive and may
 * be followed by more than one space (RFC 9110, 11.4): `bearer <key>` is a bearer key like `Bearer <key>`.
 */
export function bearerCredentials(header: string | undefined): string | undefined {
  return /^bearer +(\S+)$/i.exec(header ?? '')?.[1];
}

/** True when `Authorization` is `Bearer <token>`; digests compared so timing does not depend on the guess. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const credentials = bearerCredentials(header);
  return credentials !== undefined && tokensMatch(credentials, token);
}

/**
 * The path segment of the codec endpoint given to the Temporal UI. The UI sends no Authorization header unless it
 * has its own login (it then passes the user's token), so its endpoint carries a token derived from ADMIN_TOKEN:
 * it opens the codec only, and leaking it (browser history, UI settings) does not leak the admin token.
 */
export function codecUiToken(adminToken: string): string {
  return createHmac('sha256', adminToken).update('temporal-ui-codec').digest('base64url').slice(0, 32);
}

/** Compares two secrets in constant time. */
export function tokensMatch(candidate: string, expected: string): boolean {
  return timingSafeEqual(digest(candidate), digest(expected));
}
