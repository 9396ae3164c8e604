// Billing facts as AWS meters them (aws-facts §1): Standard bills state transitions (each state
// entered, each retry, each Distributed Map child started); Express bills duration (rounded up
// to 100 ms) and memory (64 MB chunks, estimated as 50 MB + definition size + data size × Map
// and Parallel steps). Counts only: prices belong to lib/analysis.
import type { HistoryEvent } from "@/lib/history";
import type { ExecutionFacts } from "./context";
import type { BillingFacts, ExecutionNode, VisitNode } from "./model";

const MB = 1024 * 1024;

export function billingFacts(args: {
  nodes: readonly VisitNode[];
  events: readonly HistoryEvent[];
  execution: ExecutionNode;
  facts: ExecutionFacts;
  definitionText: string;
  redrives?: number;
}): BillingFacts {
  const redrives = args.redrives ?? 0;
  const { nodes, events, execution, facts } = args;
  let retries = 0;
  let mapRunChildren = 0;
  let steps = 0;
  for (const n of nodes) {
    retries += Math.max(0, n.attemptList.length - 1);
    for (const c of n.children) {
      if (c.kind === "mapRun") {
        const started = events.find((e) => e.id === n.attemptList[c.run - 1]?.scheduledEventId);
        mapRunChildren += started?.mapStateStartedEventDetails?.length ?? 0;
      } else steps++;
    }
  }
  const type = facts.type ?? (facts.executionArn?.includes(":express:") ? "EXPRESS" : facts.executionArn ? "STANDARD" : "UNKNOWN");
  let express: BillingFacts["express"] = null;
  if (type === "EXPRESS" && execution.startedAt !== null && execution.stoppedAt !== null) {
    const durationMs = Math.max(0, execution.stoppedAt - execution.startedAt);
    const billedDurationMs = Math.max(100, Math.ceil(durationMs / 100) * 100);
    const memoryEstimateMb = 50 + byteLength(args.definitionText) / MB + (largestPayload(events) / MB) * Math.max(1, steps);
    express = { durationMs, billedDurationMs, memoryEstimateMb, billedMemoryMb: Math.ceil(memoryEstimateMb / 64) * 64 };
  }
  return {
    type,
    stateTransitions: nodes.length + retries + mapRunChildren + redrives,
    statesEntered: nodes.length,
    retries,
    mapRunChildren,
    redrives,
    express,
  };
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The largest input/output recorded: the execution data size of the memory estimate. */
function largestPayload(events: readonly HistoryEvent[]): number {
  let max = 0;
  for (const e of events) {
    const d = e.stateEnteredEventDetails?.input ?? e.stateExitedEventDetails?.output ?? e.executionStartedEventDetails?.input;
    if (d && d.length > max) max = d.length;
  }
  return max;
}
