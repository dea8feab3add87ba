/** The `partners` table. */
import type { Queryable } from './pool';

/** A partner as stored. */
export interface Partner {
  id: string;
  name: string;
  contactEmail: string | null;
  approvalThresholdMinor: number;
  createdAt: Date;
}

const COLUMNS = `id, name, contact_email AS "contactEmail",
  approval_threshold_minor AS "approvalThresholdMinor", created_at AS "createdAt"`;

/** Inserts a partner. */
export async function insertPartner(
  db: Queryable,
  p: { id: string; name: string; contactEmail?: string | null; approvalThresholdMinor?: number },
): Promise<Partner> {
  const { rows } = await db.query<Partner>(
    `INSERT INTO partners (id, name, contact_email, approval_threshold_minor)
     VALUES ($1, $2, $3, COALESCE($4, 1000000)) RETURNING ${COLUMNS}`,
    [p.id, p.name, p.contactEmail ?? null, p.approvalThresholdMinor ?? null],
  );
  return rows[0]!;
}

/** Finds a partner by id. */
export async function findPartner(db: Queryable, id: string): Promise<Partner | undefined> {
  const { rows } = await db.query<Partner>(`SELECT ${COLUMNS} FROM partners WHERE id = $1`, [id]);
  return rows[0];
}

/** Lists partners, oldest first. */
export async function listPartners(db: Queryable): Promise<Partner[]> {
  const { rows } = await db.query<Partner>(`SELECT ${COLUMNS} FROM partners ORDER BY created_at, id`);
  return rows;
}
