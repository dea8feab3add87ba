/**
 * The EN 16931 business rules of a canonical invoice or credit note that can be checked on its content: the
 * arithmetic of the BR-CO family, the VAT category rules (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-O, BR-AF,
 * BR-AG) and Peppol's line rules, exact in integer minor units and BigInt, then Peppol's and XRechnung's own rules for
 * an invoice that claims them. Each problem names its rule. Pure, so the API (at intake) and the workflow's validate
 * activity give the same answer.
 */
import {
  DEFAULT_UNIT_CODE,
  EMBEDDED_MIME_CODES,
  type Invoice,
  type InvoiceLine,
  type VatCategory,
} from '../contracts/invoice';
import { hasVatPrefix, isCountryCode } from './countries';
import { isIsoCurrency } from './currencies';
import { CREDIT_TRANSFER_CODES, creditTransferAccounts, firstPayeeAccount } from './payment-accounts';
import { checkCodes } from './code-checks';
import { checkIdentifierRules } from './peppol-identifier-rules';
import { checkNationalRules } from './peppol-national-rules';
import { checkPeppolDocumentRules } from './peppol-document-rules';
import { isPeppolRule, peppolRulesApply, xrechnungExtension, xrechnungRulesApply } from './specifications';
import { checkXRechnungRules } from './xrechnung-rules';
import {
  currencyExponent,
  divideRounded,
  minorToDecimal,
  numberToDecimal,
  parseDecimal,
  quoted,
  type ExactDecimal,
} from './ubl/decimal';

/** One failed rule, pointing at the canonical field (JSON pointer). */
export interface InvoiceProblem {
  /** The rule's id, e.g. `BR-CO-15`; `PW-*` are this service's own. */
  rule: string;
  pointer: string;
  message: string;
}

/**
 * Each category's rule family (K is "intra-community", BR-IC; L and M are the Canary and Ceuta/Melilla taxes, BR-AF and
 * BR-AG as CEN's and Peppol's schematrons name them, BR-IG and BR-IP in the standard's first text).
 */
const FAMILY: Record<VatCategory, string> = {
  S: 'BR-S',
  Z: 'BR-Z',
  E: 'BR-E',
  AE: 'BR-AE',
  K: 'BR-IC',
  G: 'BR-G',
  O: 'BR-O',
  L: 'BR-AF',
  M: 'BR-AG',
  B: 'BR-B',
};
/** Categories whose rate is zero and whose tax is zero. */
const ZERO_TAX = new Set<VatCategory>(['Z', 'E', 'AE', 'K', 'G', 'O']);
/** Categories that must state an exemption reason; the others must not. */
const NEEDS_EXEMPTION = new Set<VatCategory>(['E', 'AE', 'K', 'G', 'O']);

/** quantity x price / base quantity, rounded half away from zero to minor units (used by our own documents). */
export function lineTotal(quantity: number, unitPriceMinor: number): number {
  const q = numberToDecimal(quantity);
  return Number(divideRounded(q.units * BigInt(unitPriceMinor), 10n ** BigInt(q.scale)));
}

/** Tax of a taxable amount at a rate in basis points, rounded half away from zero (BR-CO-17). */
export function taxOf(taxableMinor: number, basisPoints: number): number {
  return Number(divideRounded(BigInt(taxableMinor) * BigInt(basisPoints), 10_000n));
}

/** The category a line is taxed in; older JSON clients send only a rate. */
function categoryOf(line: InvoiceLine): VatCategory {
  return line.taxCategory ?? ((line.taxRateBasisPoints ?? 0) > 0 ? 'S' : 'Z');
}

function key(category: VatCategory, rate: number | undefined): string {
  return `${category}|${category === 'O' ? '' : (rate ?? 0)}`;
}

function rateText(rate: number | undefined): string {
  return rate === undefined ? 'no rate' : `${rate / 100} %`;
}

interface Group {
  category: VatCategory;
  rate: number | undefined;
  taxable: number;
  /** Tax when each line, allowance and charge is rounded on its own (some ERPs do so). */
  roundedPerItem: number;
  explicit: boolean;
}

