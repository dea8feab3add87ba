/** The `invoice_attachments` table: documents embedded in partners' invoices, kept apart from the payload. */
import type { Queryable } from './pool';

/** Stores an attachment once per partner and content; returns its id (the existing one for the same content). */
export async function storeAttachment(
  db: Queryable,
  a: { id: string; partnerId: string; sha256: string; mimeCode?: string; filename?: string; content: Buffer },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO invoice_attachments (id, partner_id, sha256, mime_code, filename, size_bytes, content)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (partner_id, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256 RETURNING id`,
    [a.id, a.partnerId, a.sha256, a.mimeCode ?? null, a.filename ?? null, a.content.length, a.content],
  );
  return rows[0]!.id;
}

/** A partner's attachment with its content. */
export async function getAttachment(
  db: Queryable,
  partnerId: string,
  id: string,
): Promise<{ mimeCode: string | null; filename: string | null; content: Buffer } | undefined> {
  const { rows } = await db.query<{ mimeCode: string | null; filename: string | null; content: Buffer }>(
    `SELECT mime_code AS "mimeCode", filename, content FROM invoice_attachments WHERE partner_id = $1 AND id = $2`,
    [partnerId, id],
  );
  return rows[0];
}
