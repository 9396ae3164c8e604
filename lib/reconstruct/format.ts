// The run model as people read it (the CLI's default output) and as JSON (its --json output).
import type { Json } from "@/lib/history";
import { displayUnknowns } from "./compare";
import type { ChildRun, Divergence, RunModel, VisitNode } from "./model";

/** The run model for JSON output: the tree (not the flat index), unknown markers made readable. */
export function runModelToJson(model: RunModel): Json {
  // Divergences first: what a reader (or a script) looks for; the tree last, it is long.
  const ordered = { divergences: model.divergences, drift: model.drift, execution: model.execution, billing: model.billing, partial: model.partial, visits: model.visits };
  return JSON.parse(JSON.stringify(ordered, (_key, value: unknown) => (typeof value === "string" ? displayUnknowns(value) : value))) as Json;
}

export function formatDivergence(d: Divergence): string {
  const where = d.state ? ` ${d.path ? `${d.path}/` : ""}${d.state}` : "";
  return `event ${d.eventId} [${d.kind}]${where}: ${d.message}`;
}

/** A readable tree: one line per visit, children indented, then the divergences. */
export function formatRunModel(model: RunModel, options: { maxChildren?: number } = {}): string {
  const maxChildren = options.maxChildren ?? 20;
  const lines: string[] = [];
  const ex = model.execution;
  const b = model.billing;
  const duration = ex.startedAt !== null && ex.stoppedAt !== null ? `, ${formatMs(ex.stoppedAt - ex.startedAt)}` : "";
  lines.push(`Execution ${ex.status}${ex.error ? ` ${ex.error}` : ""}${duration} — ${b.statesEntered} states entered, ${b.retries} ${b.retries === 1 ? "retry" : "retries"}, ${b.stateTransitions} billed transitions${b.express ? `; Express: ${b.express.billedDurationMs} ms × ${b.express.billedMemoryMb} MB billed` : ""}`);
  const walk = (visits: VisitNode[], indent: string) => {
    visits.forEach((v, i) => {
      const lastOne = i === visits.length - 1;
      lines.push(`${indent}${lastOne ? "└─ " : "├─ "}${visitLine(v)}`);
      const inner = indent + (lastOne ? "   " : "│  ");
      for (const a of v.attemptList.length > 1 || v.attemptList.some((x) => x.outcome !== "SUCCEEDED") ? v.attemptList : []) {
        const retry = a.retry ? ` → ${a.retry.retried ? "retried" : "not retried"} (${a.retry.reason}${a.retry.recordedBackoffMs !== null ? `, waited ${formatMs(a.retry.recordedBackoffMs)}` : ""}${a.retry.expectedBackoffMs !== null ? `, definition says ${formatMs(a.retry.expectedBackoffMs)}` : ""})` : "";
        lines.push(`${inner}  try ${a.number}: ${a.outcome}${a.error ? ` ${a.error}` : ""}${retry}`);
      }
      if (v.choice) lines.push(`${inner}  choice: ${v.choice.matched === "Default" ? "Default" : v.choice.matched === null ? "no rule matched" : `rule #${v.choice.matched}`} → ${v.choice.next ?? "(none)"}`);
      if (v.catch && v.status === "CAUGHT") lines.push(`${inner}  caught: ${v.catch.reason}${v.catch.next ? ` → ${v.catch.next}` : ""}`);
      const shown = v.children.slice(0, maxChildren);
      shown.forEach((c, ci) => {
        const lastChild = ci === shown.length - 1 && v.children.length <= maxChildren;
        lines.push(`${inner}${lastChild ? "└─ " : "├─ "}${childLine(c)}`);
        walk(c.visits, inner + (lastChild ? "   " : "│  "));
      });
      if (v.children.length > maxChildren) lines.push(`${inner}└─ … ${v.children.length - maxChildren} more`);
    });
  };
  walk(model.visits, "");
  if (model.drift) lines.push("", `Definition drift: ${model.drift.message}`);
  if (model.divergences.length) {
    lines.push("", `${model.divergences.length} divergence${model.divergences.length === 1 ? "" : "s"}:`);
    for (const d of model.divergences) lines.push(`  ${formatDivergence(d)}`);
  } else lines.push("", "No divergence: the history agrees with the definition.");
  return lines.join("\n");
}

function visitLine(v: VisitNode): string {
  const dur = v.exitedAt !== null ? ` ${formatMs(v.exitedAt - v.enteredAt)}` : "";
  const tries = v.stateType === "Task" && v.attempts > 1 ? ` (${v.attempts} tries)` : "";
  const err = v.error && v.status !== "SUCCEEDED" ? ` ${v.error}` : "";
  return `${v.stateName} [${v.stateType}] ${v.status}${err}${tries}${dur}`;
}

function childLine(c: ChildRun): string {
  const what = c.kind === "iteration" ? `iteration ${c.index}` : c.kind === "branch" ? `branch ${c.index}` : `map run ${c.mapRunArn ?? ""}`.trim();
  return `${what}${c.run > 1 ? ` (run ${c.run})` : ""} ${c.status}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