/** Every rule the invoice breaks; empty when it is consistent. */
export function checkInvoice(invoice: Invoice): InvoiceProblem[] {
  const problems: InvoiceProblem[] = [];
  // Peppol's own rules only for an invoice that claims Peppol BIS (specifications.ts); EN 16931's for every one.
  const peppol = peppolRulesApply(invoice.specification);
  const add = (rule: string, pointer: string, message: string) => {
    if (peppol || !isPeppolRule(rule)) problems.push({ rule, pointer, message });
  };
  const exponent = currencyExponent(invoice.currency);
  if (!isIsoCurrency(invoice.currency))
    add('BR-CL-04', '/currency', `${invoice.currency} is not an ISO 4217 currency code`);
  if (invoice.taxCurrency !== undefined && !isIsoCurrency(invoice.taxCurrency))
    add('BR-CL-05', '/taxCurrency', `${invoice.taxCurrency} is not an ISO 4217 currency code`);
  const groups = new Map<string, Group>();
  const ids = new Map<string, number>();
  const itemSources: { category: VatCategory; pointer: string; kind: 'line' | 'allowance' | 'charge' }[] = [];

  const addToGroup = (category: VatCategory, rate: number | undefined, amount: number, explicit: boolean) => {
    const k = key(category, rate);
    const g = groups.get(k) ?? { category, rate, taxable: 0, roundedPerItem: 0, explicit };
    g.taxable += amount;
    g.roundedPerItem += rate === undefined ? 0 : taxOf(amount, rate);
    groups.set(k, g);
  };

  let lineSum = 0;
  invoice.lines.forEach((line, i) => {
    const p = `/lines/${i}`;
    checkLineNet(line, p, exponent, add);
    const first = ids.get(line.id);
    if (first !== undefined) add('PW-LINE-ID', `${p}/id`, `line id ${line.id} is used twice (also line ${first + 1})`);
    else ids.set(line.id, i);
    if (line.period) checkPeriod(line.period, `${p}/period`, 'BR-CO-20', 'BR-30', add);
    if (line.standardItemId !== undefined && !line.standardItemScheme)
      add(
        'BR-64',
        `${p}/standardItemScheme`,
        'an item standard identifier (BT-157) needs its scheme, e.g. 0160 for a GTIN',
      );
    line.classifications?.forEach((c, k) => {
      if (!c.listId)
        add(
          'BR-65',
          `${p}/classifications/${k}/listId`,
          'an item classification (BT-158) needs its list, e.g. STI for CPV',
        );
    });
    line.allowanceCharges?.forEach((ac, j) => checkAllowanceCharge(ac, `${p}/allowanceCharges/${j}`, true, add));
    lineSum += line.lineTotalMinor;
    const category = categoryOf(line);
    checkRate(category, line.taxRateBasisPoints, `${p}/taxRateBasisPoints`, '05', add);
    addToGroup(category, line.taxRateBasisPoints, line.lineTotalMinor, line.taxCategory !== undefined);
    if (line.taxCategory) itemSources.push({ category, pointer: `${p}/taxCategory`, kind: 'line' });
  });

  let allowances = 0;
  let charges = 0;
  invoice.allowanceCharges?.forEach((ac, j) => {
    const p = `/allowanceCharges/${j}`;
    checkAllowanceCharge(ac, p, false, add);
    checkRate(ac.taxCategory, ac.taxRateBasisPoints, `${p}/taxRateBasisPoints`, ac.charge ? '07' : '06', add);
    if (ac.charge) charges += ac.amountMinor;
    else allowances += ac.amountMinor;
    addToGroup(ac.taxCategory, ac.taxRateBasisPoints, ac.charge ? ac.amountMinor : -ac.amountMinor, true);
    itemSources.push({
      category: ac.taxCategory,
      pointer: `${p}/taxCategory`,
      kind: ac.charge ? 'charge' : 'allowance',
    });
  });

  // BR-CO-10..16, each with the stated amounts, as the EN 16931 Schematron does: one wrong total is one error.
  const lineExtension = invoice.lineExtensionMinor ?? lineSum;
  if (lineExtension !== lineSum)
    add('BR-CO-10', '/lineExtensionMinor', `is ${lineExtension} but the line net amounts add up to ${lineSum}`);
  if (invoice.allowanceTotalMinor !== undefined && invoice.allowanceTotalMinor !== allowances)
    add(
      'BR-CO-11',
      '/allowanceTotalMinor',
      `is ${invoice.allowanceTotalMinor} but the allowances add up to ${allowances}`,
    );
  if (invoice.chargeTotalMinor !== undefined && invoice.chargeTotalMinor !== charges)
    add('BR-CO-12', '/chargeTotalMinor', `is ${invoice.chargeTotalMinor} but the charges add up to ${charges}`);
  const exclusive = lineExtension - (invoice.allowanceTotalMinor ?? 0) + (invoice.chargeTotalMinor ?? 0);
  if (invoice.taxExclusiveMinor !== exclusive)
    add(
      'BR-CO-13',
      '/taxExclusiveMinor',
      `is ${invoice.taxExclusiveMinor} but lines ${lineExtension} - allowances + charges is ${exclusive}`,
    );
  checkBreakdown(invoice, groups, add);
  const inclusive = invoice.taxInclusiveMinor ?? invoice.taxExclusiveMinor + invoice.taxTotalMinor;
  if (inclusive !== invoice.taxExclusiveMinor + invoice.taxTotalMinor)
    add(
      'BR-CO-15',
      '/taxInclusiveMinor',
      `is ${inclusive} but tax exclusive ${invoice.taxExclusiveMinor} + tax ${invoice.taxTotalMinor} is ${invoice.taxExclusiveMinor + invoice.taxTotalMinor}`,
    );
  // Under XRechnung's extension the third-party payments add to the amount due, and BR-DEX-09 replaces BR-CO-16.
  const extension = xrechnungExtension(invoice.specification);
  const thirdParty = extension ? (invoice.thirdPartyPayments ?? []).reduce((sum, p) => sum + p.amountMinor, 0) : 0;
  const payable = inclusive - (invoice.prepaidMinor ?? 0) + (invoice.roundingMinor ?? 0) + thirdParty;
  if (invoice.payableMinor !== payable)
    add(
      extension ? 'BR-DEX-09' : 'BR-CO-16',
      '/payableMinor',
      `is ${invoice.payableMinor} but tax inclusive ${inclusive} - prepaid + rounding${extension ? ' + third-party payments' : ''} is ${payable}`,
    );
  if (invoice.thirdPartyPayments && (!extension || invoice.documentType === 'credit_note'))
    add(
      'PW-THIRD-PARTY',
      '/thirdPartyPayments',
      "third-party payments (BG-DEX-09) belong to an invoice under XRechnung's extension, which the specification must claim",
    );

  checkCategoryParties(invoice, itemSources, add);
  checkDocument(invoice, groups, peppol, add);
  problems.push(...checkCodes(invoice));
  if (peppol)
    problems.push(
      ...checkIdentifierRules(invoice),
      ...checkPeppolDocumentRules(invoice),
      ...checkNationalRules(invoice),
    );
  // XRechnung's own rules only for an invoice that claims it, like Peppol's.
  if (xrechnungRulesApply(invoice.specification)) problems.push(...checkXRechnungRules(invoice));
  return problems;
}

