/**
 * The queue table is the only place that says which activities a queue runs: the worker registers from it and the
 * workflow proxies are typed from it. The `@ts-expect-error` lines are checked by `tsc --noEmit` (this file is part of
 * the project): if a proxy on the wrong queue ever compiled, tsc would fail on the unused directive.
 */
import { describe, expect, it } from 'vitest';
import { queueActivities, type ActivitiesOf, type ActivityDependencies } from '../../activities/task-queues';
import { TaskQueues } from '../../contracts';
import { testConfig } from '../support/config';
import { activitiesFor, type ActivityOverrides } from '../../worker/workers';
import type { activitiesOn } from '../../workflows/activity-options';

type ProxyOn<Q extends keyof typeof queueActivities> = ReturnType<typeof activitiesOn<Q>>;

/** Type-level only: never called, it shows what compiles and what does not. */
export function wrongQueueDoesNotCompile(
  billing: ProxyOn<typeof TaskQueues.billing>,
  notifications: ProxyOn<typeof TaskQueues.notifications>,
): void {
  void billing.chargePayment;
  void notifications.sendOrderConfirmation;
  // @ts-expect-error chargePayment is registered on the billing queue only
  void notifications.chargePayment;
  // @ts-expect-error the webhook attempt runs on the callbacks queue, not on billing
  void billing.attemptWebhookDelivery;
}

/** Test fault injection is held to the same table: an override of an activity the queue does not run is refused. */
export const overrides: ActivityOverrides[] = [
  { billing: { chargePayment: async () => Promise.reject(new Error('card network timed out')) } },
  // @ts-expect-error notifications do not run chargePayment, so this override would silently do nothing
  { notifications: { chargePayment: async () => Promise.reject(new Error('never called')) } },
];

// Factories only close over their dependencies; none is used until an activity runs.
const fakeDeps = {
  config: testConfig(),
  pool: {},
  mailer: {},
  payments: {},
  temporal: {},
} as unknown as ActivityDependencies;

describe('task queue table', () => {
  it('lists every task queue once', () => {
    expect(Object.keys(queueActivities).sort()).toEqual(Object.values(TaskQueues).sort());
  });

  it('is what the worker registers, queue by queue', () => {
    for (const queue of Object.values(TaskQueues)) {
      expect(Object.keys(activitiesFor(queue, fakeDeps)).sort()).toEqual(
        Object.keys(queueActivities[queue](fakeDeps)).sort(),
      );
    }
    const billing: ActivitiesOf<typeof TaskQueues.billing> = activitiesFor(TaskQueues.billing, fakeDeps);
    expect(typeof billing.chargePayment).toBe('function');
    expect(typeof billing.listDueSubscriptions).toBe('function');
    expect('attemptWebhookDelivery' in billing).toBe(false);
  });
});
