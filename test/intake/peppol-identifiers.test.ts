/**
 * Peppol's checks of identifiers by their scheme (PEPPOL-COMMON-R040 .. R043, R049, R050): a GLN, a Norwegian,
 * Danish, Belgian or Swedish organisation number or an ABN with a wrong check digit or form is refused in a document
 * that claims Peppol BIS, naming the element; EN 16931 alone has no such rule.
 */
import { describe, expect, it } from 'vitest';
import { claiming, EN16931_CORE, fixture, judge, read, swap } from './judge';
import { abnValid, belgianEnterpriseValid, glnValid, mod11Valid, swedishOrgnrValid } from '../../domain/check-digits';
import { checkInvoice } from '../../domain/invoice-checks';
import { checkPartnerBilling } from '../../domain/partner-billing';
import { identifierRuleBroken } from '../../domain/peppol-identifier-rules';
import type { Invoice } from '../../contracts/invoice';

const rich = fixture('peppol-invoice-allowances.xml');

describe('check digits', () => {
  it('are computed as the schematron computes them, on published identifiers', () => {
    expect(glnValid('7300010000001')).toBe(true);
    expect(glnValid('7300010000002')).toBe(false);
    expect(glnValid('5790000436101')).toBe(true);
    expect(mod11Valid('999999999')).toBe(true);
    expect(mod11Valid('999999998')).toBe(false);
    expect(belgianEnterpriseValid('0202239951')).toBe(true);
    expect(belgianEnterpriseValid('0417497106')).toBe(true);
    expect(belgianEnterpriseValid('0417497107')).toBe(false);
    // The Australian Taxation Office's own example.
    expect(abnValid('51824753556')).toBe(true);
    expect(abnValid('51824753557')).toBe(false);
    expect(swedishOrgnrValid('5560360793')).toBe(true);
    expect(swedishOrgnrValid('1234567890')).toBe(false);
  });
});

describe('identifiers under their scheme', () => {
  it("refuses a bad GLN in a seller's second identifier, which the model does not hold", () => {
    const seller = '<cbc:EndpointID schemeID="0088">7300010000001</cbc:EndpointID>';
    const id = (gln: string) =>
      `<cac:PartyIdentification><cbc:ID schemeID="0088">${gln}</cbc:ID></cac:PartyIdentification>`;
    const xml = rich.replace(seller, seller + id('7300010000001') + id('7300010000002'));
    expect(judge(xml)).toEqual([
      expect.objectContaining({
        rule: 'PEPPOL-COMMON-R040',
        pointer: '/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification[2]/cbc:ID',
      }),
    ]);
    expect(judge(claiming(xml, EN16931_CORE))).toEqual([]);
  });

  it('compares the value after normalize-space, which keeps a no-break space', () => {
    expect(identifierRuleBroken('0088', ' 7300010000001\n')).toBeUndefined();
    expect(identifierRuleBroken('0088', '7300010000001\u00a0')).toMatchObject({ rule: 'PEPPOL-COMMON-R040' });
  });

  it('refuses a GLN endpoint with a wrong check digit in a Peppol document, naming the element', () => {
    const xml = rich.replace('schemeID="0088">7300010000001<', 'schemeID="0088">7300010000002<');
    expect(judge(xml)).toEqual([
      expect.objectContaining({
        rule: 'PEPPOL-COMMON-R040',
        pointer: '/Invoice/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID',
      }),
    ]);
    // Not EN 16931's rule: the same document under the core specification is accepted.
    expect(judge(claiming(xml, EN16931_CORE))).toEqual([]);
  });

  const base = read(rich);
  const cases: [string, string, Invoice, boolean][] = [
    [
      'R041 a Norwegian number of nine digits',
      '/supplier/legalRegistrationId',
      { ...base, supplier: { ...base.supplier, legalRegistrationId: '999999998', legalRegistrationIdScheme: '0192' } },
      false,
    ],
    [
      'R041 passes the right one',
      '/supplier/legalRegistrationId',
      { ...base, supplier: { ...base.supplier, legalRegistrationId: '999999999', legalRegistrationIdScheme: '0192' } },
      true,
    ],
    [
      'R042 a CVR of seven digits',
      '/customer/identifier',
      { ...base, customer: { ...base.customer, identifier: '1234567', identifierScheme: '0184' } },
      false,
    ],
    [
      'R042 passes DK and eight digits',
      '/customer/identifier',
      { ...base, customer: { ...base.customer, identifier: 'DK12345678', identifierScheme: '0184' } },
      true,
    ],
    [
      'R043 a Belgian number with wrong check digits',
      '/customer/endpointId',
      { ...base, customer: { ...base.customer, endpointId: '0417497107', endpointScheme: '0208' } },
      false,
    ],
    [
      'R049 a Swedish number with a wrong Luhn digit',
      '/payee/identifier',
      { ...base, payee: { name: 'Factor AB', identifier: '5560360794', identifierScheme: '0007' } },
      false,
    ],
    [
      'R050 an ABN with wrong check digits',
      '/payee/legalRegistrationId',
      { ...base, payee: { name: 'Factor Pty', legalRegistrationId: '51824753557', legalRegistrationIdScheme: '0151' } },
      false,
    ],
    [
      'R040 passes a GLN party identifier',
      '/customer/identifier',
      { ...base, customer: { ...base.customer, identifier: '5790000436101', identifierScheme: '0088' } },
      true,
    ],
  ];
  it.each(cases)('%s (%s)', (_name, pointer, invoice, valid) => {
    const problems = checkInvoice(invoice).filter((p) => p.rule.startsWith('PEPPOL-COMMON'));
    if (valid) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.objectContaining({ pointer })]);
    expect(
      checkInvoice({ ...invoice, specification: EN16931_CORE }).filter((p) => p.rule.startsWith('PEPPOL')),
    ).toEqual([]);
  });
});

describe('a scheme that names a property of every JavaScript object', () => {
  it.each(['constructor', '__proto__', 'toString'])('%s is answered as an unknown scheme, never a crash', (scheme) => {
    const xml = swap(rich, 'schemeID="0088">7300010000001', `schemeID="${scheme}">7300010000001`);
    // (`constructor` is also longer than the model allows a scheme.)
    expect(judge(xml)).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'BR-CL-25' })]));
    const invoice = read(rich);
    const party = { ...invoice.customer, identifier: '1', identifierScheme: scheme };
    expect(checkInvoice({ ...invoice, customer: party }).map((p) => p.rule)).toEqual(['BR-CL-10']);
    expect(checkPartnerBilling({ endpoint: { scheme, id: '1' } })).toEqual([
      expect.objectContaining({ pointer: '/endpoint/scheme' }),
    ]);
  });
});
