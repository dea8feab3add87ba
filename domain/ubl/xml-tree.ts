/**
 * A small, strict XML reader for business documents, and a read-only view of the result that knows each element's
 * path, so every error can name the element it is about (`/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount`).
 * Elements are matched by namespace and local name, whatever prefix the document binds (a `cbc:ID` bound to another
 * namespace, or an `x:ID` of a foreign one, is not UBL's ID); paths use the conventional UBL prefixes.
 *
 * Hostile input is refused while reading, before any per-item work: no DTD and no entities beyond XML's five and
 * character references (nothing expands), bounded nesting depth, attributes per element and repeats of one child
 * name, and elements in all. Children and attributes live in Maps, so an element named `__proto__` or `constructor` is just a name.
 */
import { xmlTrim, xmlTrimEnd } from '../xml-space';

/** Limits applied while reading; the defaults suit UBL invoices (its deepest path is about 10 levels). */
export interface XmlLimits {
  maxDepth: number;
  maxAttributes: number;
  /** Children of one element with the same local name (e.g. InvoiceLine). */
  maxRepeats: number;
  /**
   * Elements in the whole document: what bounds the tree's memory. Without it 2 MiB of `<b/>` built half a million
   * nodes (130 MiB of heap, 0.25 s); a real invoice has a few dozen elements per line.
   */
  maxElements: number;
}

/** Limits used when none are given. */
export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxDepth: 40,
  maxAttributes: 32,
  maxRepeats: 10_000,
  maxElements: 250_000,
};

/** The namespaces of the conventional UBL prefixes that `one`, `all` and `pathOf` take. */
export const UBL_NAMESPACES: Readonly<Record<string, string>> = {
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  ext: 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2',
};

const PREFIX_OF: ReadonlyMap<string, string> = new Map(Object.entries(UBL_NAMESPACES).map(([p, ns]) => [ns, p]));

/**
 * The prefixes in scope at an element: its own declarations, then its ancestors'. Chained, not copied: a copy per
 * declaring element cost every binding above it (a document of many declaring elements under many bindings, seconds).
 */
interface Scope {
  readonly bindings: ReadonlyMap<string, string>;
  readonly parent?: Scope;
}

/** The prefix `xml` is bound by definition; no document may bind it elsewhere or bind anything to its namespace. */
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const ROOT_SCOPE: Scope = { bindings: new Map([['xml', XML_NAMESPACE]]) };

/** The namespace a prefix is bound to at this scope ('' for the default namespace undeclared), if any. */
function lookup(scope: Scope, prefix: string): string | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const ns = s.bindings.get(prefix);
    if (ns !== undefined) return ns;
  }
  return undefined;
}

interface Node {
  name: string;
  /** The namespace URI ('' for none). */
  ns: string;
  attributes: ReadonlyMap<string, string>;
  /** Created with the first child: most elements are leaves. */
  children?: Map<string, Node[]>;
  text: string;
}

/** One element and where it sits in the document. */
export class XmlElement {
  constructor(
    private readonly node: Node,
    /** The element's path, such as `/Invoice/cac:AccountingSupplierParty`. */
    readonly path: string,
  ) {}

  /** The children named `prefix:name` (by the prefix's UBL namespace, whatever prefix the document used). */
  private named(prefix: string, name: string): Node[] {
    const nodes = this.node.children?.get(name);
    if (!nodes) return [];
    const ns = UBL_NAMESPACES[prefix];
    return ns === undefined || nodes.every((n) => n.ns === ns) ? nodes : nodes.filter((n) => n.ns === ns);
  }

  /** Every child named `prefix:name`; indexed paths when there are several. */
  all(prefix: string, name: string, indexed = false): XmlElement[] {
    const nodes = this.named(prefix, name);
    return nodes.map(
      (n, i) => new XmlElement(n, `${this.path}/${prefix}:${name}${indexed || nodes.length > 1 ? `[${i + 1}]` : ''}`),
    );
  }

  /** The first child named `prefix:name`. */
  one(prefix: string, name: string): XmlElement | undefined {
    const node = this.named(prefix, name)[0];
    return node ? new XmlElement(node, `${this.path}/${prefix}:${name}`) : undefined;
  }

  /** The second child named `prefix:name`, when there are several (its path indexed `[2]`). */
  second(prefix: string, name: string): XmlElement | undefined {
    const node = this.named(prefix, name)[1];
    return node ? new XmlElement(node, `${this.path}/${prefix}:${name}[2]`) : undefined;
  }

