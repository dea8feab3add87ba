/**
 * Accepting an NDJSON batch: every good line becomes a submission, inserted in bulk in one transaction with the
 * batch row; bad lines and invoice numbers already used are reported per line. Workflows are started afterwards
 * (see workflow-starter.ts), so a large batch is answered without waiting for thousands of starts.
 */
import { submissionWorkflowId, type SubmissionType } from '../contracts';
import { insertBatch, type RejectedLine } from '../db/batches';
import { newId } from '../db/ids';
import { findInvoicesByNumber, insertSubmissionsBulk, type NewSubmissionRow } from '../db/submission-intake';
import { MAX_BATCH_LINES, readBatch } from '../domain/batch-lines';
import { acceptOnce, type IdempotencyRequest, type StoredResponse } from './idempotency';
import { IntakeError } from '../domain/intake-errors';
import type { IntakeDeps } from './submissions';

const INSERT_CHUNK = 1_000;

/** The result of one line in the 202 answer. */
export type LineResult =
  { line: number; status: 'accepted'; id: string; type: SubmissionType } | ({ status: 'rejected' } & RejectedLine);

/** Accepts a batch and answers with the response to send (202, or 422 when no line was good). */
export async function acceptBatch(
  deps: IntakeDeps,
  partnerId: string,
  text: string,
  idempotency?: IdempotencyRequest,
): Promise<{ response: StoredResponse; batchId?: string }> {
  const { good, bad, lineCount } = readBatch(text);
  if (lineCount === 0 || good.length + bad.length === 0)
    throw new IntakeError(400, 'empty-batch', 'the batch has no lines');
  if (lineCount > MAX_BATCH_LINES)
    throw new IntakeError(
      413,
      'batch-too-large',
      `a batch may hold at most ${MAX_BATCH_LINES} lines, this one has ${lineCount}`,
    );

  const batchId = newId('bat');
  const rows: NewSubmissionRow[] = good.map((g) => {
    const id = newId('sub');
    return {
      id,
      partnerId,
      type: g.type,
      workflowId: submissionWorkflowId(g.type, id),
      externalRef: g.externalRef,
      payload: g.payload,
      batchId,
      batchLine: g.line,
    };
  });
  const rejected: RejectedLine[] = [...bad];

  const key = idempotency && { ...idempotency, partnerId };
  let acceptedCount = 0;
  const outcome = await acceptOnce(deps.pool, key, deps.config.intake.idempotencyWaitMs, async (tx) => {
    // The batch row comes first (submissions reference it); its counts are final once the inserts have run.
    await insertBatch(tx, { id: batchId, partnerId, lineCount, acceptedCount: 0, rejectedCount: 0, rejected: [] });
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      for (const id of await insertSubmissionsBulk(tx, rows.slice(i, i + INSERT_CHUNK))) inserted.add(id);
    }
    const skipped = rows.filter((r) => !inserted.has(r.id));
    const existing = await findInvoicesByNumber(
      tx,
      partnerId,
      skipped.map((r) => r.externalRef!),
    );
    for (const r of skipped) {
      const earlier = existing.get(r.externalRef!);
      rejected.push({
        line: r.batchLine!,
        submissionId: earlier,
        errors: [
          { pointer: '/body/invoiceNumber', message: `invoice ${r.externalRef} was already accepted as ${earlier}` },
        ],
      });
    }
    rejected.sort((a, b) => a.line - b.line);
    // A batch with nothing accepted is answered 422 and leaves no batch behind (its answer is kept only under an
    // Idempotency-Key, to be replayed); the row was there for the submissions to reference.
    if (inserted.size === 0) await tx.query('DELETE FROM batches WHERE id = $1', [batchId]);
    else
      await tx.query('UPDATE batches SET accepted_count = $2, rejected_count = $3, rejected = $4 WHERE id = $1', [
        batchId,
        inserted.size,
        rejected.length,
        JSON.stringify(rejected),
      ]);
    acceptedCount = inserted.size;
    return {
      response: batchResponse(
        batchId,
        lineCount,
        rows.filter((r) => inserted.has(r.id)),
        rejected,
      ),
      resourceId: batchId,
    };
  });
  return { response: outcome.response, batchId: !outcome.replayed && acceptedCount > 0 ? batchId : undefined };
}

function batchResponse(
  batchId: string,
  lineCount: number,
  accepted: NewSubmissionRow[],
  rejected: RejectedLine[],
): StoredResponse {
  const lines: LineResult[] = [
    ...accepted.map((r) => ({ line: r.batchLine!, status: 'accepted' as const, id: r.id, type: r.type })),
    ...rejected.map((r) => ({ status: 'rejected' as const, ...r })),
  ].sort((a, b) => a.line - b.line);
  const self = `/v1/batches/${batchId}`;
  return {
    status: accepted.length > 0 ? 202 : 422,
    location: accepted.length > 0 ? self : null,
    body:
      accepted.length > 0
        ? { id: batchId, lineCount, accepted: accepted.length, rejected: rejected.length, lines, links: { self } }
        : {
            type: 'https://docs.partner-workflows.dev/problems/batch-rejected',
            title: 'Unprocessable Content',
            status: 422,
            detail: 'no line of the batch could be accepted',
            lines,
          },
  };
}
