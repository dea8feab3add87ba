/**
 * EN 16931 business terms as partners send them, kept on reading and written back: invoice notes with their subject
 * code (BG-1), line notes (BT-127), the document and line references (BT-11..19, BT-128, BT-133), the item's
 * identifiers, classifications, origin and attributes (BT-155..161), the payee (BG-10), every address's lines 2 and 3
 * and country subdivision, the tax representative's name (BT-62), the deliver-to location, name and street (BT-70/71/
 * 75), the seller's additional legal information (BT-33), the payment means text (BT-82), the item description
 * (BT-154) and the price base quantity's unit (BT-150). Each document must be read with every term and its source
 * element, pass the route's checks, and read back the same after our writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, judge, swap } from './judge';
import type { Invoice } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { mapUblInvoice } from '../../domain/ubl/invoice';
import { writeUbl } from '../../domain/ubl/writer';

const example = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl-invoice.xml'), 'utf8');
const creditNote = fixture('peppol-credit-note.xml');

function mapped(xml: string): {
  invoice: Invoice;
  sources: Record<string, string>;
} {
  const m = mapUblInvoice(xml);
  if (!m.ok) throw new Error(JSON.stringify(m.errors));
  return m;
}

/** Read, accepted by the route's checks, and the same model after writer and reader again. */
function readAndRoundTrip(xml: string): {
  invoice: Invoice;
  sources: Record<string, string>;
} {
  expect(judge(xml)).toEqual([]);
  const first = mapped(xml);
  const again = mapped(writeUbl(first.invoice)).invoice;
  expect(again).toEqual(first.invoice);
  return first;
}

const NOTE = '<cbc:Note>Consulting and licences for October 2026</cbc:Note>';
const LINE_1 = '<cbc:ID>1</cbc:ID>\n    <cbc:InvoicedQuantity';
const LINE_1_ITEM = '<cbc:Name>Consulting hours</cbc:Name>';
const LINE_1_TAX =
  '<cbc:Percent>20</cbc:Percent>\n        <cac:TaxScheme>\n          <cbc:ID>VAT</cbc:ID>\n        </cac:TaxScheme>\n      </cac:ClassifiedTaxCategory>\n    </cac:Item>\n    <cac:Price>\n      <cbc:PriceAmount currencyID="EUR">96.00';

describe('invoice notes (BG-1: BT-21 subject code, BT-22 note)', () => {
  // German practice: several notes between German parties (PEPPOL-EN16931-R002), each with its UNCL4451 subject code.
  const germanBuyer = swap(
    swap(
      example,
      '<cbc:IdentificationCode>NL</cbc:IdentificationCode>',
      '<cbc:IdentificationCode>DE</cbc:IdentificationCode>',
    ),
    '<cbc:CompanyID>HRB 104711</cbc:CompanyID>\n      </cac:PartyLegalEntity>',
    '<cbc:CompanyID>HRB 104711</cbc:CompanyID>\n      </cac:PartyLegalEntity>\n      <cac:Contact><cbc:Name>Jana Berg</cbc:Name>' +
      '<cbc:Telephone>+49 40 1234567</cbc:Telephone><cbc:ElectronicMail>billing@northwind.example</cbc:ElectronicMail></cac:Contact>',
  );
  const notes = swap(
    germanBuyer,
    NOTE,
    '<cbc:Note>#AAI#Consulting and licences for October 2026</cbc:Note>\n' +
      '  <cbc:Note>Ordered through our website#Ordering information</cbc:Note>\n' +
      '  <cbc:Note>#REG# Northwind Consulting GmbH, Amtsgericht Hamburg HRB 104711</cbc:Note>\n' +
      '  <cbc:Note>#1# is not a subject code</cbc:Note>',
  );

  it('keeps every note in order, the subject code apart when written #CODE#, the text exactly as sent', () => {
    const { invoice, sources } = readAndRoundTrip(notes);
    expect(invoice.notes).toEqual([
      { subjectCode: 'AAI', text: 'Consulting and licences for October 2026' },
      { text: 'Ordered through our website#Ordering information' },
      {
        subjectCode: 'REG',
        text: ' Northwind Consulting GmbH, Amtsgericht Hamburg HRB 104711',
      },
      { text: '#1# is not a subject code' },
    ]);
    expect(sources['/notes/2']).toBe('/Invoice/cbc:Note[3]');
    // Written back character for character.
    const xml = writeUbl(invoice);
    expect(xml).toContain('<cbc:Note>#REG# Northwind Consulting GmbH, Amtsgericht Hamburg HRB 104711</cbc:Note>');
    expect(xml).toContain('<cbc:Note>Ordered through our website#Ordering information</cbc:Note>');
  });

  it('keeps the single note of a credit note', () => {
    const credit = swap(
      creditNote,
      '<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>',
      '<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>\n  <cbc:Note>Two hours were invoiced twice</cbc:Note>',
    );
    expect(readAndRoundTrip(credit).invoice.notes).toEqual([{ text: 'Two hours were invoiced twice' }]);
  });

  it('keeps the invoice line note (BT-127)', () => {
    const xml = swap(
      example,
      LINE_1,
      '<cbc:ID>1</cbc:ID>\n    <cbc:Note>Workshop on 2026-10-14 included</cbc:Note>\n    <cbc:InvoicedQuantity',
    );
    const { invoice, sources } = readAndRoundTrip(xml);
    expect(invoice.lines[0]!.note).toBe('Workshop on 2026-10-14 included');
    expect(invoice.lines[1]!.note).toBeUndefined();
    expect(sources['/lines/0/note']).toBe('/Invoice/cac:InvoiceLine[1]/cbc:Note');
  });
});

