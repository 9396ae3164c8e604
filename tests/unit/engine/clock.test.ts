import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../lib/engine/clock";

describe("VirtualClock", () => {
  it("fires timers in time order and jumps virtual time when idle", async () => {
    const clock = new VirtualClock(1000);
    const fired: Array<[string, number]> = [];
    await new Promise<void>((resolve) => {
      clock.schedule(3_600_000, () => {
        fired.push(["hour", clock.now()]);
        resolve();
      });
      clock.schedule(5, () => fired.push(["5ms", clock.now()]));
    });
    expect(fired).toEqual([["5ms", 1005], ["hour", 3_601_000]]);
  });

  it("does not advance while tracked work is in flight", async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    clock.schedule(10_000, () => (fired = true));
    let release!: () => void;
    void clock.track(new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toBe(false);
    release();
    await new Promise((r) => setTimeout(r, 5));
    expect(fired).toBe(true);
    expect(clock.now()).toBe(10_000);
  });

  it("cancelled timers never fire", async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const cancel = clock.schedule(10, () => (fired = true));
    cancel();
    await new Promise((r) => setTimeout(r, 5));
    expect(fired).toBe(false);
  });
});
