/**
 * Marks started submissions in batches: the intake adds each id once its workflow start succeeded, and one UPDATE
 * marks everything added in the last few milliseconds. The mark only spares the sweeper work (it starts unmarked
 * rows, and a start of a running or closed run is refused by its id), so a mark lost to a crash loses nothing.
 */
import type pg from 'pg';
import { markWorkflowsStarted } from '../db/submission-intake';

/** A batch of started submissions waiting to be marked. */
export interface StartMarks {
  add(submissionId: string): void;
  /** Marks what is waiting now (shutdown). */
  flush(): Promise<void>;
}

/** Collects ids and marks them at most `delayMs` later, or at once when `maxBatch` are waiting. */
export function createStartMarks(
  pool: pg.Pool,
  options: { delayMs?: number; maxBatch?: number; onError?: (err: unknown) => void } = {},
): StartMarks {
  const { delayMs = 50, maxBatch = 500 } = options;
  let waiting: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const ids = waiting;
    waiting = [];
    if (ids.length > 0) {
      inFlight = inFlight.then(() => markWorkflowsStarted(pool, ids).catch((err: unknown) => options.onError?.(err)));
    }
    return inFlight;
  };

  return {
    add(submissionId) {
      waiting.push(submissionId);
      if (waiting.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), delayMs);
    },
    flush,
  };
}