describe('document and line references (BT-11..19, BT-128, BT-133)', () => {
  const refs = swap(
    swap(
      example,
      '<cbc:BuyerReference>PW-PROC-88</cbc:BuyerReference>',
      '<cbc:AccountingCost>4217:2323:2323</cbc:AccountingCost>\n' +
        '  <cbc:BuyerReference>PW-PROC-88</cbc:BuyerReference>\n' +
        '  <cac:OrderReference><cbc:ID>PO-4711</cbc:ID><cbc:SalesOrderID>SO-2026-118</cbc:SalesOrderID></cac:OrderReference>\n' +
        '  <cac:DespatchDocumentReference><cbc:ID>DESADV-77</cbc:ID></cac:DespatchDocumentReference>\n' +
        '  <cac:ReceiptDocumentReference><cbc:ID>RECADV-12</cbc:ID></cac:ReceiptDocumentReference>\n' +
        '  <cac:OriginatorDocumentReference><cbc:ID>LOT-2026-01</cbc:ID></cac:OriginatorDocumentReference>\n' +
        '  <cac:ContractDocumentReference><cbc:ID>FRAMEWORK-2025-3</cbc:ID></cac:ContractDocumentReference>\n' +
        '  <cac:AdditionalDocumentReference><cbc:ID schemeID="AUN">METER-2026-10</cbc:ID>' +
        '<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>\n' +
        '  <cac:AdditionalDocumentReference><cbc:ID>TS-1</cbc:ID><cbc:DocumentDescription>Timesheet</cbc:DocumentDescription>' +
        '</cac:AdditionalDocumentReference>\n' +
        '  <cac:ProjectReference><cbc:ID>PRJ-PW-12</cbc:ID></cac:ProjectReference>',
    ),
    '<cbc:LineExtensionAmount currencyID="EUR">1200.00</cbc:LineExtensionAmount>',
    '<cbc:LineExtensionAmount currencyID="EUR">1200.00</cbc:LineExtensionAmount>\n' +
      '    <cbc:AccountingCost>6100:PW-IT</cbc:AccountingCost>\n' +
      '    <cac:OrderLineReference><cbc:LineID>3</cbc:LineID></cac:OrderLineReference>\n' +
      '    <cac:DocumentReference><cbc:ID schemeID="ABZ">TIMESHEET-1-2026-10</cbc:ID>' +
      '<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:DocumentReference>',
  );

  it('keeps every document reference, the invoiced object with its scheme apart from the attachments', () => {
    const { invoice, sources } = readAndRoundTrip(refs);
    expect(invoice).toMatchObject({
      buyerAccountingReference: '4217:2323:2323',
      orderReference: 'PO-4711',
      salesOrderReference: 'SO-2026-118',
      despatchAdviceReference: 'DESADV-77',
      receivingAdviceReference: 'RECADV-12',
      tenderReference: 'LOT-2026-01',
      contractReference: 'FRAMEWORK-2025-3',
      invoicedObjectId: 'METER-2026-10',
      invoicedObjectScheme: 'AUN',
      projectReference: 'PRJ-PW-12',
      attachments: [{ id: 'TS-1', description: 'Timesheet' }],
    });
    expect(sources['/invoicedObjectId']).toBe('/Invoice/cac:AdditionalDocumentReference[1]/cbc:ID');
    expect(sources['/attachments/0']).toBe('/Invoice/cac:AdditionalDocumentReference[2]');
    expect(sources['/contractReference']).toBe('/Invoice/cac:ContractDocumentReference/cbc:ID');
  });

  it('keeps the line references: object identifier with its scheme, buyer accounting reference', () => {
    const { invoice, sources } = readAndRoundTrip(refs);
    expect(invoice.lines[0]).toMatchObject({
      buyerAccountingReference: '6100:PW-IT',
      orderLineReference: '3',
      objectId: 'TIMESHEET-1-2026-10',
      objectScheme: 'ABZ',
    });
    expect(sources['/lines/0/objectId']).toBe('/Invoice/cac:InvoiceLine[1]/cac:DocumentReference/cbc:ID');
  });

  it('writes a sales order reference without a purchase order as NA, as Peppol asks', () => {
    const { invoice } = mapped(example);
    invoice.salesOrderReference = 'SO-1';
    expect(writeUbl(invoice)).toContain(
      '<cac:OrderReference><cbc:ID>NA</cbc:ID><cbc:SalesOrderID>SO-1</cbc:SalesOrderID></cac:OrderReference>',
    );
  });

  it('reads the project reference of a credit note from its document reference of type 50', () => {
    const credit = swap(
      creditNote,
      '</cac:BillingReference>',
      '</cac:BillingReference>\n  <cac:ContractDocumentReference><cbc:ID>FRAMEWORK-2025-3</cbc:ID></cac:ContractDocumentReference>\n' +
        '  <cac:AdditionalDocumentReference><cbc:ID>PRJ-PW-12</cbc:ID><cbc:DocumentTypeCode>50</cbc:DocumentTypeCode>' +
        '</cac:AdditionalDocumentReference>\n' +
        '  <cac:OriginatorDocumentReference><cbc:ID>LOT-2026-01</cbc:ID></cac:OriginatorDocumentReference>',
    );
    const { invoice } = readAndRoundTrip(credit);
    expect(invoice).toMatchObject({
      projectReference: 'PRJ-PW-12',
      contractReference: 'FRAMEWORK-2025-3',
      tenderReference: 'LOT-2026-01',
    });
    expect(invoice.attachments).toBeUndefined();
  });
});

