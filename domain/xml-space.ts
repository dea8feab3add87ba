/**
 * XML's white space (space, tab, line feed, carriage return), as the UBL reader and the schematrons' XPath read it.
 * String.trim() also drops characters XML does not count as white space (U+00A0, U+3000, U+FEFF...): "\u00a0INV-1"
 * would be read as INV-1, and `C62\u00a0` taken for a unit a validator refuses. Pure.
 */

const XML_EDGE_SPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;
const XML_SPACE_RUN = /[ \t\n\r]+/g;

/** The text without leading and trailing XML white space. */
export function xmlTrim(text: string): string {
  return text.replace(XML_EDGE_SPACE, '');
}

/** XPath's normalize-space: XML white space trimmed at both ends, and each run of it inside one space. */
export function normalizeSpace(text: string): string {
  return xmlTrim(text.replace(XML_SPACE_RUN, ' '));
}
