/**
 * History fixtures as JSON. The SDK's historyToJSON/historyFromJSON fail in this install ("type must be a Type":
 * @temporalio/common and @temporalio/proto each carry their own protobufjs copy), so fixtures use the generated
 * History class's own object form: enum names, 64-bit numbers and bytes as strings, timestamps as seconds/nanos.
 */
import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;

/** Serialises a fetched history as fixture JSON. */
export function historyToFixture(history: temporal.api.history.v1.IHistory): string {
  return JSON.stringify(
    History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }),
    null,
    1,
  );
}

/** Loads fixture JSON back into a History the replayer accepts as is. */
export function historyFromFixture(json: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(json) as Record<string, unknown>);
}