describe('item identifiers, classification, origin and attributes (BT-155..161)', () => {
  const item = swap(
    swap(
      example,
      LINE_1_ITEM,
      LINE_1_ITEM +
        '\n      <cac:BuyersItemIdentification><cbc:ID>PW-SKU-88</cbc:ID></cac:BuyersItemIdentification>' +
        '\n      <cac:SellersItemIdentification><cbc:ID>NW-CONS-H</cbc:ID></cac:SellersItemIdentification>' +
        '\n      <cac:StandardItemIdentification><cbc:ID schemeID="0160">4012345000009</cbc:ID></cac:StandardItemIdentification>' +
        '\n      <cac:OriginCountry><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:OriginCountry>' +
        '\n      <cac:CommodityClassification><cbc:ItemClassificationCode listID="STI">72224000</cbc:ItemClassificationCode></cac:CommodityClassification>' +
        '\n      <cac:CommodityClassification><cbc:ItemClassificationCode listID="MP" listVersionID="19.05.01">86776</cbc:ItemClassificationCode></cac:CommodityClassification>',
    ),
    LINE_1_TAX,
    LINE_1_TAX.replace(
      '</cac:ClassifiedTaxCategory>',
      '</cac:ClassifiedTaxCategory>' +
        '\n      <cac:AdditionalItemProperty><cbc:Name>Consultant level</cbc:Name><cbc:Value>Senior</cbc:Value></cac:AdditionalItemProperty>' +
        '\n      <cac:AdditionalItemProperty><cbc:Name>Location</cbc:Name><cbc:Value>On site, Amsterdam</cbc:Value></cac:AdditionalItemProperty>',
    ),
  );

  it("keeps the seller's, buyer's and standard identifier with its scheme (BT-155, BT-156, BT-157)", () => {
    const { invoice, sources } = readAndRoundTrip(item);
    expect(invoice.lines[0]).toMatchObject({
      sellerItemId: 'NW-CONS-H',
      buyerItemId: 'PW-SKU-88',
      standardItemId: '4012345000009',
      standardItemScheme: '0160',
    });
    expect(sources['/lines/0/standardItemId']).toBe(
      '/Invoice/cac:InvoiceLine[1]/cac:Item/cac:StandardItemIdentification/cbc:ID',
    );
  });

  it('keeps every classification with its list and version (BT-158), and the country of origin (BT-159)', () => {
    const { invoice, sources } = readAndRoundTrip(item);
    expect(invoice.lines[0]!.classifications).toEqual([
      { code: '72224000', listId: 'STI' },
      { code: '86776', listId: 'MP', listVersionId: '19.05.01' },
    ]);
    expect(invoice.lines[0]!.originCountry).toBe('DE');
    expect(sources['/lines/0/classifications/1/code']).toBe(
      '/Invoice/cac:InvoiceLine[1]/cac:Item/cac:CommodityClassification[2]/cbc:ItemClassificationCode',
    );
  });

  it('refuses an item identifier or classification without its scheme or list (BR-64, BR-65), naming the element', () => {
    const withoutScheme = swap(item, '<cbc:ID schemeID="0160">', '<cbc:ID>');
    expect(judge(withoutScheme)).toEqual([
      expect.objectContaining({
        rule: 'BR-64',
        pointer: '/Invoice/cac:InvoiceLine[1]/cac:Item/cac:StandardItemIdentification/cbc:ID',
      }),
    ]);
    const withoutList = swap(item, 'listID="MP" ', '');
    expect(judge(withoutList)).toEqual([
      expect.objectContaining({
        rule: 'BR-65',
        pointer: '/Invoice/cac:InvoiceLine[1]/cac:Item/cac:CommodityClassification[2]/cbc:ItemClassificationCode',
      }),
    ]);
    // The same rules for JSON clients, on the model's fields.
    const { invoice } = mapped(item);
    const line = invoice.lines[0]!;
    const { standardItemScheme: _scheme, ...bare } = line;
    const json = {
      ...invoice,
      lines: [{ ...bare, classifications: [{ code: '72224000' }] }, ...invoice.lines.slice(1)],
    };
    expect(checkInvoice(json)).toEqual([
      expect.objectContaining({ rule: 'BR-64', pointer: '/lines/0/standardItemScheme' }),
      expect.objectContaining({ rule: 'BR-65', pointer: '/lines/0/classifications/0/listId' }),
    ]);
  });

  it('keeps every item attribute, name and value (BG-32)', () => {
    const { invoice, sources } = readAndRoundTrip(item);
    expect(invoice.lines[0]!.attributes).toEqual([
      { name: 'Consultant level', value: 'Senior' },
      { name: 'Location', value: 'On site, Amsterdam' },
    ]);
    expect(sources['/lines/0/attributes/1/value']).toBe(
      '/Invoice/cac:InvoiceLine[1]/cac:Item/cac:AdditionalItemProperty[2]/cbc:Value',
    );
  });
});

