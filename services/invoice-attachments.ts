/**
 * Claim check for documents embedded in invoices: each is decoded, size-checked and stored in PostgreSQL, and the
 * invoice keeps only its id, so no workflow payload or stored invoice carries the document itself.
 */
import { createHash } from 'node:crypto';
import type { Invoice } from '../contracts/invoice';
import { newId } from '../db/ids';
import { storeAttachment } from '../db/invoice-attachments';
import type { Queryable } from '../db/pool';
import { IntakeError } from '../domain/intake-errors';

/** The largest embedded document accepted (decoded), per attachment. */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

/** One embedded document: where it is in the invoice and in the request, and its base64 text. */
export interface EmbeddedContent {
  attachment: number;
  /** The element or JSON pointer an error names. */
  pointer: string;
  base64: string;
}

/** An embedded document decoded and size-checked, not yet stored. */
export interface DecodedContent extends EmbeddedContent {
  content: Buffer;
}

/** Decodes and size-checks every embedded document (no database): a bad one is refused before anything is written. */
export function decodeEmbeddedAttachments(embedded: EmbeddedContent[]): DecodedContent[] {
  return embedded.map((e) => {
    const text = e.base64.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
      throw new IntakeError(422, 'validation', 'an embedded document is not valid base64', {
        errors: [{ pointer: e.pointer, message: 'is not valid base64' }],
      });
    const content = Buffer.from(text, 'base64');
    if (content.length > ATTACHMENT_MAX_BYTES)
      throw new IntakeError(413, 'attachment-too-large', `an embedded document is over ${ATTACHMENT_MAX_BYTES} bytes`, {
        errors: [{ pointer: e.pointer, message: `is ${content.length} bytes; at most ${ATTACHMENT_MAX_BYTES}` }],
      });
    return { ...e, content };
  });
}

/**
 * Stores decoded documents and returns the invoice with `contentId` and `sizeBytes` in their place. Run in the
 * transaction that stores the submission (see `preparePayload`), so a refused invoice leaves no document behind.
 */
export async function storeDecodedAttachments(
  db: Queryable,
  partnerId: string,
  invoice: Invoice,
  decoded: DecodedContent[],
): Promise<Invoice> {
  if (!decoded.length) return invoice;
  const attachments = [...(invoice.attachments ?? [])];
  for (const d of decoded) {
    const meta = attachments[d.attachment]!;
    const id = await storeAttachment(db, {
      id: newId('att'),
      partnerId,
      sha256: createHash('sha256').update(d.content).digest('hex'),
      ...(meta.mimeCode ? { mimeCode: meta.mimeCode } : {}),
      ...(meta.filename ? { filename: meta.filename } : {}),
      content: d.content,
    });
    const { contentBase64: _dropped, ...rest } = meta;
    attachments[d.attachment] = { ...rest, contentId: id, sizeBytes: d.content.length };
  }
  return { ...invoice, attachments };
}

/** The embedded documents of a JSON invoice (`attachments[].contentBase64`). */
export function embeddedInJson(invoice: Invoice): EmbeddedContent[] {
  return (invoice.attachments ?? []).flatMap((a, k) =>
    a.contentBase64 === undefined
      ? []
      : [{ attachment: k, pointer: `/attachments/${k}/contentBase64`, base64: a.contentBase64 }],
  );
}
