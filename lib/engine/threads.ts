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
  /** `openTask`: the thread ended in a Task state that failed (it has no TaskStateExited). */
  | { t: "fail"; error: string; cause?: string; prev: number; openTask?: boolean }
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
 * state's, then MapIterationAborted) are recorded together, as AWS does. A sibling that fails
 * after the first failure was recorded (e.g. two task timeouts at the same instant) is aborted
 * like the others. Last, the Task the failing child ended in is recorded as aborted too
 * (`openTaskAborted`): AWS records TaskStateAborted for it before the Map or Parallel fails.
 */
export function runChildren(
  frame: Frame, count: number, maxConcurrency: number,
  begin: (index: number, startPrev: number) => number,
  runOne: (index: number, cancel: Cancellation, scopePrev: number) => Promise<ScopeOutcome>,
  startPrevFor: (freedBy: number | null) => number,
  hooks?: {
    succeeded?: (index: number, o: { output: Json; prev: number }) => number;
    failed?: (index: number, f: Failure) => void;
    aborted?: (index: number, reason: AbortReason) => void;
    openTaskAborted?: (prev: number) => void;
  },
): Promise<{ t: "ok"; outputs: Json[]; prev: number } | { t: "fail"; failure: Failure } | { t: "aborted" }> {
  const outputs: Json[] = new Array(count);
  let failure: Failure | null = null;
  let failureOpenTask = false;
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
      if (failure && failureOpenTask && !crash) {
        try {
          hooks?.openTaskAborted?.(failure.prev);
        } catch (err) {
          crash = err;
        }
      }
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
          if (!failure && !abortReason) {
            failure = { error: o.error, cause: o.cause, prev: o.prev };
            failureOpenTask = o.openTask === true;
            hooks?.failed?.(index, failure);
            abortRunning({ prev: o.prev, silent: false });
          } else if (abortReason && !abortReason.silent) {
            // Failed while the others were being aborted: recorded as aborted.
            if (o.openTask) hooks?.openTaskAborted?.(abortReason.prev);
            hooks?.aborted?.(index, abortReason);
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
      cancels[index] = new Cancellation();
      // `begin` may throw (the history quota reached): the child then never runs, so it must not
      // count as running, or the parent would wait for it forever.
      const scopePrev = begin(index, startPrevFor(freedBy));
      running.add(index);
      return [index, scopePrev];
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

/**
 * Entering a Task and scheduling its attempt is one step on AWS: when several threads start at
 * once (Map iterations, Parallel branches), each records TaskStateEntered and TaskScheduled back
 * to back, and the tasks' TaskStarted events follow once all of them are scheduled. The gate
 * serialises that step between threads of one execution; `leave()` lets a scheduled task wait
 * until no other thread is inside it. Both answer null (no await, no cost) when uncontended.
 */
export class StepGate {
  private held = false;
  private waiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  acquire(): Promise<void> | null {
    if (!this.held) {
      this.held = true;
      return null;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) return next(); // handed on: still held
    this.held = false;
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
  }

  /**
   * Releases the gate after scheduling. Answers null when no other thread is entering or waiting
   * to start (go on at once), else a promise settled, in arrival order, once none is entering.
   */
  leave(): Promise<void> | null {
    if (this.waiters.length === 0 && this.idleWaiters.length === 0) {
      this.release();
      return null;
    }
    const started = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.release();
    return started;
  }
}
