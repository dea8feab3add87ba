/**
 * UBL 2.1 Invoice (Peppol BIS Billing 3.0 core fields) to the canonical invoice. Every problem names the XML
 * element; `sources` maps canonical JSON pointers back to elements so later schema and total checks can too.
 */
import type { Invoice, InvoiceLine } from '../../contracts';
import { currencyExponent, decimalScaled, decimalToMinor } from './decimal';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml-tree';

/** One problem, pointing at an XML element. */
export interface UblProblem {
  pointer: string;
  message: string;
}

/** The result of mapping a UBL document. */
export type UblMapping =
  | { ok: true; invoice: Invoice; sources: Record<string, string> }
  | { ok: false; syntax: boolean; errors: UblProblem[] };

const INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';

/** Maps a UBL 2.1 Invoice document onto the canonical invoice. */
export function mapUblInvoice(xml: string): UblMapping {
  let parsed;
  try {
    parsed = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError)
      return { ok: false, syntax: true, errors: [{ pointer: '/', message: err.message }] };
    throw err;
  }
  if (parsed.name !== 'Invoice' || !xml.includes(INVOICE_NS)) {
    return {
      ok: false,
      syntax: false,
      errors: [{ pointer: `/${parsed.name}`, message: `the root element must be Invoice in namespace ${INVOICE_NS}` }],
    };
  }
  return new Mapper().map(parsed.root);
}

class Mapper {
  private readonly errors: UblProblem[] = [];
  private readonly sources: Record<string, string> = {};
  private exponent = 2;
  private currency = '';

  map(root: XmlElement): UblMapping {
    const currencyEl = this.required(root, 'cbc', 'DocumentCurrencyCode', '/currency');
    this.currency = currencyEl?.text ?? '';
    this.exponent = currencyExponent(this.currency);
    const invoice: Partial<Invoice> = {
      invoiceNumber: this.required(root, 'cbc', 'ID', '/invoiceNumber')?.text,
      issueDate: this.required(root, 'cbc', 'IssueDate', '/issueDate')?.text,
      currency: this.currency,
      supplier: this.party(root, 'AccountingSupplierParty', '/supplier'),
      customer: this.party(root, 'AccountingCustomerParty', '/customer'),
      lines: this.lines(root),
    };
    const due = this.optional(root, 'cbc', 'DueDate', '/dueDate');
    if (due) invoice.dueDate = due.text;
    // A second TaxTotal may state the tax in the tax currency (BT-111); ours is the one in the document currency.
    const taxTotals = root.all('cac', 'TaxTotal');
    const taxTotal =
      taxTotals.find((t) => t.one('cbc', 'TaxAmount')?.attr('currencyID') === this.currency) ??
      this.required(root, 'cac', 'TaxTotal', '/taxTotalMinor');
    if (taxTotal) invoice.taxTotalMinor = this.amount(taxTotal, 'TaxAmount', '/taxTotalMinor');
    const totals = this.required(root, 'cac', 'LegalMonetaryTotal', '/payableMinor');
    if (totals) {
      invoice.taxExclusiveMinor = this.amount(totals, 'TaxExclusiveAmount', '/taxExclusiveMinor');
      invoice.payableMinor = this.amount(totals, 'PayableAmount', '/payableMinor');
    }
    const terms = root.one('cac', 'PaymentTerms')?.one('cbc', 'Note');
    if (terms?.text) invoice.paymentTerms = this.note(terms, '/paymentTerms');
    const iban = root.one('cac', 'PaymentMeans')?.one('cac', 'PayeeFinancialAccount')?.one('cbc', 'ID');
    if (iban?.text) invoice.payeeIban = this.note(iban, '/payeeIban').replace(/\s+/g, '');
    if (this.errors.length) return { ok: false, syntax: false, errors: this.errors };
    return { ok: true, invoice: invoice as Invoice, sources: this.sources };
  }

  private required(parent: XmlElement, prefix: string, name: string, pointer: string): XmlElement | undefined {
    const el = parent.one(prefix, name);
    if (!el) this.errors.push({ pointer: parent.pathOf(prefix, name), message: 'is required' });
    else if (prefix === 'cbc' && !el.text) this.errors.push({ pointer: el.path, message: 'must not be empty' });
    else this.sources[pointer] = el.path;
    return el && (prefix === 'cac' || el.text) ? el : undefined;
  }

  private optional(parent: XmlElement, prefix: string, name: string, pointer: string): XmlElement | undefined {
    const el = parent.one(prefix, name);
    if (el) this.sources[pointer] = el.path;
    return el?.text ? el : undefined;
  }

  private note(el: XmlElement, pointer: string): string {
    this.sources[pointer] = el.path;
    return el.text;
  }

