/**
 * Structural checks on untrusted JSON before any per-item work: nesting depth (on the raw text, before parsing)
 * and strings PostgreSQL cannot store (NUL, lone UTF-16 surrogates), found with the pointer of the field.
 */

/** Deepest nesting of objects and arrays a request body may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * Characters no document of ours may carry: NUL (PostgreSQL cannot store it), the other C0 controls but tab, line
 * feed and carriage return, and U+FFFE/U+FFFF (none of them is an XML 1.0 character: an order description with one
 * would make the UBL invoice we issue for it not well-formed).
 */
// Control characters are what this pattern is for.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const ALL_FORBIDDEN = new RegExp(FORBIDDEN_CHARACTERS.source, 'g');

/** True when a string can be stored as text/jsonb and written as XML: no forbidden character, no lone surrogate. */
export function isStorableString(s: string): boolean {
  return !FORBIDDEN_CHARACTERS.test(s) && (s as string & { isWellFormed(): boolean }).isWellFormed();
}

/** The string with forbidden characters and unpaired surrogates replaced by U+FFFD, so PostgreSQL can store it. */
export function storable(s: string): string {
  return (s as string & { toWellFormed(): string }).toWellFormed().replace(ALL_FORBIDDEN, '\ufffd');
}

/** The nesting depth of JSON text, counted without parsing (brackets inside strings are skipped). */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The JSON pointer of the first string (value or key) that cannot be stored, or undefined. Iterative, so a deep
 * document cannot exhaust the stack.
 */
export function findUnstorableString(value: unknown, base = ''): string | undefined {
  const stack: [unknown, string][] = [[value, base]];
  while (stack.length) {
    const [v, pointer] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableString(v)) return pointer || '/';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${pointer}/${i}`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const p = `${pointer}/${isStorableString(k) ? escapePointer(k) : '?'}`;
        if (!isStorableString(k)) return p;
        stack.push([child, p]);
      }
    }
  }
  return undefined;
}

/** The message partners see for such a string. */
export const UNSTORABLE_MESSAGE =
  'must not contain control characters (other than tab, line feed and carriage return) or unpaired UTF-16 surrogates';
