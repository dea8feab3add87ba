/** Helpers of the billing tests: subscriptions made through the domain code, and the owner's report mail. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { ParsedMail } from 'mailparser';
import type pg from 'pg';
import { expect } from 'vitest';
import { createSubscription, type NewSubscription } from '../../services/billing/subscriptions';
import { cancelSubscription, type Subscription } from '../../db/subscriptions';
import { historyToFixture } from '../replay/history-json';
import { parseCsv } from './csv';

/** Owner address the tests' config mails reports to. */
export const OWNER = 'owner@billing.test';

/** A subscription of `partnerId` anchored on `anchorDate`, paid with Stripe's test card unless told. */
export async function newSubscription(
  pool: pg.Pool,
  partnerId: string,
  anchorDate: string,
  overrides: Partial<NewSubscription> = {},
): Promise<Subscription> {
  const sub = await createSubscription(pool, {
    partnerId,
    plan: 'Gold',
    amountMinor: 1900,
    currency: 'EUR',
    subscriberEmail: `s-${Math.random().toString(36).slice(2, 10)}@example.com`,
    paymentMethod: 'pm_card_visa',
    anchorDate,
    ...overrides,
  });
  created.push(sub.id);
  return sub;
}

const created: string[] = [];

/** Tracks a subscription made elsewhere (the CLI) for cancelCreatedSubscriptions. */
export function track(subscriptionId: string): void {
  created.push(subscriptionId);
}

/** Cancels every subscription these helpers made in this file, so none is due on a later test's date. */
export async function cancelCreatedSubscriptions(pool: pg.Pool): Promise<void> {
  for (const id of created.splice(0)) await cancelSubscription(pool, id);
}

/** The report rows of a mail as objects keyed by column, checking both attachments are there. */
export function reportOf(mail: ParsedMail): Record<string, string>[] {
  const csv = mail.attachments.find((a) => a.filename?.endsWith('.csv'));
  const pdf = mail.attachments.find((a) => a.filename?.endsWith('.pdf'));
  expect(csv?.contentType).toBe('text/csv');
  expect(pdf?.contentType).toBe('application/pdf');
  expect(pdf!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const [header, ...rows] = parseCsv(csv!.content.toString('utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/** Matches the owner's report mail of a run. */
export function isReportOf(reportId: string): (mail: ParsedMail) => boolean {
  return (mail) => mail.messageId === `<${reportId}.report@partner-workflows>`;
}

/**
 * Writes a run's history as a replay fixture when RECORD_HISTORIES names a folder; otherwise does nothing.
 * `RECORD_HISTORIES=$PWD/test/fixtures/histories npx vitest run test/billing` records the billing scenarios.
 */
export async function recordHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  const dir = process.env.RECORD_HISTORIES;
  if (!dir) return;
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.json`), `${historyToFixture(history)}\n`);
}
