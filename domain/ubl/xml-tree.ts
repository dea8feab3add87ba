/**
 * A small read-only view of a parsed XML document that knows each element's path, so every error can name the
 * element it is about (`/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount`). Namespaces are matched by local
 * name; paths use the conventional UBL prefixes.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

type Node = Record<string, unknown>;

/** One element and where it sits in the document. */
export class XmlElement {
  constructor(
    private readonly node: Node,
    /** The element's path, such as `/Invoice/cac:AccountingSupplierParty`. */
    readonly path: string,
  ) {}

  /** Every child with this local name (`prefix` only names it in paths); indexed paths when there are several. */
  all(prefix: string, name: string, indexed = false): XmlElement[] {
    const nodes = (this.node[name] as Node[] | undefined) ?? [];
    return nodes.map(
      (n, i) => new XmlElement(n, `${this.path}/${prefix}:${name}${indexed || nodes.length > 1 ? `[${i + 1}]` : ''}`),
    );
  }

  /** The first child with this local name. */
  one(prefix: string, name: string): XmlElement | undefined {
    const nodes = (this.node[name] as Node[] | undefined) ?? [];
    return nodes[0] ? new XmlElement(nodes[0], `${this.path}/${prefix}:${name}`) : undefined;
  }

  /** Path a missing child would have. */
  pathOf(prefix: string, name: string): string {
    return `${this.path}/${prefix}:${name}`;
  }

  /** The element's trimmed text ('' when empty). */
  get text(): string {
    const t = this.node['#text'];
    return t === undefined ? '' : String(t).trim();
  }

  /** An attribute's value. */
  attr(name: string): string | undefined {
    const v = this.node[`@_${name}`];
    return v === undefined ? undefined : String(v);
  }
}

/** A document that is not well-formed XML, or that we refuse to read. */
export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  alwaysCreateTextNode: true,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _jpath, _leaf, isAttribute) => !isAttribute,
});

/** Parses a document and returns its root element with its local name. */
export function parseXml(xml: string): { name: string; root: XmlElement } {
  // UBL never needs a DTD; refusing one rules out entity-expansion attacks.
  if (/<!DOCTYPE/i.test(xml)) throw new XmlSyntaxError('a DOCTYPE is not allowed in the document');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new XmlSyntaxError(
      `not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
    );
  const doc = parser.parse(xml) as Record<string, Node[]>;
  const names = Object.keys(doc);
  if (names.length !== 1 || !doc[names[0]!]?.[0])
    throw new XmlSyntaxError('the document must have exactly one root element');
  const name = names[0]!;
  return { name, root: new XmlElement(doc[name]![0]!, `/${name}`) };
}
