// What a Distributed Map run looks like from outside the engine: the child state machine's
// definition (the Map's ItemProcessor), and the run's description (DescribeMapRun's fields) from
// the parent's history and the children. Shared by the local endpoint (lib/server-aws) and
// `statelens run --db`, which both store engine runs with their Map Runs.
import type { HistoryEvent } from "../history/types";
import type { ExecutionHandle, MapRunRecord } from "./types";

/** The state named `name` anywhere in a definition (Map and Parallel bodies included). */
export function findStateInDefinition(definitionText: string, name: string): Record<string, unknown> | undefined {
  const visit = (machine: unknown): Record<string, unknown> | undefined => {
    if (typeof machine !== "object" || machine === null) return undefined;
    const states = (machine as { States?: Record<string, Record<string, unknown>> }).States ?? {};
    for (const [stateName, state] of Object.entries(states)) {
      if (stateName === name) return state;
      for (const inner of [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[] | undefined) ?? [])]) {
        const found = visit(inner);
        if (found) return found;
      }
    }
    return undefined;
  };
  try {
    return visit(JSON.parse(definitionText));
  } catch {
    return undefined;
  }
}

/** The ItemProcessor (or legacy Iterator) of the possibly nested Map state `stateName`, as a definition. */
export function childDefinitionOf(definitionText: string, stateName: string): string {
  const state = findStateInDefinition(definitionText, stateName);
  const processor = (state?.ItemProcessor ?? state?.Iterator) as Record<string, unknown> | undefined;
  if (!processor) return definitionText;
  const { ProcessorConfig: _config, ...rest } = processor;
  void _config;
  const top = JSON.parse(definitionText) as Record<string, unknown>;
  return JSON.stringify(top.QueryLanguage ? { QueryLanguage: top.QueryLanguage, ...rest } : rest);
}

/** A Map Run starts at its MapRunStarted event and stops at the parent's MapRunSucceeded/Failed/Aborted. */
export function mapRunTimes(parentEvents: readonly HistoryEvent[], mapRunArn: string, childStarts: number[]): { start: number; stop?: number } {
  const started = parentEvents.find((e) => e.type === "MapRunStarted" && e.mapRunStartedEventDetails?.mapRunArn === mapRunArn);
  const start = started?.timestamp ?? (childStarts.length ? Math.min(...childStarts) : 0);
  const end = started ? parentEvents.find((e) => e.id > started.id && (e.type === "MapRunSucceeded" || e.type === "MapRunFailed" || e.type === "MapRunAborted")) : undefined;
  return { start, stop: end?.timestamp };
}

export interface MapRunCounts {
  pending: number; running: number; succeeded: number; failed: number; timedOut: number; aborted: number;
  total: number; resultsWritten: number; failuresNotRedrivable: number; pendingRedrive: number;
}

/** DescribeMapRun's counts from the children's statuses (`total` from the run's item count). */
export function mapRunCounts(total: number, statuses: string[]): MapRunCounts {
  const count = (s: string) => statuses.filter((x) => x === s).length;
  return {
    pending: Math.max(0, total - statuses.length), running: count("RUNNING"), succeeded: count("SUCCEEDED"), failed: count("FAILED"), timedOut: count("TIMED_OUT"),
    aborted: count("ABORTED"), total, resultsWritten: count("SUCCEEDED") + count("FAILED"), failuresNotRedrivable: 0, pendingRedrive: 0,
  };
}

/** The Map state's configuration that DescribeMapRun reports. */
export function mapRunConfig(definitionText: string, stateName: string): { maxConcurrency: number; toleratedFailurePercentage: number; toleratedFailureCount: number } {
  const state = findStateInDefinition(definitionText, stateName);
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  return { maxConcurrency: num(state?.MaxConcurrency), toleratedFailurePercentage: num(state?.ToleratedFailurePercentage), toleratedFailureCount: num(state?.ToleratedFailureCount) };
}

/** Every execution of a run, parent first, with the definition it ran and the Map Run it belongs to. */
export interface RunPart {
  handle: ExecutionHandle;
  definition: string;
  parent?: { executionArn: string; mapRunArn: string };
}

export interface RunMapRun {
  record: MapRunRecord;
  parent: ExecutionHandle;
  parentDefinition: string;
}

/** Walks a finished run: the execution, its Distributed Map children (recursively) and the runs. */
export function runParts(handle: ExecutionHandle, definition: string): { executions: RunPart[]; mapRuns: RunMapRun[] } {
  const executions: RunPart[] = [{ handle, definition }];
  const mapRuns: RunMapRun[] = [];
  for (let i = 0; i < executions.length; i++) {
    const part = executions[i];
    for (const record of part.handle.mapRuns) {
      mapRuns.push({ record, parent: part.handle, parentDefinition: part.definition });
      const childDefinition = childDefinitionOf(part.definition, record.stateName);
      for (const child of record.executions) executions.push({ handle: child, definition: childDefinition, parent: { executionArn: part.handle.executionArn, mapRunArn: record.mapRunArn } });
    }
  }
  return { executions, mapRuns };
}
