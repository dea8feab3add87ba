/**
 * The field readers the UBL mapping is built from: each reads one element into the canonical model, records where
 * it came from (canonical JSON pointer to XML path) and collects a problem naming the element when it cannot.
 */
import { decimalScaled, decimalToMinor, parseDecimal, quoted } from './decimal';
import type { XmlElement } from './xml-tree';

/** One problem, pointing at an XML element; `rule` names the EN 16931 or Peppol rule when there is one. */
export interface UblProblem {
  pointer: string;
  message: string;
  rule?: string;
}

/**
 * The rules an amount is read under: the one that requires it, its BR-DEC-* (two decimals at most), and the one that
 * holds its currency to the document's (Peppol's R051 when unset).
 */
export interface AmountRules {
  required?: string;
  decimals?: string;
  currency?: string;
}

/**
 * The first `cac:<aggregate>` of `parent` that has a `cbc:<basic>`: where a document may split what it has once over
 * several aggregates (the seller name in the second `PartyLegalEntity`, the legal id in the first), the one to read.
 */
export function holding(parent: XmlElement | undefined, aggregate: string, basic: string): XmlElement | undefined {
  return parent?.all('cac', aggregate).find((el) => el.one('cbc', basic));
}

/** Reads fields of one document in its currency, collecting problems and sources. */
export class FieldReader {
  readonly errors: UblProblem[] = [];
  readonly sources: Record<string, string> = {};
  currency = '';
  exponent = 2;
  /** Whether the document claims Peppol BIS, whose own syntax rules (R008, R043...) then apply. */
  peppol = true;
  /** Repeats already refused under a rule (UBL-SR-*), so that reading them does not refuse them a second time. */
  private readonly repeats = new WeakSet<object>();

  /**
   * The child every reader below takes, the first: one that UBL (or Peppol) allows once and the document repeats is a
   * problem naming the repeat, so a second ID, IssueDate or PayableAmount is never silently passed over.
   */
  private single(parent: XmlElement, prefix: string, name: string): XmlElement | undefined {
    const repeat = parent.second(prefix, name);
    if (repeat && !this.repeats.has(repeat.identity))
      this.problem(repeat.path, `${prefix}:${name} may appear only once here`);
    return parent.one(prefix, name);
  }

  /** A child UBL allows once (`cac:PostalAddress`, `cbc:BaseQuantity`...): the first, and a problem if repeated. */
  only(parent: XmlElement | undefined, prefix: string, name: string): XmlElement | undefined {
    return parent && this.single(parent, prefix, name);
  }

  /**
   * The first of elements the document may have once in all (a seller name over every `PartyLegalEntity`), and a
   * problem under `rule` naming the second, described as `what`.
   */
  atMostOne(found: readonly XmlElement[], rule: string, what: string): XmlElement | undefined {
    const repeat = found[1];
    if (repeat && !this.repeats.has(repeat.identity)) {
      this.repeats.add(repeat.identity);
      this.problem(repeat.path, `${what} may appear only once`, rule);
    }
    return found[0];
  }

  /** A required child; a problem when missing or empty (or repeated). */
  required(parent: XmlElement, prefix: string, name: string, pointer: string, rule?: string): XmlElement | undefined {
    const el = this.single(parent, prefix, name);
    if (!el) this.problem(parent.pathOf(prefix, name), 'is required', rule);
    else if (prefix === 'cbc' && !el.text) this.problem(el.path, 'must not be empty', rule);
    else this.sources[pointer] = el.path;
    return el && (prefix === 'cac' || el.text) ? el : undefined;
  }

  /** The text of an optional basic child, or undefined (a problem when repeated). */
  text(parent: XmlElement | undefined, name: string, pointer?: string): string | undefined {
    const el = parent && this.single(parent, 'cbc', name);
    if (!el?.text) return undefined;
    if (pointer) this.sources[pointer] = el.path;
    return el.text;
  }

  /** Records a problem. */
  problem(pointer: string, message: string, rule?: string): void {
    this.errors.push(rule ? { pointer, message, rule } : { pointer, message });
  }

