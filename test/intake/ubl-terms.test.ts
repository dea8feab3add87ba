/**
 * EN 16931 business terms as partners send them, kept on reading and written back: invoice notes with their subject
 * code (BG-1), line notes (BT-127), the document and line references (BT-11..19, BT-128, BT-133), the item's
 * identifiers, classifications, origin and attributes (BT-155..161) and the payee (BG-10). Each document must be read
 * with every term and its source element, pass the route's checks, and read back the same after our writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, judge } from './judge';
import type { Invoice } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { mapUblInvoice } from '../../domain/ubl/invoice';
import { writeUbl } from '../../domain/ubl/writer';

const example = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl-invoice.xml'), 'utf8');
const creditNote = fixture('peppol-credit-note.xml');

/** Replaces text that must be there, so a test cannot silently test nothing. */
function swap(xml: string, from: string, to: string): string {
  if (!xml.includes(from)) throw new Error(`not in the document: ${from}`);
  return xml.split(from).join(to);
}

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
      '<cac:PartyIdentification><cbc:ID schemeID="0088">4050000000024</cbc:ID></cac:PartyIdentification>' +
      '<cac:PartyName><cbc:Name>Hanse Factoring GmbH</cbc:Name></cac:PartyName>' +
      '<cac:PartyLegalEntity><cbc:CompanyID schemeID="0204">HRB 99001</cbc:CompanyID></cac:PartyLegalEntity>' +
      '</cac:PayeeParty>',
  );

  it('keeps its name, identifier and legal registration identifier with their schemes', () => {
    const { invoice, sources } = readAndRoundTrip(payee);
    expect(invoice.payee).toEqual({
      name: 'Hanse Factoring GmbH',
      identifier: '4050000000024',
      identifierScheme: '0088',
      legalRegistrationId: 'HRB 99001',
      legalRegistrationIdScheme: '0204',
    });
    expect(sources['/payee/name']).toBe('/Invoice/cac:PayeeParty/cac:PartyName/cbc:Name');
  });
});
