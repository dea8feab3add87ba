/**
 * History fixtures in Temporal's standard JSON (what `temporal workflow show --output json` and the UI's
 * "Download" write), so a history downloaded from any environment can be dropped in as a fixture.
 */
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

/** Serialises a fetched history as fixture JSON. */
export function historyToFixture(history: temporal.api.history.v1.IHistory): string {
  return `${historyToJSON(history)}\n`;
}

/** Loads fixture JSON back into a History the replayer accepts. */
export function historyFromFixture(json: string): temporal.api.history.v1.IHistory {
  return historyFromJSON(JSON.parse(json));
}