type Add = (rule: string, pointer: string, message: string) => void;

/**
 * PEPPOL-EN16931-R120/R121/R130/R046: net = quantity x (net price / base quantity) + charges - allowances (0.02
 * slack), which holds only when the base quantity is in the line's unit.
 */
function checkLineNet(line: InvoiceLine, p: string, exponent: number, add: Add): void {
  if (line.priceBaseQuantity !== undefined && line.priceBaseQuantity <= 0)
    add('PEPPOL-EN16931-R121', `${p}/priceBaseQuantity`, 'must be above zero');
  // Without a unit the invoiced quantity is in C62 (one), as our writer writes it.
  const unit = line.unitCode ?? DEFAULT_UNIT_CODE;
  if (line.priceBaseUnitCode !== undefined && line.priceBaseUnitCode !== unit)
    add(
      'PEPPOL-EN16931-R130',
      `${p}/priceBaseUnitCode`,
      `the price base quantity is in ${line.priceBaseUnitCode.slice(0, 10)}, the invoiced quantity in ${unit.slice(0, 10)}: they must be the same unit`,
    );
  if (line.grossPriceMinor !== undefined) {
    // Exactly, whatever the decimals of each of the three prices: 410.001 is not 450 - 40.
    const exact = (text: string | undefined, minor: number): ExactDecimal =>
      (text !== undefined ? parseDecimal(text) : undefined) ?? { units: BigInt(minor), scale: exponent };
    const net = exact(line.unitPrice, line.unitPriceMinor);
    const gross = exact(line.grossPrice, line.grossPriceMinor);
    const discount = exact(line.priceDiscount, line.priceDiscountMinor ?? 0);
    const scale = Math.max(net.scale, gross.scale, discount.scale);
    const at = (d: ExactDecimal) => d.units * 10n ** BigInt(scale - d.scale);
    if (at(gross) - at(discount) !== at(net)) {
      const text = (d: ExactDecimal) => minorToDecimal(d.units, d.scale);
      add(
        'PEPPOL-EN16931-R046',
        `${p}/unitPriceMinor`,
        `the net price ${text(net)} is not gross price ${text(gross)} - discount ${text(discount)}`,
      );
    }
  }
  const scale = 10n ** BigInt(exponent);
  const q = numberToDecimal(line.quantity);
  if (q.scale > 6) add('PW-QUANTITY', `${p}/quantity`, `${line.quantity} has more than six decimals`);
  const price = line.unitPrice !== undefined ? parseDecimal(line.unitPrice) : undefined;
  // Price in minor units as a fraction priceNum / priceDen.
  const priceNum = price ? price.units * scale : BigInt(line.unitPriceMinor);
  const priceDen = price ? 10n ** BigInt(price.scale) : 1n;
  const base = numberToDecimal(line.priceBaseQuantity ?? 1);
  if (base.units <= 0n) return;
  let adjustments = 0n;
  for (const ac of line.allowanceCharges ?? []) adjustments += BigInt(ac.charge ? ac.amountMinor : -ac.amountMinor);
  // expected = q.units/10^qs * priceNum/priceDen * 10^bs/base.units + adjustments, as one fraction num/den.
  const den = 10n ** BigInt(q.scale) * priceDen * base.units;
  const num = q.units * priceNum * 10n ** BigInt(base.scale) + adjustments * den;
  const diff = BigInt(line.lineTotalMinor) * den - num;
  // Peppol allows 0.02 of the currency unit: 2 minor units of a two-decimal currency.
  const slack = 2n * scale * den;
  if (diff * 100n > slack || -diff * 100n > slack) {
    const expected = divideRounded(num, den);
    add(
      'PEPPOL-EN16931-R120',
      `${p}/lineTotalMinor`,
      `is ${line.lineTotalMinor} but quantity ${line.quantity} x price${line.priceBaseQuantity ? ` / ${line.priceBaseQuantity}` : ''} + charges - allowances is ${expected}`,
    );
  }
}