  /**
   * Every element named `cac:<name>` (or another UBL prefix) for each of `names`, anywhere below this one, with its
   * path: one walk of the subtree, for the rules whose context is anywhere in the document (`//cac:PostalAddress`).
   * Elements outside the UBL namespaces are not entered.
   */
  descendants(prefix: string, names: readonly string[]): Map<string, XmlElement[]> {
    const ns = UBL_NAMESPACES[prefix];
    const found = new Map<string, XmlElement[]>(names.map((n) => [n, []]));
    const walk = (node: Node, path: string): void => {
      for (const [name, nodes] of node.children ?? []) {
        const own = found.get(name);
        nodes.forEach((child, i) => {
          const childPrefix = PREFIX_OF.get(child.ns);
          if (childPrefix === undefined) return;
          if (!own && !child.children) return;
          const childPath = `${path}/${childPrefix}:${name}${nodes.length > 1 ? `[${i + 1}]` : ''}`;
          if (own && child.ns === ns) own.push(new XmlElement(child, childPath));
          if (child.children) walk(child, childPath);
        });
      }
    };
    walk(this.node, this.path);
    return found;
  }

  /** The local name (`Amount` of `cbc:Amount`). */
  get name(): string {
    return this.node.name;
  }

  /** The children in the UBL namespaces, grouped by name (document order within a name). */
  children(): XmlElement[] {
    const found: XmlElement[] = [];
    for (const [name, nodes] of this.node.children ?? [])
      nodes.forEach((child, i) => {
        const prefix = PREFIX_OF.get(child.ns);
        if (prefix !== undefined)
          found.push(new XmlElement(child, `${this.path}/${prefix}:${name}${nodes.length > 1 ? `[${i + 1}]` : ''}`));
      });
    return found;
  }

  /** Stands for the element itself: the same for every view of it, whatever path it was reached by. */
  get identity(): object {
    return this.node;
  }

  /** Path a missing child would have. */
  pathOf(prefix: string, name: string): string {
    return `${this.path}/${prefix}:${name}`;
  }

  /** The element's trimmed text ('' when empty). */
  get text(): string {
    return xmlTrim(this.node.text);
  }

  /** The element's text as written, white space and line breaks at either end kept (XRechnung's BR-DE-18 reads them). */
  get writtenText(): string {
    return this.node.text;
  }

  /** An unqualified attribute's value (UBL's attributes have no namespace), by name. */
  attr(name: string): string | undefined {
    return this.node.attributes.get(name);
  }
}

/** A document that is not well-formed XML, or that we refuse to read; `pointer` names the element. */
export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly pointer = '/',
  ) {
    super(message);
  }
}

// At most 200 characters (UBL's longest name is under 50): a name is part of every path and message below it.
const NAME = /^(?=.{1,200}$)[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;

/** A name or text as quoted in a message: never more than 40 characters of what the partner sent. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
/** The target of a processing instruction starting at lastIndex (at most 201 characters are looked at). */
const PI_TARGET = /<\?([^\s?]{0,201})/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** XML 1.0's Char production: a reference to anything else (a surrogate, a C0 control) is not well-formed. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Replaces the five predefined entities and character references; any other entity is refused. */
function decode(raw: string, at: () => string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,12});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlSyntaxError('an unterminated entity reference is not allowed', at());
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isInteger(code) || !isXmlChar(code) || !/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(ref))
        throw new XmlSyntaxError(`invalid character reference &${ref.slice(0, 12)};`, at());
      return String.fromCodePoint(code);
    }
    const value = Object.hasOwn(ENTITIES, ref) ? ENTITIES[ref] : undefined;
    if (value === undefined) throw new XmlSyntaxError(`entity &${clip(ref)}; is not allowed (no DTD entities)`, at());
    return value;
  });
}

/** Shared by every element without attributes (most of a UBL document); never written to. */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

/**
 * Reads the attributes of a start tag's inside (after the name); namespace declarations go to `declare` (prefix ''
 * for the default namespace). Unprefixed attributes are keyed by their name; prefixed ones are returned apart, to be
 * resolved once every declaration of the tag is known (a declaration may follow the attribute that uses it).
 */
