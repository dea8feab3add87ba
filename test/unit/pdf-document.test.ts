import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { newPdfDocument } from '../../adapters/documents/pdf-document';

const fixedInfo = { Title: 'Fonts', CreationDate: new Date('2026-01-02T03:04:05Z') };

/** Draws text in both fonts over two pages and returns the bytes. */
function render(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.fontSize(20).text('Invoice INV-2026-000001 – Ünïcode € AVAWAy');
    pdf.font('Helvetica-Bold').text('Total 1,234.50 EUR', { align: 'right' });
    pdf.addPage();
    pdf.font('Helvetica').fontSize(10).text('Kerning: AV To Wa Yo LT');
    pdf.end();
  });
}

const fontOf = (pdf: PDFKit.PDFDocument): { font: object; id: string; document: unknown } =>
  (pdf as unknown as { _font: { font: object; id: string; document: unknown } })._font;

describe('newPdfDocument', () => {
  it('writes the same bytes as pdfkit with its own font loading', async () => {
    const options = { size: 'A4' as const, margin: 50, info: fixedInfo };
    const expected = await render(new PDFDocument(options));
    const first = await render(newPdfDocument(options));
    const second = await render(newPdfDocument(options));
    expect(first.equals(expected)).toBe(true);
    expect(second.equals(expected)).toBe(true);
  });

  it('shares the font metrics between documents, with a font object of each document its own', () => {
    const a = newPdfDocument({ size: 'A4' });
    const b = newPdfDocument({ size: 'A4' });
    expect(fontOf(a).font).toBe(fontOf(b).font);
    expect(fontOf(a)).not.toBe(fontOf(b));
    expect(fontOf(a).document).toBe(a);
    expect(fontOf(b).document).toBe(b);
    expect(fontOf(a).id).toBe('F1');
    a.font('Helvetica-Bold');
    b.font('Helvetica-Bold');
    expect(fontOf(a).font).toBe(fontOf(b).font);
    expect(fontOf(a).id).toBe('F2');
  });
});
