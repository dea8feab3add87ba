/** Renders the daily billing report as a PDF with pdfkit: the run's totals, then one line per charge. */
import { newPdfDocument } from './pdf-document';
import type { BillingReportLine } from '../../domain/billing/report-csv';
import { formatMoney } from './invoice-pdf';

/** What the report shows above its lines. */
export interface BillingReportHeader {
  runDate: string;
  dryRun: boolean;
  retryFailedOnly: boolean;
  totals: { due: number; charged: number; failed: number; skipped: number; totalMinor: number };
}

const COLUMNS: { title: string; width: number; cell: (l: BillingReportLine) => string }[] = [
  { title: 'Partner', width: 95, cell: (l) => l.partnerName },
  { title: 'Subscription', width: 125, cell: (l) => l.subscriptionId },
  { title: 'Plan', width: 70, cell: (l) => l.plan },
  { title: 'Period', width: 60, cell: (l) => l.period },
  { title: 'Amount', width: 70, cell: (l) => formatMoney(l.amountMinor, l.currency) },
  { title: 'Status', width: 75, cell: (l) => (l.detail ? `${l.status} (${l.detail})` : l.status) },
];

/** Renders the report; resolves with the PDF bytes. */
export function renderBillingReportPdf(header: BillingReportHeader, lines: BillingReportLine[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = newPdfDocument({ size: 'A4', margin: 40, info: { Title: `Billing report ${header.runDate}` } });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);

    const mode = header.dryRun
      ? ' (dry run: nothing charged)'
      : header.retryFailedOnly
        ? ' (retry of failed charges)'
        : '';
    pdf.fontSize(18).text(`Billing report ${header.runDate}${mode}`);
    pdf.moveDown(0.5).fontSize(10);
    const t = header.totals;
    pdf.text(`Due: ${t.due}   Charged: ${t.charged}   Failed: ${t.failed}   Skipped: ${t.skipped}`);
    // Sums per currency: one run may bill subscriptions in several currencies.
    const sums = new Map<string, number>();
    for (const l of lines) {
      if (l.status === 'charged' || l.status === 'would_charge')
        sums.set(l.currency, (sums.get(l.currency) ?? 0) + l.amountMinor);
    }
    const sumText = [...sums].map(([currency, minor]) => formatMoney(minor, currency)).join(', ');
    pdf.text(`${header.dryRun ? 'Would charge' : 'Charged'}: ${sumText || 'nothing'}`);
    pdf.moveDown();

    const left = pdf.page.margins.left;
    const row = (cells: string[], bold: boolean): void => {
      if (pdf.y > pdf.page.height - pdf.page.margins.bottom - 30) pdf.addPage();
      const y = pdf.y;
      pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
      let x = left;
      let bottom = y;
      cells.forEach((text, i) => {
        const width = COLUMNS[i]!.width;
        pdf.text(text, x, y, { width: width - 6 });
        bottom = Math.max(bottom, pdf.y);
        x += width;
      });
      pdf.x = left;
      pdf.y = bottom + 3;
    };
    row(
      COLUMNS.map((c) => c.title),
      true,
    );
    for (const line of lines)
      row(
        COLUMNS.map((c) => c.cell(line)),
        false,
      );
    if (lines.length === 0) pdf.font('Helvetica').text('No subscription was due.', left);
    pdf.end();
  });
}
