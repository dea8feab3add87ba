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
 * document cannot exhaust the stack; the pointer is written only for the string found (one per value cost a second
 * and 100 MiB of heap for the million values a 2 MiB body can hold). A member name is checked when its object is
 * reached, before the values under it.
 */
export function findUnstorableString(value: unknown, base = ''): string | undefined {
  // One frame per open array or object: its values (and member names), and the index of the one being visited.
  const frames: { values: unknown[]; keys?: string[]; at: number }[] = [];
  const pointer = (last?: string) =>
    base +
    frames.map((f) => `/${f.keys ? escapePointer(f.keys[f.at]!) : String(f.at)}`).join('') +
    (last === undefined ? '' : `/${last}`);
  let v = value;
  for (;;) {
    if (typeof v === 'string') {
      if (!isStorableString(v)) return pointer() || '/';
    } else if (Array.isArray(v)) {
      if (v.length) frames.push({ values: v, at: -1 });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      // All names in one test: a line feed between them keeps halves of a pair in two names from making one.
      if (!isStorableString(keys.join('\n'))) return pointer('?');
      if (keys.length) frames.push({ values: Object.values(v), keys, at: -1 });
    }
    // The next value: the one after this in the innermost frame that has one left.
    let frame = frames.at(-1);
    while (frame && frame.at + 1 >= frame.values.length) {
      frames.pop();
      frame = frames.at(-1);
    }
    if (!frame) return undefined;
    v = frame.values[++frame.at];
  }
}

/** A member name no body may use: the first one stated twice in its object, or `__proto__` (`constructor.prototype`). */
export interface BadKey {
  pointer: string;
  problem: 'duplicate' | 'prototype';
}

/**
 * The first member name of JSON text that is stated twice in one object (`{"currency":"USD","currency":"EUR"}`:
 * JSON.parse keeps the last, a partner's own tools may read the first), or is `__proto__` (or `prototype` in a
 * `constructor` member), with its JSON pointer.
 * One pass over the text without parsing it; names with escapes are compared as decoded (`"a"` and `"\u0061"` are one
 * name). Text that is not JSON gives no answer worth trusting: call it on text that parses.
 */
export function findBadKey(text: string): BadKey | undefined {
  // One frame per open object (its names so far and the current one) or array (the current index).
  const stack: { keys?: Set<string>; key: string; index: number }[] = [];
  let expectKey = false;
  const pointer = (last: string) =>
    [...stack.slice(0, -1).map((f) => (f.keys ? escapePointer(f.key) : String(f.index))), escapePointer(last)]
      .map((part) => `/${part}`)
      .join('');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const from = i;
      let escaped = false;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c) {
          escaped = true;
          i++;
        }
      }
      const top = stack.at(-1);
      if (!expectKey || !top?.keys) continue;
      expectKey = false;
      let key = text.slice(from + 1, i);
      if (escaped) {
        try {
          key = JSON.parse(text.slice(from, i + 1)) as string;
        } catch {
          return undefined;
        }
      }
      // `__proto__`, and `prototype` in a `constructor` member: the body parser refuses both (as prototype pollution),
      // which answered valid JSON with "the body is not valid JSON".
      const parent = stack.at(-2);
      if (key === '__proto__' || (key === 'prototype' && parent?.keys && parent.key === 'constructor'))
        return { pointer: pointer(key), problem: 'prototype' };
      if (top.keys.has(key)) return { pointer: pointer(key), problem: 'duplicate' };
      top.keys.add(key);
      top.key = key;
    } else if (c === 0x7b) {
      stack.push({ keys: new Set(), key: '', index: 0 });
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push({ key: '', index: 0 });
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top?.keys) expectKey = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}

/** What partners are told of a bad member name. */
export function badKeyMessage(problem: BadKey['problem']): string {
  return problem === 'duplicate'
    ? 'is stated twice in its object; send each member once'
    : 'is not allowed as a member name';
}

/** The message partners see for such a string. */
export const UNSTORABLE_MESSAGE =
  'must not contain control characters (other than tab, line feed and carriage return) or unpaired UTF-16 surrogates';
