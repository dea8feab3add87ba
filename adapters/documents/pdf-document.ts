/**
 * A pdfkit document whose standard fonts share their metrics across documents.
 *
 * pdfkit builds a standard font's metrics afresh for every document that uses it: the glyph widths and a table of
 * several thousand kerning pairs, about 2.5 ms per font on the bench machine, so 5 ms of every invoice PDF went to
 * Helvetica and Helvetica-Bold. The metrics never change; here they are built once per process, and each document
 * gets font objects of its own (its own font id, its own PDF object) that point at the shared metrics.
 *
 * This reaches into two pdfkit internals (`_fontFamilies`, `_fontCount`). When they are not there (another pdfkit
 * version), the document falls back to pdfkit's own font loading: slower, never different. The unit test checks
 * that the bytes are the same either way.
 */
import PDFDocument from 'pdfkit';

/** The standard fonts our documents use; the first is the document's starting font, as pdfkit's default. */
export const DOCUMENT_FONTS = ['Helvetica', 'Helvetica-Bold'] as const;

interface FontInternals {
  _fontFamilies?: Record<string, object>;
  _fontCount?: number;
}

/** One font object per standard font, built by pdfkit for a document never written; only its metrics are reused. */
const templates = new Map<string, object>();

function template(name: string): object {
  let font = templates.get(name);
  if (!font) {
    const scratch = new PDFDocument({ font: name });
    font = (scratch as unknown as { _font: object })._font;
    templates.set(name, font);
  }
  return font;
}

/** `new PDFDocument(options)` with Helvetica as its font, as pdfkit's default, and the shared standard fonts. */
export function newPdfDocument(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  const pdf = new PDFDocument({ ...options, font: null as unknown as string });
  const internals = pdf as unknown as FontInternals;
  if (typeof internals._fontFamilies === 'object' && typeof internals._fontCount === 'number') {
    for (const name of DOCUMENT_FONTS) {
      const shared = template(name);
      const id = `F${++internals._fontCount}`;
      // Same prototype and metrics; the document and id are this document's, and no PDF object yet (made on use).
      internals._fontFamilies[name] = Object.assign(Object.create(Object.getPrototypeOf(shared) as object), shared, {
        document: pdf,
        id,
      });
    }
  }
  return pdf.font(DOCUMENT_FONTS[0]);
}
