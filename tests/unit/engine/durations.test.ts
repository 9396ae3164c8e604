import { describe, expect, it } from "vitest";
import { runExecution } from "@/lib/engine";

const LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:work";
const definition = (timeoutSeconds?: number) =>
  JSON.stringify({ StartAt: "Work", States: { Work: { Type: "Task", Resource: LAMBDA, ...(timeoutSeconds ? { TimeoutSeconds: timeoutSeconds } : {}), End: true } } });

describe("task durations from the resolver", () => {
  it("records the outcome durationMs of clock time after the task started", async () => {
    const handle = await runExecution({ definition: definition(), startTime: 0, taskResolver: () => ({ output: { ok: true }, durationMs: 4_500 }) });
    const started = handle.events.find((e) => e.type === "LambdaFunctionStarted")!;
    const succeeded = handle.events.find((e) => e.type === "LambdaFunctionSucceeded")!;
    expect(succeeded.timestamp - started.timestamp).toBeGreaterThanOrEqual(4_500);
    expect(succeeded.timestamp - started.timestamp).toBeLessThan(4_600);
    expect(handle.status).toBe("SUCCEEDED");
  });

  it("delays failures too", async () => {
    const handle = await runExecution({ definition: definition(), startTime: 0, taskResolver: () => ({ error: "Boom", cause: "x", durationMs: 1_000 }) });
    const failed = handle.events.find((e) => e.type === "LambdaFunctionFailed")!;
    expect(failed.timestamp).toBeGreaterThanOrEqual(1_000);
    expect(handle.describe().error).toBe("Boom");
  });

  it("times the attempt out when it runs past TimeoutSeconds", async () => {
    const handle = await runExecution({ definition: definition(2), startTime: 0, taskResolver: () => ({ output: {}, durationMs: 5_000 }) });
    const timedOut = handle.events.find((e) => e.type === "LambdaFunctionTimedOut");
    expect(timedOut?.lambdaFunctionTimedOutEventDetails?.error).toBe("States.Timeout");
    expect(handle.events.some((e) => e.type === "LambdaFunctionSucceeded")).toBe(false);
  });

  it("answers at once without a duration", async () => {
    const handle = await runExecution({ definition: definition(), startTime: 0, taskResolver: () => ({ output: 1 }) });
    const last = handle.events.at(-1)!;
    expect(last.timestamp).toBeLessThan(1_000);
  });
});
