/** Started submissions are marked in batches: one UPDATE for many ids, nothing left waiting after a flush. */
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { submissionWorkflowId } from '../../contracts';
import { newId } from '../../db/ids';
import { createPool } from '../../db/pool';
import { listUnstarted } from '../../db/submission-intake';
import { insertSubmission } from '../../db/submissions';
import { createStartMarks } from '../../services/start-marks';
import { newPartner, sampleOrder } from '../support/fixtures';

describe('start marks', () => {
  const pool = createPool(inject('databaseUrl'), 4);
  afterAll(() => pool.end());

  async function stored(partnerId: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = newId('sub');
      const order = sampleOrder();
      await insertSubmission(pool, {
        id,
        workflowId: submissionWorkflowId('order', id),
        partnerId,
        type: 'order',
        payload: order,
        externalRef: order.orderNumber,
      });
      ids.push(id);
    }
    return ids;
  }

  const unstarted = async (partnerId: string) =>
    (await listUnstarted(pool, { limit: 100, partnerId })).map((r) => r.id).sort();

  it('marks everything added within the delay in one statement, and the rest on flush', async () => {
    const { partnerId } = await newPartner(pool);
    const ids = await stored(partnerId, 5);
    let statements = 0;
    const counting = { query: (...args: Parameters<typeof pool.query>) => (statements++, pool.query(...args)) };
    const marks = createStartMarks(counting as unknown as typeof pool, { delayMs: 60_000 });
    for (const id of ids.slice(0, 4)) marks.add(id);
    expect(await unstarted(partnerId)).toEqual([...ids].sort());
    await marks.flush();
    expect(statements).toBe(1);
    expect(await unstarted(partnerId)).toEqual([ids[4]]);
  });

  it('flushes by itself after the delay and at once when the batch is full', async () => {
    const { partnerId } = await newPartner(pool);
    const ids = await stored(partnerId, 3);
    const marks = createStartMarks(pool, { delayMs: 20, maxBatch: 2 });
    marks.add(ids[0]!);
    marks.add(ids[1]!);
    marks.add(ids[2]!);
    await new Promise((r) => setTimeout(r, 200));
    await marks.flush();
    expect(await unstarted(partnerId)).toEqual([]);
  });
});
