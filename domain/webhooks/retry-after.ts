/** `Retry-After` (RFC 9110): delay-seconds or an HTTP date, capped so a receiver cannot park a delivery forever. */

/** The longest wait a receiver can ask for. */
export const RETRY_AFTER_CAP_MS = 24 * 3_600_000;

/** Milliseconds to wait, or undefined when the header is absent or unreadable. */
export function parseRetryAfter(
  header: string | string[] | undefined,
  now: Date,
  capMs = RETRY_AFTER_CAP_MS,
): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    // HTTP dates are always in GMT; requiring it keeps Date.parse from reading "-5" as a year.
    if (!/GMT$/i.test(value)) return undefined;
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = date - now.getTime();
  }
  return Math.min(Math.max(ms, 0), capMs);
}
