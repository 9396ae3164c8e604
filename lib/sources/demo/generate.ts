// Generates the demo month: every demo workflow run by the local engine on a virtual clock, so a
// month of executions (with real waits, retries, timeouts and callbacks) takes seconds.
import type { Json } from "@/lib/history/types";
import { startExecution, VirtualClock, type ExecutionHandle, type TaskOutcome, type TaskResolver } from "@/lib/engine";
import type { IngestInput } from "@/lib/store/ingest";
import { DEMO_WORKFLOWS, stateMachineArn, type DemoWorkflow } from "./workflows";

export interface DemoRun {
  workflow: DemoWorkflow;
  definitionText: string;
  handle: ExecutionHandle;
}

export interface DemoOptions {
  days?: number;
  seed?: number;
  /** The simulated month ends here (epoch ms); default now. */
  endTime?: number;
  /** Scales every workflow's executions per day. */
  scale?: number;
  onRun: (run: DemoRun) => Promise<void>;
}

/** A small fast seeded PRNG (mulberry32), so the demo is the same every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

/** Start times for one day: more in business hours, fewer at weekends. */
function startTimes(random: () => number, dayStart: number, perDay: number): number[] {
  const weekday = new Date(dayStart).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const n = Math.max(1, Math.round(perDay * (weekend ? 0.55 : 1) * (0.8 + random() * 0.4)));
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const busy = random() < 0.7;
    const hour = busy ? 8 + random() * 10 : random() * 24;
    times.push(dayStart + Math.floor(hour * 3_600_000));
  }
  return times.sort((a, b) => a - b);
}

function resolverFor(workflow: DemoWorkflow, random: () => number, dayIndex: number, version: number, clock: VirtualClock, handle: () => ExecutionHandle | undefined): TaskResolver {
  return (invocation) => {
    const behaviour = workflow.tasks[invocation.stateName];
    if (!behaviour) return { output: {} };
    const r = behaviour({ input: invocation.input, random, dayIndex, retryCount: invocation.retryCount, version });
    if (r.callbackAfterMs !== undefined && invocation.taskToken) {
      const token = invocation.taskToken;
      clock.schedule(r.callbackAfterMs, () => {
        try {
          handle()?.sendTaskSuccess(token, (r.output ?? {}) as Json);
        } catch {
          // the task timed out before the answer came: AWS would answer TaskTimedOut too
        }
      });
      return { pending: true, submitted: { MessageId: `m-${Math.floor(random() * 1e9)}` }, durationMs: r.durationMs };
    }
    const outcome: TaskOutcome = r.error ? (r.cause === undefined ? { error: r.error } : { error: r.error, cause: r.cause }) : { output: (r.output ?? {}) as Json };
    return { ...outcome, durationMs: r.durationMs };
  };
}

export async function generateDemo(options: DemoOptions): Promise<{ executions: number; events: number }> {
  const days = options.days ?? 30;
  const random = seededRandom(options.seed ?? 17);
  const end = options.endTime ?? Date.now();
  const firstDay = Math.floor(end / DAY) * DAY - (days - 1) * DAY;
  let executions = 0;
  let events = 0;
  for (const workflow of DEMO_WORKFLOWS) {
    let n = 0;
    for (let d = 0; d < days; d++) {
      const dayStart = firstDay + d * DAY;
      const version = workflow.definitions.filter((v) => v.fromDay <= d).length;
      const definition = workflow.definitions[version - 1].definition;
      const definitionText = JSON.stringify(definition, null, 2);
      for (const startTime of startTimes(random, dayStart, workflow.perDay * (options.scale ?? 1))) {
        if (startTime > end) continue;
        const clock = new VirtualClock(startTime);
        const input = workflow.input(random, n++) as Json;
        const current: ExecutionHandle = startExecution({
          definition: definitionText,
          input,
          name: `${workflow.name}-${new Date(startTime).toISOString().slice(0, 10).replace(/-/g, "")}-${String(n).padStart(4, "0")}`,
          stateMachineArn: stateMachineArn(workflow.name),
          type: workflow.type,
          clock,
          startTime,
          random,
          taskResolver: resolverFor(workflow, random, d / days, version, clock, () => current),
        });
        await current.result();
        executions++;
        events += current.events.length;
        await options.onRun({ workflow, definitionText, handle: current });
      }
    }
  }
  return { executions, events };
}

/** A demo run as the store ingests it (the execution, its history and the definition that ran). */
export function demoIngestInput({ workflow, definitionText, handle }: DemoRun): IngestInput {
  const d = handle.describe();
  return {
    events: [...handle.events],
    execution: { executionArn: d.executionArn, stateMachineArn: d.stateMachineArn, name: d.name, status: d.status, startDate: d.startDate, stopDate: d.stopDate, input: d.input, output: d.output, error: d.error, cause: d.cause },
    definition: definitionText,
    source: "engine",
    stateMachine: { arn: d.stateMachineArn, name: workflow.name, type: workflow.type, region: d.executionArn.split(":")[3] },
  };
}
