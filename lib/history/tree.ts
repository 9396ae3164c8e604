// The causal tree of a history: previousEventId points at the event that caused an event (not at
// id - 1), so attributing an event to its state means walking up to the nearest *StateEntered.
import type { HistoryEvent } from "./types";

export interface HistoryIndex {
  byId: Map<number, HistoryEvent>;
  children: Map<number, HistoryEvent[]>;
}

export function indexHistory(events: readonly HistoryEvent[]): HistoryIndex {
  const byId = new Map<number, HistoryEvent>();
  const children = new Map<number, HistoryEvent[]>();
  for (const e of events) {
    byId.set(e.id, e);
    const list = children.get(e.previousEventId);
    if (list) list.push(e);
    else children.set(e.previousEventId, [e]);
  }
  return { byId, children };
}

export const isStateEntered = (type: string) => type.endsWith("StateEntered");
export const isStateExited = (type: string) => type.endsWith("StateExited");

/** The name of the state an event belongs to: the nearest *StateEntered up the causal chain. */
export function stateNameOf(index: HistoryIndex, event: HistoryEvent): string | undefined {
  let cur: HistoryEvent | undefined = event;
  for (let guard = 0; cur && guard < 100_000; guard++) {
    if (isStateEntered(cur.type) || isStateExited(cur.type)) return cur.stateEnteredEventDetails?.name ?? cur.stateExitedEventDetails?.name;
    if (cur.previousEventId === 0) return undefined;
    cur = index.byId.get(cur.previousEventId);
  }
  return undefined;
}
