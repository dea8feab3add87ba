/** Renders an invoice as a PDF with pdfkit: seller, buyer (with its address and VAT id when known), lines, totals. */
import type { BillingAddress } from '../../contracts/partner-billing';
import { currencyExponent, minorToDecimal } from '../../domain/ubl/decimal';
import { newPdfDocument } from './pdf-document';

/** What an invoice document shows. */
export interface InvoiceDocument {
  invoiceNumber: string;
  issueDate: string;
  seller: { name: string };
  buyer: { name: string; email?: string; address?: BillingAddress; vatId?: string };
  reference: string;
  currency: string;
  lines: { description: string; quantity: number; unitPriceMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** Formats minor units as a decimal amount with its currency's own decimals: `12.50 EUR`, `4950 JPY`, `4.500 KWD`. */
export function formatMoney(minor: number, currency: string): string {
  return `${minorToDecimal(minor, currencyExponent(currency))} ${currency}`;
}

/** An address as the lines of a letter: street, line 2, post code and city, subdivision, country code. */
export function addressLines(address: BillingAddress): string[] {
  return [
    address.street,
    address.additionalStreet,
    `${address.postalCode} ${address.city}`,
    address.countrySubdivision,
    address.country,
  ].filter((line): line is string => line !== undefined);
}

/** Lines drawn between two yields to the event loop, so heartbeats of a long render get sent. */
const LINES_PER_SLICE = 200;

/** Renders the PDF; `onProgress` is called per page and per slice of lines so long documents can heartbeat. */
export function renderInvoicePdf(
  doc: InvoiceDocument,
  onProgress?: (progress: { page: number; lines: number }) => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    draw(doc, resolve, reject, onProgress).catch(reject);
  });
}

async function draw(
  doc: InvoiceDocument,
  resolve: (pdfBytes: Buffer) => void,
  reject: (err: Error) => void,
  onProgress?: (progress: { page: number; lines: number }) => void,
): Promise<void> {
  {
    const pdf = newPdfDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${doc.invoiceNumber}` } });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    let page = 1;
    let drawn = 0;
    pdf.on('pageAdded', () => onProgress?.({ page: ++page, lines: drawn }));

    pdf.fontSize(20).text(`Invoice ${doc.invoiceNumber}`);
    pdf.moveDown(0.5).fontSize(10);
    pdf.text(`Issue date: ${doc.issueDate}`);
    pdf.text(`Reference: ${doc.reference}`);
    pdf.moveDown();
    pdf.text(`Seller: ${doc.seller.name}`);
    pdf.text(`Buyer: ${doc.buyer.name}${doc.buyer.email ? ` <${doc.buyer.email}>` : ''}`);
    for (const line of doc.buyer.address ? addressLines(doc.buyer.address) : []) pdf.text(line, { indent: 32 });
    if (doc.buyer.vatId) pdf.text(`VAT ID: ${doc.buyer.vatId}`, { indent: 32 });
    pdf.moveDown();

    const cols = [50, 310, 370, 460];
    const header = (): void => {
      const y = pdf.y;
      pdf.font('Helvetica-Bold');
      pdf.text('Description', cols[0], y, { width: 250 });
      pdf.text('Qty', cols[1], y, { width: 50, align: 'right' });
      pdf.text('Unit price', cols[2], y, { width: 80, align: 'right' });
      pdf.text('Amount', cols[3], y, { width: 85, align: 'right' });
      pdf.font('Helvetica').moveDown(0.3);
    };
    header();
    for (const line of doc.lines) {
      if (++drawn % LINES_PER_SLICE === 0) {
        onProgress?.({ page, lines: drawn });
        await new Promise((r) => setImmediate(r));
      }
      if (pdf.y > 760) {
        pdf.addPage();
        header();
      }
      const y = pdf.y;
      pdf.text(line.description, cols[0], y, { width: 250 });
      const after = pdf.y;
      pdf.text(String(line.quantity), cols[1], y, { width: 50, align: 'right' });
      pdf.text(formatMoney(line.unitPriceMinor, doc.currency), cols[2], y, { width: 80, align: 'right' });
      pdf.text(formatMoney(line.quantity * line.unitPriceMinor, doc.currency), cols[3], y, {
        width: 85,
        align: 'right',
      });
      pdf.y = Math.max(after, pdf.y);
    }
    pdf.moveDown();
    for (const [label, amount] of [
      ['Subtotal', doc.subtotalMinor],
      ['Tax', doc.taxMinor],
      ['Total', doc.totalMinor],
    ] as const) {
      const y = pdf.y;
      pdf.font(label === 'Total' ? 'Helvetica-Bold' : 'Helvetica');
      pdf.text(label, cols[2], y, { width: 80, align: 'right' });
      pdf.text(formatMoney(amount, doc.currency), cols[3], y, { width: 85, align: 'right' });
    }
    pdf.end();
  }
}