/** The rules that ask an allowance or charge for its reason, by level and kind. */
const REASON_RULES = {
  document: { allowance: ['BR-33', 'BR-CO-21'], charge: ['BR-38', 'BR-CO-22'] },
  line: { allowance: ['BR-42', 'BR-CO-23'], charge: ['BR-44', 'BR-CO-24'] },
} as const;

/** PEPPOL-EN16931-R040 and BR-CO-21..24: amount = base x percent, and a reason or reason code. */
function checkAllowanceCharge(
  ac: {
    charge: boolean;
    amountMinor: number;
    baseAmountMinor?: number;
    percentBasisPoints?: number;
    reason?: string;
    reasonCode?: string;
  },
  p: string,
  onLine: boolean,
  add: Add,
): void {
  // CEN states this twice (BR-33 and BR-CO-21 for a document level allowance...); a validator reports both.
  if (!ac.reason && !ac.reasonCode)
    for (const rule of REASON_RULES[onLine ? 'line' : 'document'][ac.charge ? 'charge' : 'allowance'])
      add(rule, `${p}/reason`, `a${ac.charge ? ' charge' : 'n allowance'} needs a reason or a reason code`);
  if (ac.baseAmountMinor !== undefined && ac.percentBasisPoints !== undefined) {
    const expected = BigInt(ac.baseAmountMinor) * BigInt(ac.percentBasisPoints);
    const diff = BigInt(ac.amountMinor) * 10_000n - expected;
    if (diff > 20_000n || diff < -20_000n)
      add(
        'PEPPOL-EN16931-R040',
        `${p}/amountMinor`,
        `is ${ac.amountMinor} but base ${ac.baseAmountMinor} x ${ac.percentBasisPoints / 100} % is ${taxOf(ac.baseAmountMinor, ac.percentBasisPoints)}`,
      );
  }
}

/** BR-x-05/06/07: the rate a category allows. */
function checkRate(category: VatCategory, rate: number | undefined, pointer: string, n: string, add: Add): void {
  const rule = `${FAMILY[category]}-${n}`;
  if (category === 'O') {
    if (rate !== undefined) add(rule, pointer, 'category O (not subject to VAT) has no VAT rate');
  } else if (category === 'S' || category === 'B') {
    if (!rate) add(rule, pointer, `category ${category} needs a VAT rate above zero`);
  } else if (ZERO_TAX.has(category)) {
    if (rate !== 0) add(rule, pointer, `category ${category} needs the VAT rate 0`);
  } else if (rate === undefined) add(rule, pointer, `category ${category} needs a VAT rate`);
}