  /** A monetary child element in exact minor units, in the document currency. */
  private amount(parent: XmlElement, name: string, pointer: string): number {
    const el = this.required(parent, 'cbc', name, pointer);
    if (!el) return 0;
    const currencyId = el.attr('currencyID');
    if (currencyId !== undefined && currencyId !== this.currency) {
      this.errors.push({
        pointer: el.path,
        message: `currencyID ${currencyId} differs from the document currency ${this.currency}`,
      });
    }
    const parsed = decimalToMinor(el.text, this.exponent);
    if ('error' in parsed) {
      this.errors.push({ pointer: el.path, message: parsed.error });
      return 0;
    }
    return parsed.value;
  }

  private party(root: XmlElement, role: string, pointer: string): Invoice['supplier'] {
    const wrapper = this.required(root, 'cac', role, pointer);
    const party = wrapper && this.required(wrapper, 'cac', 'Party', pointer);
    if (!party) return { name: '' };
    const legal = party.one('cac', 'PartyLegalEntity')?.one('cbc', 'RegistrationName');
    const trading = party.one('cac', 'PartyName')?.one('cbc', 'Name');
    const nameEl = legal?.text ? legal : trading;
    if (!nameEl?.text)
      this.errors.push({
        pointer: party.pathOf('cac', 'PartyLegalEntity') + '/cbc:RegistrationName',
        message: 'is required (or cac:PartyName/cbc:Name)',
      });
    const result: Invoice['supplier'] = { name: nameEl ? this.note(nameEl, `${pointer}/name`) : '' };
    const vat = party.one('cac', 'PartyTaxScheme')?.one('cbc', 'CompanyID');
    if (vat?.text) result.vatId = this.note(vat, `${pointer}/vatId`);
    const address = party.one('cac', 'PostalAddress');
    if (address) {
      const country = address.one('cac', 'Country')?.one('cbc', 'IdentificationCode');
      if (!country?.text)
        this.errors.push({
          pointer: address.pathOf('cac', 'Country') + '/cbc:IdentificationCode',
          message: 'is required in a postal address',
        });
      result.address = { country: country ? this.note(country, `${pointer}/address/country`) : '' };
      const fields = [
        ['StreetName', 'street'],
        ['CityName', 'city'],
        ['PostalZone', 'postalCode'],
      ] as const;
      for (const [element, field] of fields) {
        const el = address.one('cbc', element);
        if (el?.text) result.address[field] = this.note(el, `${pointer}/address/${field}`);
      }
    }
    return result;
  }

  private lines(root: XmlElement): InvoiceLine[] {
    const lines = root.all('cac', 'InvoiceLine', true);
    if (lines.length === 0)
      this.errors.push({
        pointer: root.pathOf('cac', 'InvoiceLine'),
        message: 'at least one invoice line is required',
      });
    return lines.map((line, i) => {
      const p = `/lines/${i}`;
      this.sources[p] = line.path;
      const quantityEl = this.required(line, 'cbc', 'InvoicedQuantity', `${p}/quantity`);
      let quantity = 0;
      if (quantityEl) {
        const q = decimalScaled(quantityEl.text, 3);
        if ('error' in q) this.errors.push({ pointer: quantityEl.path, message: q.error });
        else quantity = q.value / 1000;
      }
      const item = this.required(line, 'cac', 'Item', `${p}/description`);
      const price = this.required(line, 'cac', 'Price', `${p}/unitPriceMinor`);
      const category = item && this.required(item, 'cac', 'ClassifiedTaxCategory', `${p}/taxRateBasisPoints`);
      const percent = category && this.required(category, 'cbc', 'Percent', `${p}/taxRateBasisPoints`);
      let taxRateBasisPoints = 0;
      if (percent) {
        const rate = decimalScaled(percent.text, 2);
        if ('error' in rate) this.errors.push({ pointer: percent.path, message: rate.error });
        else taxRateBasisPoints = rate.value;
      }
      return {
        id: this.required(line, 'cbc', 'ID', `${p}/id`)?.text ?? '',
        description: (item && this.required(item, 'cbc', 'Name', `${p}/description`)?.text) ?? '',
        quantity,
        unitPriceMinor: price ? this.amount(price, 'PriceAmount', `${p}/unitPriceMinor`) : 0,
        lineTotalMinor: this.amount(line, 'LineExtensionAmount', `${p}/lineTotalMinor`),
        taxRateBasisPoints,
      };
    });
  }
}

/** The XML element a canonical pointer came from (its nearest mapped ancestor), or the pointer itself. */
export function sourceOf(sources: Record<string, string>, pointer: string): string {
  for (let p = pointer; p; p = p.slice(0, p.lastIndexOf('/'))) if (sources[p]) return sources[p]!;
  return pointer;
}
