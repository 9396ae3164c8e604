// Time for the engine. The virtual clock is a discrete-event scheduler: timers (Wait states,
// retry intervals, task timeouts, heartbeats) fire in time order, and virtual time jumps to the
// next timer as soon as the engine is idle, so a run with `Wait 3600` ends at once while its
// timestamps show the hour. "Idle" means: no microtask left to run (checked from a macrotask)
// and no resolver promise in flight (see `track`). The real clock uses setTimeout.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` after `ms` of clock time; returns a function that cancels it. */
  schedule(ms: number, fn: () => void): () => void;
  /** Work outside the engine (a resolver's promise): virtual time does not advance while it runs. */
  track<T>(promise: Promise<T>): Promise<T>;
  /** Lets a little time pass between two events so timestamps increase (virtual clocks only). */
  step(ms: number): void;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A min-heap of timers by (at, seq). */
class TimerHeap {
  private items: Timer[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Timer | undefined {
    return this.items[0];
  }
  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(a[p], a[i])) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): Timer | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as Timer;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
const less = (x: Timer, y: Timer) => x.at < y.at || (x.at === y.at && x.seq < y.seq);

/** Runs `fn` once the microtask queue is empty (setImmediate in Node, a zero timeout elsewhere). */
const afterMicrotasks: (fn: () => void) => void =
  typeof setImmediate === "function" ? (fn) => void setImmediate(fn) : (fn) => void setTimeout(fn, 0);

/** Timers due within this many virtual milliseconds of the earliest fire together. */
const TIMER_BATCH_MS = 100;

export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new TimerHeap();
  private inFlight = 0;
  private wakeScheduled = false;

  constructor(start: number = Date.now()) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  step(ms: number): void {
    this.t += ms;
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    this.wake();
    return () => {
      timer.cancelled = true;
    };
  }

  track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight++;
    const done = () => {
      this.inFlight--;
      this.wake();
    };
    promise.then(done, done);
    return promise;
  }

  private wake(): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    afterMicrotasks(() => this.advance());
  }

  /** Fires the earliest timers once nothing else can run. */
  private advance(): void {
    this.wakeScheduled = false;
    if (this.inFlight > 0) return; // woken again when the work settles
    let first = this.timers.pop();
    while (first && first.cancelled) first = this.timers.pop();
    if (!first) return;
    if (first.at > this.t) this.t = first.at;
    const due = [first];
    // Timers a few milliseconds apart (e.g. the timeouts of tasks started together, a step apart)
    // fire in one batch, as AWS processes them before reacting to the first.
    for (let next = this.timers.peek(); next && next.at <= this.t + TIMER_BATCH_MS; next = this.timers.peek()) {
      this.timers.pop();
      if (!next.cancelled) due.push(next);
    }
    for (const timer of due) timer.fn();
    if (this.timers.size > 0) this.wake();
  }
}

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  step(): void {}
  schedule(ms: number, fn: () => void): () => void {
    // setTimeout's limit is 2^31-1 ms (~24.8 days); longer waits re-arm.
    const MAX = 2 ** 31 - 1;
    const at = Date.now() + ms;
    let handle: ReturnType<typeof setTimeout>;
    const arm = () => {
      const left = at - Date.now();
      handle = setTimeout(left > MAX ? arm : fn, Math.max(0, Math.min(left, MAX)));
    };
    arm();
    return () => clearTimeout(handle);
  }
  track<T>(promise: Promise<T>): Promise<T> {
    return promise;
  }
}