function readAttributes(
  source: string,
  limits: XmlLimits,
  at: () => string,
  declare: (prefix: string, uri: string) => void,
): { attributes: ReadonlyMap<string, string>; qualified: [string, string][] } {
  if (xmlTrim(source) === '') return { attributes: NO_ATTRIBUTES, qualified: [] };
  const attributes = new Map<string, string>();
  const qualified: [string, string][] = [];
  const declared = new Set<string>();
  const pattern = /\s*([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/gy;
  let index = 0;
  let count = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (!match || !NAME.test(match[1]!)) throw new XmlSyntaxError('malformed attribute', at());
    if (++count > limits.maxAttributes)
      throw new XmlSyntaxError(`more than ${limits.maxAttributes} attributes on one element`, at());
    const name = match[1]!;
    const raw = match[2] ?? match[3] ?? '';
    // Namespace declarations are not data. Declaring one prefix twice is an attribute stated twice: not well-formed.
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (declared.has(name)) throw new XmlSyntaxError(`attribute ${clip(name)} appears twice`, at());
      declared.add(name);
      declare(name === 'xmlns' ? '' : name.slice(6), decode(raw, at));
    } else {
      // Attribute-value normalization (XML 3.3.3): a literal tab or line break in a value is read as a space.
      const value = decode(raw.replace(/[\t\n]/g, ' '), at);
      if (name.includes(':')) qualified.push([name, value]);
      else if (attributes.has(name)) throw new XmlSyntaxError(`attribute ${name} appears twice`, at());
      else attributes.set(name, value);
    }
    index = pattern.lastIndex;
  }
  return { attributes, qualified };
}

/**
 * Adds the prefixed attributes of a tag under their expanded name (`{namespace}local`), which no unprefixed name can
 * equal: UBL's attributes (currencyID, schemeID...) are unqualified, and `x:currencyID` of another namespace is not
 * one of them. An undeclared prefix, or two names that expand alike (`a:n` and `b:n` bound to one namespace), is not
 * well-formed (Namespaces in XML, 6.3).
 */
function resolveQualified(
  attributes: ReadonlyMap<string, string>,
  qualified: [string, string][],
  scope: Scope,
  at: string,
): ReadonlyMap<string, string> {
  if (!qualified.length) return attributes;
  const all = new Map(attributes);
  for (const [qname, value] of qualified) {
    const local = localName(qname);
    const prefix = qname.slice(0, qname.length - local.length - 1);
    const ns = lookup(scope, prefix);
    if (ns === undefined) throw new XmlSyntaxError(`the namespace prefix "${clip(prefix)}" is not declared`, at);
    const expanded = `{${ns}}${local}`;
    if (all.has(expanded)) throw new XmlSyntaxError(`attribute ${clip(qname)} appears twice`, at);
    all.set(expanded, value);
  }
  return all;
}

/** Index of the `>` that ends the tag starting before `from`; a `>` inside a quoted attribute value does not. */
function tagEnd(xml: string, from: number): number {
  for (let j = from; j < xml.length; j++) {
    const c = xml[j];
    if (c === '>') return j;
    if (c === '"' || c === "'") {
      j = xml.indexOf(c, j + 1);
      if (j < 0) return -1;
    } else if (c === '<') return -1;
  }
  return -1;
}

