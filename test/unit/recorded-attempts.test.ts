/** The status document ties each attempt the worker recorded to the step that was running when it was scheduled. */
import { describe, expect, it } from 'vitest';
import type { SubmissionState } from '../../contracts';
import type { ActivityAttempt } from '../../db/activity-attempts';
import { withRecordedAttempts } from '../../services/submission-status';

type Steps = SubmissionState['steps'];
const step = (name: string, startedAt: string | null, finishedAt: string | null): Steps[number] =>
  ({
    name,
    status: finishedAt ? 'completed' : 'running',
    attempts: 1,
    lastError: null,
    startedAt,
    finishedAt,
  }) as Steps[number];
const attempt = (n: number, at: string, outcome: ActivityAttempt['outcome'], error: string | null = null) => ({
  activityType: 'chargePayment',
  attempt: n,
  outcome,
  error,
  scheduledAt: new Date(at),
  finishedAt: new Date(at),
});
const T = (s: string) => `2026-12-06T13:36:${s}Z`;
const charges = [
  attempt(1, T('09.760'), 'failed', 'provider unavailable'),
  attempt(2, T('11.000'), 'failed', 'provider unavailable'),
  attempt(3, T('15.000'), 'failed', 'provider timed out'),
  attempt(4, T('23.900'), 'completed'),
];

describe('withRecordedAttempts', () => {
  it('gives a step the attempts scheduled while it ran, and its last error', () => {
    const steps = [step('persist', T('09.700'), T('09.750')), step('charge', T('09.752'), T('23.920'))];
    const [persist, charge] = withRecordedAttempts(steps, charges);
    expect(persist).toMatchObject({ attempts: 1, lastError: null });
    expect(charge).toMatchObject({ attempts: 4, lastError: 'provider timed out' });
  });

  it('keeps the attempts of a step whose finish carries no newer time (a run replayed by another worker)', () => {
    const steps = [
      step('charge', T('09.752'), T('09.752')),
      step('issue_invoice', T('23.929'), T('23.990')),
      step('notify', null, null),
    ];
    const [charge, invoice] = withRecordedAttempts(steps, [
      ...charges,
      { ...attempt(1, T('23.950'), 'completed'), activityType: 'issueOrderInvoice' },
    ]);
    expect(charge).toMatchObject({ attempts: 4, lastError: 'provider timed out' });
    expect(invoice).toMatchObject({ attempts: 1 });
  });

  it('gives a step that started and finished at one instant nothing of the steps after it', () => {
    const steps = [
      step('validate', T('09.752'), T('09.752')),
      step('persist', T('09.752'), T('09.752')),
      step('charge', T('09.752'), T('23.920')),
      step('issue_invoice', T('23.929'), null),
    ];
    const [validate, persist, charge] = withRecordedAttempts(steps, charges);
    expect(validate).toMatchObject({ attempts: 1, lastError: null });
    expect(persist).toMatchObject({ attempts: 1, lastError: null });
    expect(charge).toMatchObject({ attempts: 4, lastError: 'provider timed out' });
  });
});