/** BR-CO-14, BR-CO-18 and BR-x-01/08/09/10 against the breakdown (derived from the lines when JSON has none). */
function checkBreakdown(invoice: Invoice, groups: Map<string, Group>, add: Add): void {
  /** One unit of the document currency in minor units (100 for EUR, 1 for JPY). */
  const unit = 10 ** currencyExponent(invoice.currency);
  if (!invoice.taxBreakdown) {
    // An older JSON client: tax per rate (EN 16931), or rounded per line, which some senders do.
    let byGroup = 0;
    let perItem = 0;
    for (const g of groups.values()) {
      byGroup += ZERO_TAX.has(g.category) || g.rate === undefined ? 0 : taxOf(g.taxable, g.rate);
      perItem += ZERO_TAX.has(g.category) ? 0 : g.roundedPerItem;
    }
    if (invoice.taxTotalMinor !== byGroup && invoice.taxTotalMinor !== perItem)
      add('BR-CO-14', '/taxTotalMinor', `is ${invoice.taxTotalMinor} but the tax of the lines by rate is ${byGroup}`);
    return;
  }
  let sum = 0;
  const stated = new Set<string>();
  const categories = new Set(invoice.taxBreakdown.map((b) => b.category));
  invoice.taxBreakdown.forEach((b, k) => {
    const p = `/taxBreakdown/${k}`;
    const family = FAMILY[b.category];
    sum += b.taxMinor;
    // Every category states its rate, 0 included, but O (not subject to VAT), which has none.
    if (b.rateBasisPoints === undefined && b.category !== 'O')
      add(
        'BR-48',
        `${p}/rateBasisPoints`,
        `a VAT breakdown of category ${b.category} needs its rate (BT-119), 0 included`,
      );
    const id = key(b.category, b.rateBasisPoints);
    stated.add(id);
    const group = groups.get(id);
    const expectedTaxable = group?.taxable ?? 0;
    // Split payment (B) has no taxable-amount rule of its own in EN 16931 (CEN's BR-B-* are about where B may be used).
    if (b.category !== 'B' && b.taxableMinor !== expectedTaxable)
      add(
        `${family}-08`,
        `${p}/taxableMinor`,
        `is ${b.taxableMinor} but lines + charges - allowances in ${b.category} at ${rateText(b.rateBasisPoints)} add up to ${expectedTaxable}`,
      );
    if (ZERO_TAX.has(b.category)) {
      if (b.taxMinor !== 0) add(`${family}-09`, `${p}/taxMinor`, `must be 0 in category ${b.category}`);
      // BR-CO-17 at the rate 0: the tax rounded to whole units of the currency is 0 (round() as XPath's, half up).
      if (!b.rateBasisPoints && Math.floor(b.taxMinor / unit + 0.5) !== 0)
        add('BR-CO-17', `${p}/taxMinor`, `is ${b.taxMinor}, but the VAT of a rate 0 is 0`);
    } else if (b.rateBasisPoints !== undefined) {
      const expected = taxOf(b.taxableMinor, b.rateBasisPoints);
      // Some senders round each line's tax; that sum is accepted when the taxable amount is the lines' own.
      const perItem = group && group.taxable === b.taxableMinor ? group.roundedPerItem : expected;
      // The CEN schematron allows the stated tax to differ from the rounded product by less than one unit of the
      // currency (|tax| - 1 < round(|taxable| x rate) < |tax| + 1): an ERP's cent of rounding is not a wrong invoice.
      const withinOneUnit = Math.abs(Math.abs(b.taxMinor) - Math.abs(expected)) < unit;
      if (b.taxMinor !== expected && b.taxMinor !== perItem && !withinOneUnit) {
        // BR-CO-17 is the same test for every category: a validator reports it beside the category's own -09.
        const message = `is ${b.taxMinor} but ${b.taxableMinor} x ${rateText(b.rateBasisPoints)} is ${expected}`;
        if (b.category !== 'B') add(`${family}-09`, `${p}/taxMinor`, message);
        add('BR-CO-17', `${p}/taxMinor`, message);
      }
    } else add(`${family}-09`, `${p}/rateBasisPoints`, `category ${b.category} needs a VAT rate`);
    const hasReason = Boolean(b.exemptionReason || b.exemptionReasonCode);
    if (NEEDS_EXEMPTION.has(b.category) && !hasReason)
      add(`${family}-10`, `${p}/exemptionReason`, `category ${b.category} needs an exemption reason or reason code`);
    if (!NEEDS_EXEMPTION.has(b.category) && b.category !== 'B' && hasReason)
      add(`${family}-10`, `${p}/exemptionReason`, `category ${b.category} must not have an exemption reason`);
  });
  for (const [id, g] of groups) {
    if (stated.has(id)) continue;
    const family = FAMILY[g.category];
    if (!categories.has(g.category))
      add(`${family}-01`, '/taxBreakdown', `items in category ${g.category} need a VAT breakdown in that category`);
    else
      add(
        `${family}-08`,
        '/taxBreakdown',
        `items in category ${g.category} at ${rateText(g.rate)} (taxable ${g.taxable}) have no breakdown group`,
      );
  }
  if (invoice.taxTotalMinor !== sum)
    add('BR-CO-14', '/taxTotalMinor', `is ${invoice.taxTotalMinor} but the breakdown's tax amounts add up to ${sum}`);
  if (categories.has('O') && categories.size > 1)
    add('BR-O-11', '/taxBreakdown', 'a breakdown in category O allows no other category');
}

