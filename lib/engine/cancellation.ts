// Aborting running work: a Parallel branch or Map iteration whose sibling failed, an execution
// that is stopped or timed out. A cancellation carries the event id the abort events point at;
// a silent one (StopExecution, execution timeout) records no per-state aborted events, as AWS.

export interface AbortReason {
  /** The event that caused the abort (the sibling's failure); aborted events point at it. */
  prev: number;
  /** True when no *StateAborted / MapIterationAborted events are recorded. */
  silent: boolean;
}

/** Thrown into a waiting state when its thread is aborted. */
export class Aborted extends Error {
  constructor(readonly reason: AbortReason) {
    super("aborted");
    this.name = "Aborted";
  }
}

export class Cancellation {
  reason: AbortReason | null = null;
  private listeners: Array<() => void> = [];

  /** A cancellation that is also cancelled when `parent` is. */
  static child(parent: Cancellation): Cancellation {
    const c = new Cancellation();
    if (parent.reason) c.reason = parent.reason;
    else parent.onCancel(() => c.cancel(parent.reason as AbortReason));
    return c;
  }

  cancel(reason: AbortReason): void {
    if (this.reason) return;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) l();
  }

  /** Registers `fn` to run on cancel; returns an unsubscribe function. */
  onCancel(fn: () => void): () => void {
    if (this.reason) {
      fn();
      return () => {};
    }
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  throwIfCancelled(): void {
    if (this.reason) throw new Aborted(this.reason);
  }
}
