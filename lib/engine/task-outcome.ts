// Waiting for a task attempt's outcome: the resolver's answer (now or from a promise), a callback
// through the task token (sendTaskSuccess / sendTaskFailure, heartbeats), TimeoutSeconds,
// HeartbeatSeconds, or an abort of the thread the task runs in.
import type { Json } from "../history/types";
import { StatesError, STATES_ERRORS } from "../asl/errors";
import { Aborted, type AbortReason, type Cancellation } from "./cancellation";
import type { Clock } from "./clock";
import { type TaskResource, usesTaskToken } from "./resources";
import { failureOf } from "./resolvers";
import type { TaskInvocation, TaskOutcome, TaskResolver } from "./types";

/** AWS's default Task TimeoutSeconds (not the States Language's 60). */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/** A task waiting for a callback through its token. */
export interface PendingToken {
  settle(outcome: TaskOutcome): void;
  heartbeat(): void;
}

export interface TaskOutcomeDeps {
  clock: Clock;
  tokens: Map<string, PendingToken>;
  /** Tokens of tasks that timed out: a late callback is told so (AWS's TaskTimedOut). */
  timedOutTokens: Set<string>;
  resolver?: TaskResolver;
}

/**
 * Asks the resolver and waits for the task's outcome: the resolver's answer, a callback
 * (sendTaskSuccess/Failure), a timeout (TimeoutSeconds, HeartbeatSeconds) or an abort.
 */
export function awaitTaskOutcome(
  deps: TaskOutcomeDeps, cancel: Cancellation, target: TaskResource, invocation: TaskInvocation, timeouts: { timeoutSeconds?: number; heartbeatSeconds?: number },
  onStarted: () => void, onSubmitted: (submitted: Json) => void,
): TaskOutcome | Promise<TaskOutcome> {
  const callback = usesTaskToken(target);
  const submits = callback || (target.kind === "service" && target.pattern === "sync");
  let answer: TaskOutcome | undefined | Promise<TaskOutcome | undefined>;
  try {
    answer = deps.resolver ? deps.resolver(invocation) : undefined;
  } catch (err) {
    answer = failureOf(err);
  }
  const settleNow = (value: TaskOutcome | undefined): TaskOutcome | null => {
    if (value === undefined) {
      if (callback) {
        onStarted();
        if (submits) onSubmitted({});
        return null; // wait for the callback API
      }
      throw new StatesError(STATES_ERRORS.Runtime, `No task resolver answered for state '${invocation.stateName}' (resource ${invocation.resource}).`);
    }
    onStarted();
    if ("pending" in value) {
      if (submits) onSubmitted(value.submitted ?? {});
      return null;
    }
    if (submits) onSubmitted({});
    return value;
  };
  // An answer that says how long the attempt ran is recorded that much later (see TaskOutcome).
  // An answer that *is* a timeout (a mock's `Throw` of States.Timeout) without a duration happens
  // when the timeout would: after HeartbeatSeconds for a missed heartbeat, else TimeoutSeconds.
  const delayOf = (value: TaskOutcome): number => {
    if ("durationMs" in value && typeof value.durationMs === "number") return value.durationMs > 0 ? value.durationMs : 0;
    if ("error" in value && value.error === STATES_ERRORS.Timeout) {
      const seconds = value.heartbeatTimeout ? (timeouts.heartbeatSeconds ?? timeouts.timeoutSeconds) : timeouts.timeoutSeconds;
      return seconds !== undefined ? seconds * 1000 : 0;
    }
    return 0;
  };
  let immediate: TaskOutcome | null = null;
  if (!(answer instanceof Promise)) {
    immediate = settleNow(answer);
    if (immediate && delayOf(immediate) === 0) return immediate; // answered at once: no promise, no timers
  }
  // A timeout answered ahead keeps its cause when the clock reaches it.
  const isTimeout = (value: TaskOutcome | null): value is TaskOutcome => value !== null && "error" in value && value.error === STATES_ERRORS.Timeout && !("durationMs" in value && value.durationMs);
  const timeoutOutcome: TaskOutcome = isTimeout(immediate) && !("heartbeatTimeout" in immediate && immediate.heartbeatTimeout) ? immediate : { error: STATES_ERRORS.Timeout };
  return new Promise<TaskOutcome>((resolve, reject) => {
    let settled = false;
    const cleanups: Array<() => void> = [];
    const settle = (outcome: TaskOutcome) => {
      if (settled) return;
      settled = true;
      for (const c of cleanups) c();
      resolve(outcome);
    };
    cleanups.push(cancel.onCancel(() => {
      if (settled) return;
      settled = true;
      for (const c of cleanups) c();
      reject(new Aborted(cancel.reason as AbortReason));
    }));
    if (invocation.taskToken !== undefined) {
      const token = invocation.taskToken;
      let cancelHeartbeat = () => {};
      const armHeartbeat = () => {
        cancelHeartbeat();
        if (timeouts.heartbeatSeconds !== undefined) cancelHeartbeat = deps.clock.schedule(timeouts.heartbeatSeconds * 1000, () => {
          deps.timedOutTokens.add(token);
          settle({ error: STATES_ERRORS.Timeout, heartbeatTimeout: true });
        });
      };
      armHeartbeat();
      deps.tokens.set(token, { settle, heartbeat: armHeartbeat });
      cleanups.push(() => {
        cancelHeartbeat();
        deps.tokens.delete(token);
      });
    }
    cleanups.push(deps.clock.schedule((timeouts.timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) * 1000, () => {
      if (invocation.taskToken !== undefined) deps.timedOutTokens.add(invocation.taskToken);
      settle(timeoutOutcome);
    }));
    // Not tracked: a duration is clock time, so the virtual clock must be free to advance to it.
    const settleAfterDuration = (outcome: TaskOutcome) => {
      const delay = delayOf(outcome);
      if (delay === 0) settle(outcome);
      else cleanups.push(deps.clock.schedule(delay, () => settle(outcome)));
    };
    if (immediate) settleAfterDuration(immediate);
    if (answer instanceof Promise) {
      deps.clock.track(answer).then(
        (value) => {
          if (settled) return;
          try {
            const now = settleNow(value);
            if (now) settleAfterDuration(now);
          } catch (err) {
            settled = true;
            for (const c of cleanups) c();
            reject(err);
          }
        },
        (err) => {
          if (settled) return;
          try {
            settle(failureOf(err));
          } catch (e) {
            settled = true;
            for (const c of cleanups) c();
            reject(e);
          }
        },
      );
    }
  });
}
