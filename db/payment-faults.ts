/** The `payment_fault_attempts` table: the default provider's injected outages count attempts per key here. */
import type { Queryable } from './pool';

/** Counts one more attempt for an idempotency key and returns the count (1 on the first). */
export async function countFaultAttempt(db: Queryable, idempotencyKey: string): Promise<number> {
  const { rows } = await db.query<{ attempts: number }>(
    `INSERT INTO payment_fault_attempts (idempotency_key, attempts) VALUES ($1, 1)
     ON CONFLICT (idempotency_key) DO UPDATE SET attempts = payment_fault_attempts.attempts + 1
     RETURNING attempts`,
    [idempotencyKey],
  );
  return rows[0]!.attempts;
}
