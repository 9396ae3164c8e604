// What an execution started that is an execution too: Distributed Map children (listed per Map
// Run) and executions started through the states:startExecution integration.
import type { HistoryEvent, StateMachineType } from "@/lib/history/types";

/** Child executions a parent started with the states:startExecution integration. */
export function childExecutionArns(events: readonly HistoryEvent[]): string[] {
  const arns = new Set<string>();
  for (const e of events) {
    const d = e.taskSubmittedEventDetails ?? e.taskSucceededEventDetails;
    if (!d || d.resourceType !== "states" || !d.resource?.startsWith("startExecution") || !d.output) continue;
    try {
      const out = JSON.parse(d.output) as { ExecutionArn?: unknown };
      if (typeof out.ExecutionArn === "string") arns.add(out.ExecutionArn);
    } catch {
      // not JSON: nothing to follow
    }
  }
  return [...arns];
}

/** A Distributed Map's child execution type, from the parent definition (default STANDARD). */
export function mapRunChildType(definition: string, childStateMachineArn: string | undefined): StateMachineType {
  const label = childStateMachineArn?.split("/").pop();
  let found: StateMachineType = "STANDARD";
  const visit = (v: unknown, stateName?: string): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x));
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    const cfg = (o.ItemProcessor as { ProcessorConfig?: { Mode?: string; ExecutionType?: string } } | undefined)?.ProcessorConfig;
    if (cfg?.Mode === "DISTRIBUTED" && (o.Label === label || stateName === label) && cfg.ExecutionType === "EXPRESS") found = "EXPRESS";
    for (const [k, child] of Object.entries(o)) visit(child, k);
  };
  try {
    visit(JSON.parse(definition));
  } catch {
    // an unreadable definition: assume STANDARD
  }
  return found;
}

