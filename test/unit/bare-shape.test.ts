/**
 * The bench compares orders with a bare workflow of "the same sequence of activities, task queues, timers and
 * search-attribute upserts". This keeps the bare shape in step with what a recorded order actually sent Temporal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORDER_SHAPE_CURRENT, type ShapeStep } from '../../bench/bare/shapes';
import { TaskQueues } from '../../contracts';

interface HistoryEvent {
  eventType: string;
  markerRecordedEventAttributes?: {
    markerName: string;
    details?: Record<string, { payloads: { data: string }[] }>;
  };
  upsertWorkflowSearchAttributesEventAttributes?: { searchAttributes: { indexedFields: Record<string, unknown> } };
  activityTaskScheduledEventAttributes?: { taskQueue: { name: string } };
}

/** What a history's commands did, in order: patches by id, upserts, local and remote activities by queue, timers. */
function traceOfHistory(events: HistoryEvent[]): string[] {
  const trace: string[] = [];
  for (const e of events) {
    const type = e.eventType.replace('EVENT_TYPE_', '');
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_patch') {
      const data = marker.details!['patch-data']!.payloads[0]!.data;
      trace.push(`patch ${(JSON.parse(Buffer.from(data, 'base64').toString()) as { id: string }).id}`);
    } else if (marker?.markerName === 'core_local_activity') trace.push('local activity');
    else if (type === 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') {
      const keys = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes.indexedFields);
      // A patch's own upsert of TemporalChangeVersion comes with its marker (the SDK adds it).
      if (!keys.every((k) => k === 'TemporalChangeVersion')) trace.push('upsert');
    } else if (type === 'ACTIVITY_TASK_SCHEDULED')
      trace.push(`activity on ${e.activityTaskScheduledEventAttributes!.taskQueue.name}`);
    else if (type === 'TIMER_STARTED') trace.push('timer');
  }
  return trace;
}

function traceOfShape(steps: ShapeStep[]): string[] {
  return steps.flatMap((step): string[] => {
    switch (step.kind) {
      case 'patch':
        return [`patch ${step.id}`];
      case 'upsert':
        return ['upsert'];
      case 'timer':
        return ['timer'];
      case 'activity':
        return [step.local ? 'local activity' : `activity on ${TaskQueues[step.queue]}`];
      case 'parallel':
        return Array.from({ length: step.count }, () =>
          step.local ? 'local activity' : `activity on ${TaskQueues[step.queue]}`,
        );
    }
  });
}

describe("the bench's bare shape of the order", () => {
  it('sends Temporal what a recorded completed order sent: patches, upserts, activities and their queues', () => {
    const file = path.join(__dirname, '..', 'fixtures', 'histories', 'order-completed.json');
    const { events } = JSON.parse(fs.readFileSync(file, 'utf8')) as { events: HistoryEvent[] };
    expect(traceOfShape(ORDER_SHAPE_CURRENT)).toEqual(traceOfHistory(events));
  });
});