describe('the payee (BG-10)', () => {
  const payee = swap(
    example,
    '</cac:AccountingCustomerParty>',
    '</cac:AccountingCustomerParty>\n  <cac:PayeeParty>' +
      '<cac:PartyIdentification><cbc:ID schemeID="0088">4050000000025</cbc:ID></cac:PartyIdentification>' +
      '<cac:PartyName><cbc:Name>Hanse Factoring GmbH</cbc:Name></cac:PartyName>' +
      '<cac:PartyLegalEntity><cbc:CompanyID schemeID="0204">HRB 99001</cbc:CompanyID></cac:PartyLegalEntity>' +
      '</cac:PayeeParty>',
  );

  it('keeps its name, identifier and legal registration identifier with their schemes', () => {
    const { invoice, sources } = readAndRoundTrip(payee);
    expect(invoice.payee).toEqual({
      name: 'Hanse Factoring GmbH',
      identifier: '4050000000025',
      identifierScheme: '0088',
      legalRegistrationId: 'HRB 99001',
      legalRegistrationIdScheme: '0204',
    });
    expect(sources['/payee/name']).toBe('/Invoice/cac:PayeeParty/cac:PartyName/cbc:Name');
  });
});

/** Lines 2 and 3 and the country subdivision of an address, in UBL 2.1 order around its post code. */
const addressDetails = (line2: string, zone: string, subdivision: string, line3: string) => ({
  street: `</cbc:StreetName>\n        <cbc:AdditionalStreetName>${line2}</cbc:AdditionalStreetName>`,
  zone: `${zone}\n        <cbc:CountrySubentity>${subdivision}</cbc:CountrySubentity>\n        <cac:AddressLine><cbc:Line>${line3}</cbc:Line></cac:AddressLine>`,
});
const REPRESENTATIVE =
  '<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>Steuerkanzlei Elbe GmbH</cbc:Name></cac:PartyName>' +
  '<cac:PostalAddress><cbc:StreetName>Domstrasse 5</cbc:StreetName><cbc:AdditionalStreetName>Hinterhaus</cbc:AdditionalStreetName>' +
  '<cbc:CityName>Hamburg</cbc:CityName><cbc:PostalZone>20095</cbc:PostalZone><cbc:CountrySubentity>Hamburg</cbc:CountrySubentity>' +
  '<cac:AddressLine><cbc:Line>3. Etage</cbc:Line></cac:AddressLine>' +
  '<cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>' +
  '<cac:PartyTaxScheme><cbc:CompanyID>DE123456789</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>' +
  '</cac:TaxRepresentativeParty>';
const DELIVERY =
  '<cac:Delivery><cbc:ActualDeliveryDate>2026-10-31</cbc:ActualDeliveryDate>' +
  '<cac:DeliveryLocation><cbc:ID schemeID="0088">5790000436118</cbc:ID><cac:Address>' +
  '<cbc:StreetName>Havenweg 4</cbc:StreetName><cbc:AdditionalStreetName>Dock B</cbc:AdditionalStreetName>' +
  '<cbc:CityName>Rotterdam</cbc:CityName><cbc:PostalZone>3089 JA</cbc:PostalZone>' +
  '<cbc:CountrySubentity>Zuid-Holland</cbc:CountrySubentity><cac:AddressLine><cbc:Line>Gate 7</cbc:Line></cac:AddressLine>' +
  '<cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:Address></cac:DeliveryLocation>' +
  '<cac:DeliveryParty><cac:PartyName><cbc:Name>Partner Workflows, goods receipt</cbc:Name></cac:PartyName></cac:DeliveryParty>' +
  '</cac:Delivery>';
const PARTIES_END = '</cac:AccountingCustomerParty>';

