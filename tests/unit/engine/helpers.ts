// Small helpers for engine tests: run a definition on the virtual clock and read its history.
import type { HistoryEvent, Json } from "../../../lib/history/types";
import { runExecution } from "../../../lib/engine/execution";
import type { ExecutionHandle, StartExecutionOptions } from "../../../lib/engine/types";
import type { StateMachineDefinition } from "../../../lib/asl/model";

export const START = Date.parse("2024-01-01T00:00:00Z");

export function run(definition: StateMachineDefinition, input: Json = {}, options: Partial<StartExecutionOptions> = {}): Promise<ExecutionHandle> {
  return runExecution({ definition, input, startTime: START, name: "test", ...options });
}

/** "id<-prev Type" per event: the shape of a history in one line each. */
export function shape(events: readonly HistoryEvent[]): string[] {
  return events.map((e) => `${e.id}<-${e.previousEventId} ${e.type}`);
}

export function types(events: readonly HistoryEvent[]): string[] {
  return events.map((e) => e.type);
}

export function details(event: HistoryEvent | undefined): Record<string, unknown> {
  if (!event) return {};
  for (const [k, v] of Object.entries(event)) if (k.endsWith("EventDetails")) return v as Record<string, unknown>;
  return {};
}

export function find(events: readonly HistoryEvent[], type: string, nth = 0): HistoryEvent | undefined {
  return events.filter((e) => e.type === type)[nth];
}

export const pass = (extra: Record<string, unknown> = {}) => ({ Type: "Pass", End: true, ...extra }) as StateMachineDefinition["States"][string];
