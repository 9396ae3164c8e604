// Threads of control: the execution, a Parallel branch, a Map iteration. What a state or a scope
// (a chain of states) ends with, and how sibling threads run side by side: bounded concurrency,
// the first failure aborting the others.
import type { Json } from "../history/types";
import type { SubMachine } from "../asl/model";
import { type AbortReason, Cancellation } from "./cancellation";

export type Outcome =
  | { t: "next"; next: string | null; output: Json; prev: number }
  | { t: "fail"; error: string; cause?: string; prev: number }
  | { t: "aborted" };

export type MapRun = { t: "ok"; output: Json; prev: number } | { t: "fail"; failure: Failure; stateFailed: boolean } | { t: "aborted" };

export type ScopeOutcome =
  | { t: "ok"; output: Json; prev: number }
  | { t: "fail"; error: string; cause?: string; prev: number }
  | { t: "aborted" };

/** A thread of control: the execution, a Parallel branch or a Map iteration. */
export interface Frame {
  machine: SubMachine;
  variables: Record<string, Json>;
  cancel: Cancellation;
}

export interface Failure {
  error: string;
  cause?: string;
  prev: number;
  /** A missed heartbeat: recorded as States.Timeout, matched by States.HeartbeatTimeout too. */
  heartbeatTimeout?: boolean;
}

/**
 * Runs `count` children (branches or iterations) with at most `maxConcurrency` at once
 * (0 = all). `begin` records a child's start event (MapIterationStarted) and returns what its
 * first state points at; the first batch all begin before any runs, as AWS records them. The
 * first failure stops new children from starting and aborts the running ones; so does an abort
 * of the parent thread. Aborts go one child at a time, so each child's aborted events (its
 * state's, then MapIterationAborted) are recorded together, as AWS does.
 */
export function runChildren(
  frame: Frame, count: number, maxConcurrency: number,
  begin: (index: number, startPrev: number) => number,
  runOne: (index: number, cancel: Cancellation, scopePrev: number) => Promise<ScopeOutcome>,
  startPrevFor: (freedBy: number | null) => number,
  hooks?: { succeeded?: (index: number, o: { output: Json; prev: number }) => number; failed?: (index: number, f: Failure) => void; aborted?: (index: number, reason: AbortReason) => void },
): Promise<{ t: "ok"; outputs: Json[]; prev: number } | { t: "fail"; failure: Failure } | { t: "aborted" }> {
  const outputs: Json[] = new Array(count);
  let failure: Failure | null = null;
  let crash: unknown = null;
  let lastPrev = startPrevFor(null);
  let next = 0;
  const limit = maxConcurrency > 0 ? Math.min(maxConcurrency, count) : count;
  const cancels: Cancellation[] = [];
  const running = new Set<number>();
  let abortReason: AbortReason | null = null;
  let abortQueue: number[] = [];
  let aborting: number | null = null;
  return new Promise((resolve, reject) => {
    const finishIfDone = () => {
      if (running.size > 0) return;
      unsubscribe();
      if (crash) reject(crash);
      else if (failure) resolve({ t: "fail", failure });
      else if (frame.cancel.reason) resolve({ t: "aborted" });
      else if (next >= count) resolve({ t: "ok", outputs, prev: lastPrev });
    };
    const abortNext = () => {
      while (aborting === null && abortQueue.length > 0) {
        const i = abortQueue.shift() as number;
        if (!running.has(i)) continue;
        aborting = i;
        cancels[i].cancel(abortReason as AbortReason);
      }
    };
    const abortRunning = (reason: AbortReason) => {
      if (abortReason) return;
      abortReason = reason;
      if (reason.silent) {
        for (const i of running) cancels[i].cancel(reason);
        return;
      }
      abortQueue = [...running].sort((x, y) => x - y);
      abortNext();
    };
    const unsubscribe = frame.cancel.onCancel(() => abortRunning(frame.cancel.reason as AbortReason));
    const settle = (index: number, cancel: Cancellation) => (o: ScopeOutcome) => {
      running.delete(index);
      try {
        if (o.t === "ok") {
          outputs[index] = o.output;
          lastPrev = hooks?.succeeded ? hooks.succeeded(index, o) : o.prev;
          if (!failure && !crash && !abortReason && next < count) start([claim(o.prev)]);
        } else if (o.t === "fail") {
          if (!failure) {
            failure = { error: o.error, cause: o.cause, prev: o.prev };
            hooks?.failed?.(index, failure);
            abortRunning({ prev: o.prev, silent: false });
          }
        } else hooks?.aborted?.(index, cancel.reason as AbortReason);
      } catch (err) {
        // e.g. the history quota reached while recording an iteration event
        crash ??= err;
        abortRunning({ prev: 0, silent: true });
        for (const i of running) cancels[i].cancel({ prev: 0, silent: true });
      }
      if (aborting === index) {
        aborting = null;
        abortNext();
      }
      finishIfDone();
    };
    const claim = (freedBy: number | null): [number, number] => {
      const index = next++;
      running.add(index);
      cancels[index] = new Cancellation();
      return [index, begin(index, startPrevFor(freedBy))];
    };
    const start = (batch: Array<[number, number]>) => {
      for (const [index, scopePrev] of batch) {
        const cancel = cancels[index];
        runOne(index, cancel, scopePrev).then(settle(index, cancel), (err: unknown) => {
          running.delete(index);
          crash ??= err;
          if (aborting === index) aborting = null;
          abortRunning({ prev: 0, silent: true });
          for (const i of running) cancels[i].cancel({ prev: 0, silent: true });
          finishIfDone();
        });
      }
    };
    if (count === 0 || frame.cancel.reason) {
      unsubscribe();
      resolve(frame.cancel.reason ? { t: "aborted" } : { t: "ok", outputs, prev: lastPrev });
      return;
    }
    const first: Array<[number, number]> = [];
    for (let i = 0; i < limit; i++) first.push(claim(null));
    start(first);
  });
}