describe('addresses, the tax representative and the deliver-to (BT-36/51/65/76, BT-162..165, BT-39/54/68/79, BT-62, BT-70/71/75)', () => {
  const seller = addressDetails('Speicher 2', '<cbc:PostalZone>20459</cbc:PostalZone>', 'Hamburg', 'Eingang B');
  const buyer = addressDetails(
    'Achterhuis',
    '<cbc:PostalZone>1015 CV</cbc:PostalZone>',
    'Noord-Holland',
    '2e verdieping',
  );
  const addresses = swap(
    swap(
      swap(
        swap(
          swap(example, 'Hafenstrasse 12</cbc:StreetName>', `Hafenstrasse 12${seller.street}`),
          '<cbc:PostalZone>20459</cbc:PostalZone>',
          seller.zone,
        ),
        'Keizersgracht 100</cbc:StreetName>',
        `Keizersgracht 100${buyer.street}`,
      ),
      '<cbc:PostalZone>1015 CV</cbc:PostalZone>',
      buyer.zone,
    ),
    PARTIES_END,
    PARTIES_END + REPRESENTATIVE + DELIVERY,
  );

  it('keeps lines 2 and 3 and the country subdivision of the seller and the buyer', () => {
    const { invoice, sources } = readAndRoundTrip(addresses);
    expect(invoice.supplier.address).toEqual({
      street: 'Hafenstrasse 12',
      additionalStreet: 'Speicher 2',
      addressLine3: 'Eingang B',
      city: 'Hamburg',
      postalCode: '20459',
      countrySubdivision: 'Hamburg',
      country: 'DE',
    });
    expect(invoice.customer.address).toMatchObject({
      additionalStreet: 'Achterhuis',
      addressLine3: '2e verdieping',
      countrySubdivision: 'Noord-Holland',
    });
    const buyerAddress = '/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress';
    expect(sources['/supplier/address/additionalStreet']).toBe(
      '/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:AdditionalStreetName',
    );
    expect(sources['/customer/address/addressLine3']).toBe(`${buyerAddress}/cac:AddressLine/cbc:Line`);
    expect(sources['/customer/address/countrySubdivision']).toBe(`${buyerAddress}/cbc:CountrySubentity`);
  });

  it("keeps the tax representative's own name and its whole address", () => {
    const { invoice, sources } = readAndRoundTrip(addresses);
    expect(invoice.taxRepresentativeName).toBe('Steuerkanzlei Elbe GmbH');
    expect(invoice.taxRepresentativeAddress).toEqual({
      street: 'Domstrasse 5',
      additionalStreet: 'Hinterhaus',
      addressLine3: '3. Etage',
      city: 'Hamburg',
      postalCode: '20095',
      countrySubdivision: 'Hamburg',
      country: 'DE',
    });
    expect(sources['/taxRepresentativeName']).toBe('/Invoice/cac:TaxRepresentativeParty/cac:PartyName/cbc:Name');
    expect(sources['/taxRepresentativeAddress/addressLine3']).toBe(
      '/Invoice/cac:TaxRepresentativeParty/cac:PostalAddress/cac:AddressLine/cbc:Line',
    );
    // An invoice stored before the name was kept is written with the seller's, as before.
    const { taxRepresentativeName: _name, ...stored } = invoice;
    expect(writeUbl(stored)).toContain(
      '<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>Northwind Consulting GmbH</cbc:Name></cac:PartyName>',
    );
  });

  it('refuses a tax representative without its name (BR-18) or its VAT identifier (BR-56)', () => {
    const rep = '/Invoice/cac:TaxRepresentativeParty';
    const nameless = swap(addresses, '<cac:PartyName><cbc:Name>Steuerkanzlei Elbe GmbH</cbc:Name></cac:PartyName>', '');
    expect(judge(nameless)).toEqual([expect.objectContaining({ rule: 'BR-18', pointer: `${rep}/cac:PartyName` })]);
    const { invoice } = mapped(addresses);
    const { taxRepresentativeVatId: _vat, ...withoutVat } = invoice;
    expect(checkInvoice(withoutVat)).toEqual([
      expect.objectContaining({ rule: 'BR-56', pointer: '/taxRepresentativeVatId' }),
    ]);
    const { taxRepresentativeName: _n, taxRepresentativeVatId: _v, ...addressOnly } = invoice;
    expect(checkInvoice(addressOnly)).toEqual([
      expect.objectContaining({ rule: 'BR-56', pointer: '/taxRepresentativeVatId' }),
    ]);
  });

  it('refuses a tax representative without its address (BR-19) and a deliver-to address without its country (BR-57)', () => {
    const rep = '/Invoice/cac:TaxRepresentativeParty';
    const homeless = addresses.replace(
      /(<cac:TaxRepresentativeParty>[\s\S]*?)<cac:PostalAddress>[\s\S]*?<\/cac:PostalAddress>/,
      '$1',
    );
    expect(homeless).not.toEqual(addresses);
    expect(judge(homeless)).toEqual([expect.objectContaining({ rule: 'BR-19', pointer: `${rep}/cac:PostalAddress` })]);
    const { invoice } = mapped(addresses);
    const { country: _country, ...delivery } = invoice.delivery!;
    expect(checkInvoice({ ...invoice, delivery })).toEqual([
      expect.objectContaining({ rule: 'BR-57', pointer: '/delivery/country' }),
    ]);
    expect(checkInvoice({ ...invoice, delivery: { date: '2026-10-31' } })).toEqual([]);
  });

  it('refuses a country or VAT prefix that is no code of ISO 3166-1 (BR-CL-14, BR-CL-15, BR-CO-09)', () => {
    const { invoice } = mapped(addresses);
    const wrong: Invoice = {
      ...invoice,
      supplier: { ...invoice.supplier, vatId: 'XX123456789' },
      customer: { ...invoice.customer, address: { ...invoice.customer.address!, country: 'EL' } },
      delivery: { ...invoice.delivery!, country: 'UK' },
      lines: [{ ...invoice.lines[0]!, originCountry: 'ZZ' }, ...invoice.lines.slice(1)],
    };
    expect(checkInvoice(wrong).map((p) => [p.rule, p.pointer])).toEqual([
      ['BR-CO-09', '/supplier/vatId'],
      ['BR-CL-14', '/customer/address/country'],
      ['BR-CL-14', '/delivery/country'],
      ['BR-CL-15', '/lines/0/originCountry'],
    ]);
    // Greece is GR as a country and EL as a VAT prefix; Northern Ireland XI, Kosovo 1A.
    const greek: Invoice = {
      ...invoice,
      customer: { ...invoice.customer, vatId: 'EL094259216', address: { ...invoice.customer.address!, country: 'GR' } },
      delivery: { ...invoice.delivery!, country: 'XI' },
    };
    expect(checkInvoice(greek)).toEqual([]);
  });

  it('writes no empty element for blank optional text a JSON client sends (PEPPOL-EN16931-R008)', () => {
    const { invoice } = mapped(addresses);
    const blanks: Invoice = {
      ...invoice,
      supplier: { ...invoice.supplier, additionalLegalInfo: '' },
      customer: {
        ...invoice.customer,
        address: { ...invoice.customer.address!, additionalStreet: '', countrySubdivision: ' ', addressLine3: '\n' },
      },
      delivery: { date: '2026-10-31', locationScheme: '0088' },
      payment: { ...invoice.payment!, meansText: ' ' },
    };
    expect(checkInvoice(blanks)).toEqual([]);
    const xml = writeUbl(blanks);
    expect(xml.match(/<([\w:]+)[^>]*>[ \t\r\n]*<\/\1>/g)).toBeNull();
    expect(xml).not.toMatch(/="[ \t\r\n]*"/);
    expect(xml).not.toContain('<cac:DeliveryLocation>');
    expect(judge(xml)).toEqual([]);
  });

  it('keeps the deliver-to location with its scheme, party name and whole address', () => {
    const { invoice, sources } = readAndRoundTrip(addresses);
    expect(invoice.delivery).toEqual({
      date: '2026-10-31',
      locationId: '5790000436118',
      locationScheme: '0088',
      name: 'Partner Workflows, goods receipt',
      street: 'Havenweg 4',
      additionalStreet: 'Dock B',
      addressLine3: 'Gate 7',
      city: 'Rotterdam',
      postalCode: '3089 JA',
      countrySubdivision: 'Zuid-Holland',
      country: 'NL',
    });
    const location = '/Invoice/cac:Delivery/cac:DeliveryLocation';
    expect(sources['/delivery/locationId']).toBe(`${location}/cbc:ID`);
    expect(sources['/delivery/locationScheme']).toBe(`${location}/cbc:ID`);
    expect(sources['/delivery/street']).toBe(`${location}/cac:Address/cbc:StreetName`);
    expect(sources['/delivery/addressLine3']).toBe(`${location}/cac:Address/cac:AddressLine/cbc:Line`);
    expect(sources['/delivery/name']).toBe('/Invoice/cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name');
    // A deliver-to with its location or party only is written so, without an address.
    const only = { ...invoice, delivery: { locationId: 'DOCK-1', name: 'Dock 1' } };
    expect(writeUbl(only)).toContain(
      '<cac:Delivery><cac:DeliveryLocation><cbc:ID>DOCK-1</cbc:ID></cac:DeliveryLocation>' +
        '<cac:DeliveryParty><cac:PartyName><cbc:Name>Dock 1</cbc:Name></cac:PartyName></cac:DeliveryParty></cac:Delivery>',
    );
    expect(mapped(writeUbl(only)).invoice.delivery).toEqual(only.delivery);
  });

  it('keeps them in a credit note', () => {
    const country = (code: string) =>
      `<cac:PostalAddress><cac:Country><cbc:IdentificationCode>${code}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>`;
    const credit = swap(
      swap(
        creditNote,
        country('DE'),
        '<cac:PostalAddress><cbc:StreetName>Hafenstrasse 12</cbc:StreetName><cbc:AdditionalStreetName>Speicher 2</cbc:AdditionalStreetName>' +
          '<cbc:CityName>Hamburg</cbc:CityName><cbc:CountrySubentity>Hamburg</cbc:CountrySubentity>' +
          '<cac:AddressLine><cbc:Line>Eingang B</cbc:Line></cac:AddressLine>' +
          '<cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>',
      ),
      PARTIES_END,
      PARTIES_END + REPRESENTATIVE + DELIVERY,
    );
    const { invoice, sources } = readAndRoundTrip(credit);
    expect(invoice.supplier.address).toEqual({
      street: 'Hafenstrasse 12',
      additionalStreet: 'Speicher 2',
      addressLine3: 'Eingang B',
      city: 'Hamburg',
      countrySubdivision: 'Hamburg',
      country: 'DE',
    });
    expect(invoice.taxRepresentativeName).toBe('Steuerkanzlei Elbe GmbH');
    expect(invoice.delivery).toMatchObject({
      locationId: '5790000436118',
      street: 'Havenweg 4',
      addressLine3: 'Gate 7',
    });
    expect(sources['/supplier/address/addressLine3']).toBe(
      '/CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:AddressLine/cbc:Line',
    );
  });

  it('refuses a second address line 3 once, by its rule (UBL-SR-51), and a second Line in one AddressLine as UBL does', () => {
    const twoLines = swap(
      addresses,
      '<cac:AddressLine><cbc:Line>Eingang B</cbc:Line></cac:AddressLine>',
      '<cac:AddressLine><cbc:Line>Eingang B</cbc:Line></cac:AddressLine><cac:AddressLine><cbc:Line>Hof</cbc:Line></cac:AddressLine>',
    );
    expect(judge(twoLines)).toEqual([
      expect.objectContaining({
        rule: 'UBL-SR-51',
        pointer: '/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:AddressLine[2]',
      }),
    ]);
    const twoInOne = swap(
      addresses,
      '<cbc:Line>Gate 7</cbc:Line>',
      '<cbc:Line>Gate 7</cbc:Line><cbc:Line>Ramp 2</cbc:Line>',
    );
    expect(judge(twoInOne)).toEqual([
      expect.objectContaining({
        pointer: '/Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address/cac:AddressLine/cbc:Line[2]',
        message: expect.stringContaining('only once'),
      }),
    ]);
  });
});