  /**
   * A signed monetary element in exact minor units of the document currency (PEPPOL-EN16931-R051); `decimals` names
   * the rule that holds it to two decimals (CEN's BR-DEC-* of that element; UBL-DT-01 for any other amount), and
   * `currencyRule` the one that holds its currency to the document's.
   */
  amountOf(
    el: XmlElement,
    pointer: string,
    {
      currency = this.currency,
      exponent = this.exponent,
      decimals = 'UBL-DT-01',
      // Peppol's R051 under Peppol BIS; EN 16931 itself has no such rule, but our amounts are minor units of the
      // document currency, so one in another currency is refused as ours.
      currencyRule = this.peppol ? 'PEPPOL-EN16931-R051' : 'PW-CURRENCY',
    } = {},
  ): number {
    this.sources[pointer] = el.path;
    const currencyId = el.attr('currencyID');
    if (currencyId !== currency)
      this.problem(
        el.path,
        currencyId === undefined
          ? 'needs a currencyID attribute'
          : `currencyID ${quoted(currencyId)} differs from the document currency ${quoted(currency)}`,
        currencyRule,
      );
    const parsed = decimalToMinor(el.text, exponent, { signed: true });
    if ('error' in parsed) {
      this.problem(el.path, parsed.error, decimals);
      return 0;
    }
    // EN 16931 counts the decimals as written (BR-DEC-*: at most 2), trailing zeros too: "1656.250" has three.
    const written = /\.(\d*)/.exec(el.text)?.[1]?.length ?? 0;
    if (written > 2) this.problem(el.path, `${quoted(el.text)} is written with more than 2 decimals`, decimals);
    return parsed.value;
  }

  /** A required monetary child: `rules.required` names the rule that asks for it, `rules.decimals` its BR-DEC. */
  amount(parent: XmlElement, name: string, pointer: string, rules: AmountRules = {}): number {
    const el = this.required(parent, 'cbc', name, pointer, rules.required);
    return el ? this.amountOf(el, pointer, { decimals: rules.decimals, currencyRule: rules.currency }) : 0;
  }

  /** An optional monetary child. */
  optionalAmount(
    parent: XmlElement | undefined,
    name: string,
    pointer: string,
    rules: AmountRules = {},
  ): number | undefined {
    const el = parent && this.single(parent, 'cbc', name);
    return el?.text ? this.amountOf(el, pointer, { decimals: rules.decimals }) : undefined;
  }

  /** A percentage as basis points ("20" is 2000; at most two decimals). */
  percent(el: XmlElement | undefined, pointer: string): number | undefined {
    if (!el?.text) return undefined;
    this.sources[pointer] = el.path;
    const rate = decimalScaled(el.text, 2);
    if ('error' in rate) {
      this.problem(el.path, `${rate.error} (a percentage such as 20 or 5.5)`);
      return undefined;
    }
    return rate.value;
  }

  /** A decimal quantity (at most six decimals, signed) as a JSON number. */
  quantity(el: XmlElement | undefined, pointer: string, { positive = false } = {}): number | undefined {
    if (!el?.text) return undefined;
    this.sources[pointer] = el.path;
    const q = decimalScaled(el.text, 6, { signed: !positive });
    if ('error' in q || (positive && q.value === 0)) {
      this.problem(el.path, 'error' in q ? q.error : 'must be above zero');
      return undefined;
    }
    return q.value / 1_000_000;
  }

  /**
   * A unit price (BT-146, and the gross price BT-148 and price discount BT-147 it comes from): minor units, plus the
   * exact text when it has more decimals than the currency (BR-DEC does not limit prices). `rule` names the rule
   * that refuses a negative one (BR-27 for the net price, BR-28 for the gross price).
   */
  price(el: XmlElement, pointer: string, rule?: string): { minor: number; exact?: string } {
    this.sources[pointer] = el.path;
    this.amountCurrency(el);
    const parsed = parseDecimal(el.text);
    if (!parsed || parsed.units < 0n || parsed.scale > 10) {
      this.problem(el.path, `${quoted(el.text)} is not a non-negative price`, rule);
      return { minor: 0 };
    }
    const exact = decimalToMinor(el.text, this.exponent);
    if ('value' in exact) return { minor: exact.value };
    const shift = BigInt(parsed.scale - this.exponent);
    const minor = Number((parsed.units * 2n + 10n ** shift) / (2n * 10n ** shift));
    return { minor, exact: el.text.replace(/^\+/, '') };
  }

  private amountCurrency(el: XmlElement): void {
    const currencyId = el.attr('currencyID');
    if (currencyId !== undefined && currencyId !== this.currency)
      this.problem(
        el.path,
        `currencyID ${quoted(currencyId)} differs from the document currency ${quoted(this.currency)}`,
      );
  }

  /** A `true`/`false` indicator (Peppol, under `rule`, allows neither `1` nor `0`, which XML Schema would). */
  indicator(el: XmlElement | undefined, path: string, rule?: string): boolean {
    if (el?.text === 'true') return true;
    if (el?.text === 'false') return false;
    // xsd:boolean also writes them 1 and 0; Peppol (R043) allows only the words.
    if (!this.peppol && el?.text === '1') return true;
    if (!this.peppol && el?.text === '0') return false;
    if (this.peppol) this.problem(el?.path ?? path, 'must be true or false', rule);
    else this.problem(el?.path ?? path, 'must be true, false, 1 or 0');
    return false;
  }
}
