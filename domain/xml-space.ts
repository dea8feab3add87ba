/**
 * XML's white space (space, tab, line feed, carriage return), as the UBL reader and the schematrons' XPath read it.
 * String.trim() also drops characters XML does not count as white space (U+00A0, U+3000, U+FEFF...): "\u00a0INV-1"
 * would be read as INV-1, and `C62\u00a0` taken for a unit a validator refuses. Pure.
 */

const XML_SPACE_RUN = /[ \t\n\r]+/g;

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x9 || code === 0xa || code === 0xd;
}

/**
 * The text without leading and trailing XML white space. A scan from either end, not a pattern: `/[ \t\n\r]+$/`
 * retries a run of spaces that is followed by anything else from each of its positions (quadratic in the run).
 */
export function xmlTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isXmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** The text without trailing XML white space (see xmlTrim). */
export function xmlTrimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isXmlSpace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** XPath's normalize-space: XML white space trimmed at both ends, and each run of it inside one space. */
export function normalizeSpace(text: string): string {
  return xmlTrim(text.replace(XML_SPACE_RUN, ' '));
}