describe("the seller's additional legal information (BT-33)", () => {
  const legal = swap(
    swap(
      example,
      '<cbc:CompanyID>HRB 104711</cbc:CompanyID>',
      '<cbc:CompanyID>HRB 104711</cbc:CompanyID>\n        <cbc:CompanyLegalForm>Stammkapital 25.000 EUR, Amtsgericht Hamburg</cbc:CompanyLegalForm>',
    ),
    '<cbc:RegistrationName>Partner Workflows B.V.</cbc:RegistrationName>',
    '<cbc:RegistrationName>Partner Workflows B.V.</cbc:RegistrationName><cbc:CompanyLegalForm>B.V.</cbc:CompanyLegalForm>',
  );

  it("keeps the seller's, and reads past the buyer's (no term of EN 16931)", () => {
    const { invoice, sources } = readAndRoundTrip(legal);
    expect(invoice.supplier.additionalLegalInfo).toBe('Stammkapital 25.000 EUR, Amtsgericht Hamburg');
    expect(invoice.customer).not.toHaveProperty('additionalLegalInfo');
    expect(sources['/supplier/additionalLegalInfo']).toBe(
      '/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm',
    );
    expect(writeUbl(invoice)).toContain(
      '<cbc:CompanyID>HRB 104711</cbc:CompanyID><cbc:CompanyLegalForm>Stammkapital 25.000 EUR, Amtsgericht Hamburg</cbc:CompanyLegalForm>',
    );
  });

  it('keeps it in a credit note', () => {
    const credit = swap(
      creditNote,
      '<cbc:RegistrationName>Northwind Consulting GmbH</cbc:RegistrationName>',
      '<cbc:RegistrationName>Northwind Consulting GmbH</cbc:RegistrationName><cbc:CompanyLegalForm>GmbH</cbc:CompanyLegalForm>',
    );
    expect(readAndRoundTrip(credit).invoice.supplier.additionalLegalInfo).toBe('GmbH');
  });
});

