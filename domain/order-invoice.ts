/**
 * The invoice we issue for an order, in the canonical (EN 16931) model, so it can be written as Peppol BIS 3.0 UBL
 * (plain EN 16931 for a buyer without an electronic address).
 * The order was charged to a card when it was placed, so the whole amount is prepaid and nothing is due.
 */
import type { Invoice } from '../contracts/invoice';
import type { InvoiceBuyer } from '../contracts/partner-billing';
import { invoiceCustomer } from './partner-billing';
import { EN16931_SPECIFICATION } from './specifications';

/**
 * Who we are on the invoices we issue (a Dutch seller: Peppol's NL-R-002 wants street, city and post code), with
 * our electronic address on Peppol (R020): 9944, the Dutch VAT number.
 */
export const OUR_COMPANY = {
  name: 'Partner Workflows Ltd',
  vatId: 'NL859712453B01',
  endpoint: { scheme: '9944', id: 'NL859712453B01' },
  address: { street: 'Herengracht 100', city: 'Amsterdam', postalCode: '1015 BS', country: 'NL' },
} as const;

/** What the invoice is made from: the issued number, date and buyer, and the order as persisted. */
export interface OrderInvoiceSource {
  invoiceNumber: string;
  issuedAt: Date;
  /**
   * The buyer as it was when the number was taken (`issued_invoices.buyer`): its name, VAT id, postal and electronic
   * address. Without one (invoices issued before migration 064) the buyer is the order's partner, by name only.
   */
  buyer?: InvoiceBuyer | null;
  order: {
    orderNumber: string;
    currency: string;
    partnerName: string;
    lines: { sku: string; description: string; quantity: number; unitPriceMinor: number }[];
    subtotalMinor: number;
    taxMinor: number;
    totalMinor: number;
  };
  taxRateBasisPoints: number;
}

/** Builds the canonical invoice of an order. */
export function orderInvoice({
  invoiceNumber,
  issuedAt,
  buyer,
  order,
  taxRateBasisPoints,
}: OrderInvoiceSource): Invoice {
  const category = taxRateBasisPoints > 0 ? 'S' : 'Z';
  const customer = buyer ? invoiceCustomer(buyer) : { name: order.partnerName };
  return {
    documentType: 'invoice',
    // Peppol BIS needs the buyer's electronic address (R010): without one, the invoice claims EN 16931 alone, as a
    // validator would judge it, and not a network it could not be sent over.
    ...(customer.endpointId === undefined ? { specification: EN16931_SPECIFICATION } : {}),
    invoiceNumber,
    issueDate: issuedAt.toISOString().slice(0, 10),
    typeCode: '380',
    currency: order.currency,
    buyerReference: order.orderNumber,
    orderReference: order.orderNumber,
    supplier: {
      name: OUR_COMPANY.name,
      vatId: OUR_COMPANY.vatId,
      endpointId: OUR_COMPANY.endpoint.id,
      endpointScheme: OUR_COMPANY.endpoint.scheme,
      address: { ...OUR_COMPANY.address },
    },
    customer,
    lines: order.lines.map((line, i) => ({
      id: String(i + 1),
      description: line.description,
      quantity: line.quantity,
      unitCode: 'C62',
      unitPriceMinor: line.unitPriceMinor,
      lineTotalMinor: line.quantity * line.unitPriceMinor,
      taxCategory: category,
      taxRateBasisPoints,
    })),
    lineExtensionMinor: order.subtotalMinor,
    taxExclusiveMinor: order.subtotalMinor,
    taxTotalMinor: order.taxMinor,
    taxInclusiveMinor: order.totalMinor,
    prepaidMinor: order.totalMinor,
    payableMinor: 0,
    taxBreakdown: [
      { category, rateBasisPoints: taxRateBasisPoints, taxableMinor: order.subtotalMinor, taxMinor: order.taxMinor },
    ],
    // 48: bank card, charged when the order was placed.
    payment: { meansCode: '48', paymentId: order.orderNumber },
  };
}
