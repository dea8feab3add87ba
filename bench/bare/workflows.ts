/** The bench's bare workflow: runs a shape (see shapes.ts) with activities that return at once. */
import { patched, proxyActivities, proxyLocalActivities, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';
import type { BareQueue, ShapeStep } from './shapes';

/** The bare activity: returns at once. */
export interface BareActivities {
  bareNoop(input: { step: number }): Promise<{ step: number }>;
}

/** Input of the bare workflow. */
export interface BareShapeInput {
  queuePrefix: string;
  partnerId: string;
  steps: ShapeStep[];
}

const keys = {
  PartnerId: defineSearchAttributeKey('PartnerId', 'KEYWORD'),
  SubmissionType: defineSearchAttributeKey('SubmissionType', 'KEYWORD'),
  SubmissionStatus: defineSearchAttributeKey('SubmissionStatus', 'KEYWORD'),
  InvoiceNumber: defineSearchAttributeKey('InvoiceNumber', 'KEYWORD'),
};

/** Runs the steps in order; activity options mirror the service's (30 s timeouts, retries). */
export async function bareShapeWorkflow(input: BareShapeInput): Promise<number> {
  const remote = new Map<BareQueue, BareActivities>();
  const proxy = (queue: BareQueue): BareActivities => {
    let p = remote.get(queue);
    if (!p) {
      p = proxyActivities<BareActivities>({
        taskQueue: `${input.queuePrefix}${queue}`,
        startToCloseTimeout: '30 seconds',
        retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
      });
      remote.set(queue, p);
    }
    return p;
  };
  const local = proxyLocalActivities<BareActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  let done = 0;
  for (const [i, step] of input.steps.entries()) {
    if (step.kind === 'activity') {
      await (step.local ? local : proxy(step.queue)).bareNoop({ step: i });
    } else if (step.kind === 'parallel') {
      const target = step.local ? local : proxy(step.queue);
      await Promise.all(Array.from({ length: step.count }, () => target.bareNoop({ step: i })));
    } else if (step.kind === 'upsert') {
      upsertSearchAttributes([{ key: keys[step.key], value: step.key === 'PartnerId' ? input.partnerId : `v${i}` }]);
    } else if (step.kind === 'patch') {
      patched(step.id);
    } else {
      await sleep(step.ms);
    }
    done++;
  }
  return done;
}