describe('the payment means text (BT-82)', () => {
  const MEANS_CODE = '<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>';

  it('keeps the name of the means code', () => {
    const named = swap(
      example,
      MEANS_CODE,
      '<cbc:PaymentMeansCode name="SEPA credit transfer">58</cbc:PaymentMeansCode>',
    );
    const { invoice, sources } = readAndRoundTrip(named);
    expect(invoice.payment).toMatchObject({ meansCode: '58', meansText: 'SEPA credit transfer' });
    expect(sources['/payment/meansText']).toBe('/Invoice/cac:PaymentMeans/cbc:PaymentMeansCode');
  });

  it('reads it from whichever payment means states it, and writes it once, on the first (UBL-SR-46)', () => {
    const second = swap(
      example,
      '</cac:PaymentMeans>',
      '</cac:PaymentMeans>\n  <cac:PaymentMeans><cbc:PaymentMeansCode name="SEPA credit transfer">58</cbc:PaymentMeansCode>' +
        '<cbc:PaymentID>NW-2026-0417</cbc:PaymentID>' +
        '<cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>',
    );
    const { invoice, sources } = readAndRoundTrip(second);
    expect(invoice.payment?.meansText).toBe('SEPA credit transfer');
    expect(sources['/payment/meansText']).toBe('/Invoice/cac:PaymentMeans[2]/cbc:PaymentMeansCode');
    const xml = writeUbl(invoice);
    expect(xml.match(/<cbc:PaymentMeansCode[^>]*>/g)).toEqual([
      '<cbc:PaymentMeansCode name="SEPA credit transfer">',
      '<cbc:PaymentMeansCode>',
    ]);
    expect(judge(xml)).toEqual([]);
  });

  it('keeps it in a credit note', () => {
    const credit = swap(
      creditNote,
      '<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>',
      '<cbc:PaymentMeansCode name="Credit transfer">30</cbc:PaymentMeansCode>',
    );
    expect(readAndRoundTrip(credit).invoice.payment?.meansText).toBe('Credit transfer');
  });
});