/** BR-x-02/03/04 (and BR-O-02..04): the VAT identifiers each category needs, or forbids. */
function checkCategoryParties(
  invoice: Invoice,
  items: { category: VatCategory; pointer: string; kind: 'line' | 'allowance' | 'charge' }[],
  add: Add,
): void {
  const seller = invoice.supplier;
  const buyer = invoice.customer;
  const rep = invoice.taxRepresentativeVatId;
  const sellerAny = Boolean(seller.vatId || seller.taxRegistrationId || rep);
  const reported = new Set<string>();
  for (const item of items) {
    const n = item.kind === 'line' ? '02' : item.kind === 'allowance' ? '03' : '04';
    const rule = `${FAMILY[item.category]}-${n}`;
    if (reported.has(rule)) continue;
    let message: string | undefined;
    switch (item.category) {
      case 'S':
      case 'Z':
      case 'E':
      case 'L':
      case 'M':
        if (!sellerAny) message = 'the seller needs a VAT identifier, tax registration id or tax representative';
        break;
      case 'AE':
        if (!sellerAny || !(buyer.vatId || buyer.legalRegistrationId))
          message = 'reverse charge needs the seller VAT (or tax registration) id and the buyer VAT or legal id';
        break;
      case 'K':
        if (!(seller.vatId || rep) || !buyer.vatId)
          message = 'an intra-community supply needs the seller and the buyer VAT identifiers';
        break;
      case 'G':
        if (!(seller.vatId || rep)) message = 'an export needs the seller VAT identifier';
        break;
      case 'O':
        if (seller.vatId || rep || buyer.vatId)
          message = 'items not subject to VAT allow no seller, tax representative or buyer VAT identifier';
        break;
      default:
        break;
    }
    if (message) {
      reported.add(rule);
      add(rule, item.pointer, message);
    }
  }
  // BR-O-12 .. -14: a breakdown in O (the one derived from the items when JSON states none) allows lines,
  // allowances and charges in O only, each kind under its own rule.
  const breakdownO = invoice.taxBreakdown
    ? invoice.taxBreakdown.some((b) => b.category === 'O')
    : items.some((i) => i.category === 'O');
  if (breakdownO)
    for (const [kind, rule] of [
      ['line', 'BR-O-12'],
      ['allowance', 'BR-O-13'],
      ['charge', 'BR-O-14'],
    ] as const) {
      const other = items.find((i) => i.kind === kind && i.category !== 'O');
      if (other) add(rule, other.pointer, 'an invoice with items not subject to VAT (O) allows no other category');
    }
  // BR-B-01, BR-B-02: the Italian split payment (B) only where every country stated is Italy, and never beside S.
  const split = items.find((i) => i.category === 'B');
  if (split || invoice.taxBreakdown?.some((b) => b.category === 'B')) {
    const countries = [
      invoice.supplier.address?.country,
      invoice.customer.address?.country,
      invoice.taxRepresentativeAddress?.country,
      invoice.delivery?.country,
      ...invoice.lines.map((line) => line.originCountry),
    ].filter((c): c is string => Boolean(c));
    const where = split?.pointer ?? '/taxBreakdown';
    if (countries.some((c) => c !== 'IT'))
      add('BR-B-01', where, 'split payment (category B) is only for domestic Italian invoices: every country is IT');
    if (items.some((i) => i.category === 'S') || invoice.taxBreakdown?.some((b) => b.category === 'S'))
      add('BR-B-02', where, 'an invoice with split payment (category B) has no item in standard rate (S)');
  }
}

function checkPeriod(
  period: { startDate?: string; endDate?: string; descriptionCode?: string },
  p: string,
  presenceRule: string,
  orderRule: string,
  add: Add,
): void {
  // The document period may carry only the VAT point date code (BT-8), as the UBL binding of BR-CO-19 allows.
  if (!period.startDate && !period.endDate && !period.descriptionCode)
    add(presenceRule, p, 'a period needs a start date, an end date or both');
  if (period.startDate && period.endDate && period.endDate < period.startDate)
    add(orderRule, `${p}/endDate`, `${period.endDate} is before the start date ${period.startDate}`);
}

