/** Invoices for intake tests: the UBL example file with a fresh number, and a canonical JSON invoice that adds up. */
import fs from 'node:fs';
import path from 'node:path';
import type { Invoice } from '../../contracts';

const example = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl-invoice.xml'), 'utf8');

/** A fresh invoice number. */
export function invoiceNumber(): string {
  return `INV-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
}

/** The UBL example with its own invoice number (payable 2021.70 EUR). */
export function ublInvoice(number = invoiceNumber()): string {
  return example.replace(/<cbc:ID>NW-2026-0417<\/cbc:ID>/, `<cbc:ID>${number}</cbc:ID>`);
}

/** A canonical invoice that adds up (payable 180.00 EUR). */
export function jsonInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    invoiceNumber: invoiceNumber(),
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    currency: 'EUR',
    supplier: { name: 'Northwind Consulting GmbH', vatId: 'DE811907980' },
    customer: { name: 'Partner Workflows B.V.' },
    lines: [
      {
        id: '1',
        description: 'Consulting hours',
        quantity: 1.5,
        unitPriceMinor: 10000,
        lineTotalMinor: 15000,
        taxRateBasisPoints: 2000,
      },
    ],
    taxExclusiveMinor: 15000,
    taxTotalMinor: 3000,
    payableMinor: 18000,
    ...overrides,
  };
}
