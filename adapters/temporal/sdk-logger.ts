/**
 * The Temporal SDK's log (its Runtime's, in the worker and under the API's native client connection): readable lines
 * for a terminal, or one JSON object per line for log collectors, carrying the workflow id, activity and the
 * submission id the run belongs to.
 */
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { Config } from '../../config';

const SUBMISSION_ID = /sub_[0-9a-z]{26}/;

function plain(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return typeof value === 'bigint' ? value.toString() : value;
}

/** One JSON line of a log entry, with `submissionId` taken from the workflow id. */
export function jsonLine(entry: LogEntry): string {
  const meta = entry.meta ?? {};
  const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : undefined;
  const submissionId = workflowId ? SUBMISSION_ID.exec(workflowId)?.[0] : undefined;
  return JSON.stringify(
    {
      level: entry.level.toLowerCase(),
      time: Number(entry.timestampNanos / 1_000_000n),
      msg: entry.message,
      ...meta,
      ...(submissionId ? { submissionId } : {}),
    },
    plain,
  );
}

/** The SDK logger for the config: WARN and above unless LOG_LEVEL=debug; JSON lines when LOG_FORMAT=json. */
export function sdkLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): DefaultLogger {
  const level = config.logLevel === 'debug' ? 'DEBUG' : 'WARN';
  if (config.logFormat !== 'json') return new DefaultLogger(level);
  return new DefaultLogger(level, (entry) => process.stdout.write(`${jsonLine(entry)}\n`));
}