/** Document-level rules: dates, periods, identifiers, payment, intra-community delivery. */
function checkDocument(invoice: Invoice, groups: Map<string, Group>, peppol: boolean, add: Add): void {
  if (invoice.dueDate && invoice.dueDate < invoice.issueDate)
    add('PW-DUE-DATE', '/dueDate', `${invoice.dueDate} is before the issue date ${invoice.issueDate}`);
  for (const [pointer, id] of [
    ['/supplier/vatId', invoice.supplier.vatId],
    ['/customer/vatId', invoice.customer.vatId],
    ['/taxRepresentativeVatId', invoice.taxRepresentativeVatId],
  ] as const)
    if (id !== undefined && !hasVatPrefix(id))
      add(
        'BR-CO-09',
        pointer,
        `VAT identifier ${id} must start with its country code (ISO 3166-1 alpha-2, EL for Greece)`,
      );
  for (const [pointer, code] of [
    ['/supplier/address/country', invoice.supplier.address?.country],
    ['/customer/address/country', invoice.customer.address?.country],
    ['/taxRepresentativeAddress/country', invoice.taxRepresentativeAddress?.country],
    ['/delivery/country', invoice.delivery?.country],
    ...invoice.lines.map((line, i) => [`/lines/${i}/originCountry`, line.originCountry] as const),
  ] as const)
    if (code && !isCountryCode(code))
      add(
        pointer.endsWith('originCountry') ? 'BR-CL-15' : 'BR-CL-14',
        pointer,
        `${code.slice(0, 10)} is not a country code of ISO 3166-1 (GR for Greece; 1A Kosovo, XI Northern Ireland)`,
      );
  if (invoice.invoicePeriod) checkPeriod(invoice.invoicePeriod, '/invoicePeriod', 'BR-CO-19', 'BR-29', add);
  if (invoice.taxPointDate && invoice.invoicePeriod?.descriptionCode)
    add('BR-CO-03', '/taxPointDate', 'the VAT point date and the VAT point date code are mutually exclusive');
  const seller = invoice.supplier;
  // Older JSON clients (no breakdown) are not held to BR-08, BR-10, BR-62, BR-63, BR-CO-25 and BR-CO-26, as before.
  if (invoice.taxBreakdown && !seller.identifier && !seller.legalRegistrationId && !seller.vatId)
    add('BR-CO-26', '/supplier', 'the seller needs an identifier, a legal registration id or a VAT id');
  // The seller's and the buyer's postal address with its country (BR-08 and BR-10; BR-09 and BR-11: the model's
  // address always has one).
  if (invoice.taxBreakdown && !seller.address)
    add('BR-08', '/supplier/address', "the seller's postal address (BG-5) with its country is required");
  if (invoice.taxBreakdown && !invoice.customer.address)
    add('BR-10', '/customer/address', "the buyer's postal address (BG-8) with its country is required");
  // An electronic address means nothing without its scheme (BR-62, BR-63).
  for (const [p, party, rule] of [
    ['/supplier', seller, 'BR-62'],
    ['/customer', invoice.customer, 'BR-63'],
  ] as const)
    if (invoice.taxBreakdown && party.endpointId !== undefined && !party.endpointScheme)
      add(rule, `${p}/endpointId`, 'an electronic address needs its scheme (BT-34-1, BT-49-1, e.g. 0088)');
  // Invoices only: Peppol BIS 3.0.4 lifted BR-CO-25 from credit notes (its context is the Invoice's PayableAmount).
  // And Peppol BIS only: CEN's own schematron no longer has it (EN 16931 asks for neither a due date nor terms).
  if (
    peppol &&
    invoice.documentType !== 'credit_note' &&
    invoice.taxBreakdown &&
    invoice.payableMinor > 0 &&
    !invoice.dueDate &&
    !invoice.paymentTerms
  )
    add('BR-CO-25', '/dueDate', 'an amount due for payment needs a due date or payment terms');
  // The first credit transfer account is `accountId`; `additionalCreditTransfers` only ever follows it.
  if (invoice.payment?.additionalCreditTransfers?.length && firstPayeeAccount(invoice.payment) === undefined)
    add(
      'PW-PAYMENT-ACCOUNT',
      '/payment/accountId',
      'the first credit transfer account goes in accountId (not a card number or a debited account); ' +
        'additionalCreditTransfers holds the ones after it',
    );
  if (
    invoice.payment &&
    CREDIT_TRANSFER_CODES.has(invoice.payment.meansCode.trim()) &&
    creditTransferAccounts(invoice.payment).length === 0
  )
    add(
      'BR-61',
      '/payment/accountId',
      `a credit transfer (payment means ${invoice.payment.meansCode}) needs the account to pay into (BT-84)`,
    );
  if (
    (invoice.taxRepresentativeName !== undefined || invoice.taxRepresentativeAddress !== undefined) &&
    invoice.taxRepresentativeVatId === undefined
  )
    add('BR-56', '/taxRepresentativeVatId', 'a tax representative needs its VAT identifier (BT-63)');
  if (invoice.taxRepresentativeVatId !== undefined && invoice.taxRepresentativeAddress === undefined)
    add('BR-19', '/taxRepresentativeAddress', 'a tax representative needs its postal address (BG-12)');
  const d = invoice.delivery;
  if (
    d &&
    !d.country &&
    [d.street, d.additionalStreet, d.addressLine3, d.city, d.postalCode, d.countrySubdivision].some((v) => v)
  )
    add('BR-57', '/delivery/country', 'a deliver-to address needs its country (BT-80)');
  if (invoice.taxCurrency !== undefined) {
    if (invoice.taxCurrency === invoice.currency)
      add('PEPPOL-EN16931-R005', '/taxCurrency', 'the VAT accounting currency must differ from the document currency');
    // In the document currency, the VAT total is its own total in that currency (as CEN's BR-53 reads it).
    if (invoice.taxTotalInTaxCurrencyMinor === undefined && invoice.taxCurrency !== invoice.currency)
      add('BR-53', '/taxTotalInTaxCurrencyMinor', 'a VAT accounting currency needs the total VAT in that currency');
    // There, BT-111 is BT-110 itself: UBL has one VAT total in the document currency (BR-CO-15), not two that differ.
    const inTaxCurrency = invoice.taxTotalInTaxCurrencyMinor;
    if (
      invoice.taxCurrency === invoice.currency &&
      inTaxCurrency !== undefined &&
      inTaxCurrency !== invoice.taxTotalMinor
    )
      add(
        'BR-CO-15',
        '/taxTotalInTaxCurrencyMinor',
        `is ${inTaxCurrency} but in the document currency it is the VAT total ${invoice.taxTotalMinor}`,
      );
  }
  const intraCommunity = [...groups.values()].some((g) => g.category === 'K' && g.explicit);
  if (intraCommunity) {
    if (!invoice.delivery?.date && !invoice.invoicePeriod)
      add('BR-IC-11', '/delivery/date', 'an intra-community supply needs the delivery date or the invoicing period');
    if (!invoice.delivery?.country)
      add('BR-IC-12', '/delivery/country', 'an intra-community supply needs the deliver-to country');
  }
}

