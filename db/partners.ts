/** The `partners` table. */
import type { PartnerBilling } from '../contracts/partner-billing';
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

/** Inserts a partner; `billing` must have been checked (domain/partner-billing.ts). */
export async function insertPartner(
  db: Queryable,
  p: {
    id: string;
    name: string;
    contactEmail?: string | null;
    approvalThresholdMinor?: number;
    billing?: PartnerBilling | null;
  },
): Promise<Partner> {
  const { rows } = await db.query<Partner>(
    `INSERT INTO partners (id, name, contact_email, approval_threshold_minor, billing)
     VALUES ($1, $2, $3, COALESCE($4, 1000000), $5) RETURNING ${COLUMNS}`,
    [
      p.id,
      p.name,
      p.contactEmail ?? null,
      p.approvalThresholdMinor ?? null,
      p.billing ? JSON.stringify(p.billing) : null,
    ],
  );
  return rows[0]!;
}

/**
 * Sets (replaces) a partner's billing details, or removes them with null; `billing` must have been checked. Invoices
 * already issued keep the buyer they were issued to. False when there is no such partner.
 */
export async function setPartnerBilling(db: Queryable, id: string, billing: PartnerBilling | null): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE partners SET billing = $2 WHERE id = $1`, [
    id,
    billing ? JSON.stringify(billing) : null,
  ]);
  return rowCount === 1;
}

/** A partner's billing details; null when it has none, undefined when there is no such partner. */
export async function getPartnerBilling(db: Queryable, id: string): Promise<PartnerBilling | null | undefined> {
  const { rows } = await db.query<{ billing: PartnerBilling | null }>(`SELECT billing FROM partners WHERE id = $1`, [
    id,
  ]);
  return rows[0] ? rows[0].billing : undefined;
}

/** Finds a partner by id. */
export async function findPartner(db: Queryable, id: string): Promise<Partner | undefined> {
  const { rows } = await db.query<Partner>(`SELECT ${COLUMNS} FROM partners WHERE id = $1`, [id]);
  return rows[0];
}

/** Lists partners with their billing details, oldest first. */
export async function listPartners(db: Queryable): Promise<(Partner & { billing: PartnerBilling | null })[]> {
  const { rows } = await db.query<Partner & { billing: PartnerBilling | null }>(
    `SELECT ${COLUMNS}, billing FROM partners ORDER BY created_at, id`,
  );
  return rows;
}