/** Parses a document and returns its root element with its local name and namespace. */
export function parseXml(
  source: string,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
): { name: string; namespace: string; root: XmlElement; empty?: string } {
  // XML's end-of-line handling (2.11): CR LF and a lone CR are read as LF everywhere; a written &#13; stays a CR.
  const xml = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  const stack: { node: Node; qname: string; path: string; scope: Scope }[] = [];
  let root: { node: Node; path: string } | undefined;
  const here = () => stack.at(-1)?.path ?? '/';
  let elements = 0;
  /** The first element with neither child elements nor text (Peppol: none may be empty, PEPPOL-EN16931-R008). */
  let empty: string | undefined;
  const start = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  let i = start;
  try {
    while (i < xml.length) {
      const lt = xml.indexOf('<', i);
      const textEnd = lt < 0 ? xml.length : lt;
      if (textEnd > i) {
        const raw = xml.slice(i, textEnd);
        const top = stack.at(-1);
        if (top) top.node.text += decode(raw, here);
        else if (xmlTrim(raw)) throw new XmlSyntaxError('text outside the root element', '/');
      }
      if (lt < 0) break;
      i = lt;
      if (xml.startsWith('<?', i)) {
        // The declaration is the one instruction named xml, and only as the document's very first characters; any
        // other target spelled xml in any case is reserved (XML 2.6), so `  <?xml` or a second declaration is refused.
        PI_TARGET.lastIndex = i;
        const target = PI_TARGET.exec(xml)![1]!;
        if (
          target.toLowerCase() === 'xml' ? target !== 'xml' || i !== start : !NAME.test(target) || target.includes(':')
        )
          throw new XmlSyntaxError(
            target.toLowerCase() === 'xml'
              ? 'an XML declaration is allowed only at the very start of the document, as <?xml'
              : 'a processing instruction needs a target name',
            here(),
          );
        const end = xml.indexOf('?>', i + 2);
        if (end < 0) throw new XmlSyntaxError('unterminated processing instruction', here());
        i = end + 2;
      } else if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i + 4);
        if (end < 0) throw new XmlSyntaxError('unterminated comment', here());
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', i)) {
        const end = xml.indexOf(']]>', i + 9);
        const top = stack.at(-1);
        if (end < 0 || !top) throw new XmlSyntaxError('CDATA outside an element or unterminated', here());
        top.node.text += xml.slice(i + 9, end);
        i = end + 3;
      } else if (xml.startsWith('<!', i)) {
        // DOCTYPE and any other declaration: UBL never needs one, and refusing it rules out entity expansion.
        throw new XmlSyntaxError('a DOCTYPE or other declaration is not allowed in the document', here());
      } else {
        const end = tagEnd(xml, i + 1);
        if (end < 0) throw new XmlSyntaxError('unterminated tag', here());
        const inside = xml.slice(i + 1, end);
        i = end + 1;
        if (inside.startsWith('/')) {
          // XML allows white space after an end tag's name only, and only its own four characters.
          const qname = xmlTrimEnd(inside.slice(1));
          const top = stack.pop();
          if (!top || top.qname !== qname)
            throw new XmlSyntaxError(
              `closing tag </${clip(qname)}> does not match <${top?.qname ?? ''}>`,
              top?.path ?? '/',
            );
          // UBL has no mixed content: the text of `<cbc:ID>A<x>B</x>C</cbc:ID>` is "ABC" to XPath and was "AC" here.
          if (top.node.children && /\S/.test(top.node.text))
            throw new XmlSyntaxError('an element with child elements must not have text of its own', top.path);
          if (!top.node.children && empty === undefined && !xmlTrim(top.node.text)) empty = top.path;
          continue;
        }
        const selfClosing = inside.endsWith('/');
        const body = selfClosing ? inside.slice(0, -1) : inside;
        const nameMatch = /^[^\s/>]+/.exec(body);
        const qname = nameMatch?.[0] ?? '';
        if (!NAME.test(qname)) throw new XmlSyntaxError(`invalid element name "${clip(qname)}"`, here());
        const name = localName(qname);
        const parent = stack.at(-1);
        if (!parent && root) throw new XmlSyntaxError('the document must have exactly one root element', '/');
        const seen = (parent?.node.children?.get(name)?.length ?? 0) + 1;
        const path = parent ? `${parent.path}/${qname}${seen > 1 ? `[${seen}]` : ''}` : `/${name}`;
        if (seen > limits.maxRepeats)
          throw new XmlSyntaxError(`more than ${limits.maxRepeats} ${name} elements in one parent`, path);
        if (++elements > limits.maxElements)
          throw new XmlSyntaxError(`more than ${limits.maxElements} elements in the document`, path);
        if (stack.length >= limits.maxDepth)
          throw new XmlSyntaxError(`elements are nested deeper than ${limits.maxDepth} levels`, path);
        let scope = parent?.scope ?? ROOT_SCOPE;
        const read = readAttributes(
          body.slice(qname.length),
          limits,
          () => path,
          (prefix, uri) => {
            if (prefix === 'xmlns' || (prefix === 'xml') !== (uri === XML_NAMESPACE) || (prefix && !uri))
              throw new XmlSyntaxError(`the namespace declaration of prefix "${clip(prefix)}" is not allowed`, path);
            if (scope === (parent?.scope ?? ROOT_SCOPE)) scope = { bindings: new Map(), parent: scope };
            (scope.bindings as Map<string, string>).set(prefix, uri);
          },
        );
        const prefix = name.length === qname.length ? '' : qname.slice(0, qname.length - name.length - 1);
        const ns = lookup(scope, prefix);
        if (ns === undefined && prefix)
          throw new XmlSyntaxError(`the namespace prefix "${clip(prefix)}" is not declared`, path);
        const attributes = resolveQualified(read.attributes, read.qualified, scope, path);
        const node: Node = { name, ns: ns ?? '', attributes, text: '' };
        if (parent) {
          const children = (parent.node.children ??= new Map());
          const siblings = children.get(name);
          if (siblings) siblings.push(node);
          else children.set(name, [node]);
        } else root = { node, path };
        if (!selfClosing) stack.push({ node, qname, path, scope });
        else if (empty === undefined) empty = path;
      }
    }
    if (stack.length) throw new XmlSyntaxError(`element <${stack.at(-1)!.qname}> is not closed`, here());
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    const before = xml.slice(0, Math.min(i, xml.length));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new XmlSyntaxError(`not well-formed XML at line ${line}, column ${column}: ${err.message}`, err.pointer);
  }
  if (!root) throw new XmlSyntaxError('the document must have exactly one root element', '/');
  return {
    name: root.node.name,
    namespace: root.node.ns,
    root: new XmlElement(root.node, root.path),
    ...(empty === undefined ? {} : { empty }),
  };
}
