/** Undo steps registered after each step succeeds, run in reverse order when a later step fails. */
import { CancellationScope, log } from '@temporalio/workflow';

/** A list of undo actions. */
export class Compensations {
  private readonly undo: { name: string; fn: () => Promise<void> }[] = [];

  /** Registers the undo of a step that just succeeded. */
  add(name: string, fn: () => Promise<void>): void {
    this.undo.push({ name, fn });
  }

  /** Runs every undo, newest first, even when the workflow is being cancelled; returns the names that ran. */
  async run(): Promise<string[]> {
    const done: string[] = [];
    await CancellationScope.nonCancellable(async () => {
      for (const { name, fn } of [...this.undo].reverse()) {
        try {
          await fn();
          done.push(name);
        } catch (err) {
          // An undo that fails after its own retries needs an operator; keep undoing the rest.
          log.error('compensation failed', { step: name, error: (err as Error).message });
        }
      }
    });
    this.undo.length = 0;
    return done;
  }
}