/**
 * What an embedded document (BT-125) must say of itself, in UBL and in JSON alike: its mime code (UBL-DT-06), one
 * of EN 16931's list (BR-CL-24), and its file name (UBL-DT-07); BT-125-1 and BT-125-2 are 1..1.
 */
export function embeddedDocumentProblems(document: {
  mimeCode?: string;
  filename?: string;
}): { rule: string; field: 'mimeCode' | 'filename'; message: string }[] {
  const { mimeCode, filename } = document;
  return [
    ...(mimeCode === undefined
      ? [{ rule: 'UBL-DT-06', field: 'mimeCode' as const, message: 'an embedded document needs its mime code' }]
      : !EMBEDDED_MIME_CODES.includes(mimeCode)
        ? [
            {
              rule: 'BR-CL-24',
              field: 'mimeCode' as const,
              message: `mime code ${quoted(mimeCode)} is not one of ${EMBEDDED_MIME_CODES.join(', ')}`,
            },
          ]
        : []),
    ...(filename === undefined
      ? [{ rule: 'UBL-DT-07', field: 'filename' as const, message: 'an embedded document needs its file name' }]
      : []),
  ];
}

/**
 * Attachment fields a partner may not send: `contentId` and `sizeBytes` are the service's (the claim check sets
 * them), and embedded content only where it is stored apart (`POST /v1/invoices`, not a batch line).
 */
export function attachmentFieldProblems(
  invoice: Invoice,
  embeddedAllowed: boolean,
): { rule?: string; pointer: string; message: string }[] {
  return (invoice.attachments ?? []).flatMap((a, k) => [
    ...(embeddedAllowed && a.contentBase64 !== undefined
      ? embeddedDocumentProblems(a).map(({ rule, field, message }) => ({
          rule,
          pointer: `/attachments/${k}/${field}`,
          message,
        }))
      : []),
    ...(a.contentId !== undefined
      ? [{ pointer: `/attachments/${k}/contentId`, message: 'is set by the service' }]
      : []),
    ...(a.sizeBytes !== undefined
      ? [{ pointer: `/attachments/${k}/sizeBytes`, message: 'is set by the service' }]
      : []),
    ...(!embeddedAllowed && a.contentBase64 !== undefined
      ? [
          {
            pointer: `/attachments/${k}/contentBase64`,
            message: 'send invoices with embedded documents to POST /v1/invoices, one at a time',
          },
        ]
      : []),
  ]);
}