describe("the item description (BT-154) and the price base quantity's unit (BT-150)", () => {
  const PRICE_2 = '<cbc:PriceAmount currencyID="EUR">450.00</cbc:PriceAmount>';
  const lines = swap(
    swap(
      example,
      '<cbc:PriceAmount currencyID="EUR">96.00</cbc:PriceAmount>',
      '<cbc:PriceAmount currencyID="EUR">96.00</cbc:PriceAmount><cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity>',
    ),
    PRICE_2,
    `${PRICE_2}<cbc:BaseQuantity>1</cbc:BaseQuantity>`,
  );

  it('keeps the description beside the name, written before it', () => {
    const { invoice, sources } = readAndRoundTrip(lines);
    expect(invoice.lines[0]).toMatchObject({
      description: 'Consulting hours',
      itemDescription: 'Integration consulting, October 2026',
    });
    expect(invoice.lines[1]!.itemDescription).toBeUndefined();
    expect(sources['/lines/0/itemDescription']).toBe('/Invoice/cac:InvoiceLine[1]/cac:Item/cbc:Description');
    expect(writeUbl(invoice)).toContain(
      '<cac:Item><cbc:Description>Integration consulting, October 2026</cbc:Description><cbc:Name>Consulting hours</cbc:Name>',
    );
  });

  it('reads a description without a name as the name, and only so', () => {
    const nameless = swap(
      example,
      '<cbc:Name>Annual connector licence</cbc:Name>',
      '<cbc:Description>Annual connector licence</cbc:Description>',
    );
    const { invoice } = readAndRoundTrip(nameless);
    expect(invoice.lines[1]!.description).toBe('Annual connector licence');
    expect(invoice.lines[1]).not.toHaveProperty('itemDescription');
  });

  it("keeps the base quantity's unit as stated, and writes none where none was stated", () => {
    const { invoice, sources } = readAndRoundTrip(lines);
    expect(invoice.lines[0]).toMatchObject({ priceBaseQuantity: 1, priceBaseUnitCode: 'HUR' });
    expect(invoice.lines[1]!.priceBaseQuantity).toBe(1);
    expect(invoice.lines[1]).not.toHaveProperty('priceBaseUnitCode');
    expect(sources['/lines/0/priceBaseUnitCode']).toBe('/Invoice/cac:InvoiceLine[1]/cac:Price/cbc:BaseQuantity');
    const xml = writeUbl(invoice);
    expect(xml).toContain('<cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity>');
    expect(xml).toContain(`${PRICE_2}<cbc:BaseQuantity>1</cbc:BaseQuantity>`);
  });

  it('refuses a base quantity in another unit than the invoiced quantity (PEPPOL-EN16931-R130)', () => {
    const other = swap(
      lines,
      '<cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity>',
      '<cbc:BaseQuantity unitCode="DAY">1</cbc:BaseQuantity>',
    );
    expect(judge(other)).toEqual([
      expect.objectContaining({
        rule: 'PEPPOL-EN16931-R130',
        pointer: '/Invoice/cac:InvoiceLine[1]/cac:Price/cbc:BaseQuantity',
      }),
    ]);
  });

  it("reads a quantity without a unit as C62 when it checks the base quantity's unit (R130), as our writer writes it", () => {
    const { invoice } = mapped(lines);
    const { unitCode: _unit, ...line } = invoice.lines[0]!;
    expect(
      checkInvoice({ ...invoice, lines: [{ ...line, priceBaseUnitCode: 'KGM' }, ...invoice.lines.slice(1)] }),
    ).toEqual([expect.objectContaining({ rule: 'PEPPOL-EN16931-R130', pointer: '/lines/0/priceBaseUnitCode' })]);
    expect(
      checkInvoice({ ...invoice, lines: [{ ...line, priceBaseUnitCode: 'C62' }, ...invoice.lines.slice(1)] }),
    ).toEqual([]);
  });

  it('keeps both in a credit note', () => {
    const credit = swap(
      swap(
        creditNote,
        '<cbc:Name>Consulting hours (credited)</cbc:Name>',
        '<cbc:Description>Hours NW-2026-0417 invoiced twice</cbc:Description><cbc:Name>Consulting hours (credited)</cbc:Name>',
      ),
      '<cbc:PriceAmount currencyID="EUR">96.00</cbc:PriceAmount>',
      '<cbc:PriceAmount currencyID="EUR">96.00</cbc:PriceAmount><cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity>',
    );
    const { invoice, sources } = readAndRoundTrip(credit);
    expect(invoice.lines[0]).toMatchObject({
      itemDescription: 'Hours NW-2026-0417 invoiced twice',
      priceBaseUnitCode: 'HUR',
    });
    expect(sources['/lines/0/itemDescription']).toBe('/CreditNote/cac:CreditNoteLine[1]/cac:Item/cbc:Description');
  });
});

describe('a price discount without its gross price (BT-147 without BT-148)', () => {
  it('is kept and written back, as CEN writes it in its own examples', () => {
    const xml = swap(
      example,
      '<cbc:PriceAmount currencyID="EUR">96.00</cbc:PriceAmount>',
      '<cbc:PriceAmount currencyID="EUR">96.00</cbc:PriceAmount>\n      <cac:AllowanceCharge>\n        <cbc:ChargeIndicator>false</cbc:ChargeIndicator>\n        <cbc:Amount currencyID="EUR">4.00</cbc:Amount>\n      </cac:AllowanceCharge>',
    );
    const { invoice } = readAndRoundTrip(xml);
    expect(invoice.lines[0]).toMatchObject({ unitPriceMinor: 9600, priceDiscountMinor: 400 });
    expect(invoice.lines[0]!.grossPriceMinor).toBeUndefined();
  });
});
