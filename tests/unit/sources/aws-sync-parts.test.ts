import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "@/lib/history/types";
import { isRetryable, withBackoff } from "@/lib/sources/aws/backoff";
import { DefinitionResolver } from "@/lib/sources/aws/definitions";
import { Limiter } from "@/lib/sources/aws/limiter";
import { childExecutionArns, mapRunChildType } from "@/lib/sources/aws/children";

const error = (name: string, status?: number) => Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe("isRetryable", () => {
  it("retries throttling, server faults and failures with no answer", () => {
    expect(isRetryable(error("ThrottlingException", 400))).toBe(true);
    expect(isRetryable(error("InternalFailure", 500))).toBe(true);
    expect(isRetryable(error("SyntaxError"))).toBe(true);
  });

  it("does not retry a request AWS rejected", () => {
    expect(isRetryable(error("ExecutionDoesNotExist", 400))).toBe(false);
    expect(isRetryable(error("AccessDeniedException", 400))).toBe(false);
  });

  it("does not retry a call that was aborted", () => {
    expect(isRetryable(error("AbortError"))).toBe(false);
  });
});

describe("withBackoff", () => {
  it("retries until the call succeeds, with growing delays", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withBackoff(async () => {
      if (++calls < 4) throw error("ThrottlingException", 400);
      return "ok";
    }, { random: () => 0.999, baseMs: 100, sleep: async (ms) => void delays.push(ms) });
    expect(result).toBe("ok");
    expect(delays).toEqual([99, 199, 399]);
  });

  it("gives up after the last attempt with the last error", async () => {
    await expect(withBackoff(async () => { throw error("InternalFailure", 500); }, { attempts: 2, sleep: async () => undefined })).rejects.toMatchObject({ name: "InternalFailure" });
  });
});

describe("Limiter", () => {
  it("never runs more than its size at once", async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 20 }, (_, i) => limiter.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, i % 3));
      running--;
    })));
    expect(peak).toBe(3);
  });
});

describe("DefinitionResolver", () => {
  it("asks once per revision: executions started between a revision's update and a known execution ran it", async () => {
    // Revision 1 from t=0, revision 2 from t=100. Executions are resolved newest first.
    const startOf: Record<string, number> = { e5: 150, e4: 120, e3: 90, e2: 50, e1: 10 };
    const asked: string[] = [];
    const resolver = new DefinitionResolver(async (arn) => {
      asked.push(arn);
      return startOf[arn] >= 100 ? { definition: "v2", updateDate: 100, revisionId: "r2" } : { definition: "v1", updateDate: 0, revisionId: "r1" };
    });
    const got: string[] = [];
    for (const arn of ["e5", "e4", "e3", "e2", "e1"]) got.push((await resolver.forExecution({ executionArn: arn, stateMachineArn: "sm", startDate: startOf[arn] })).definition);
    expect(got).toEqual(["v2", "v2", "v1", "v1", "v1"]);
    expect(asked).toEqual(["e5", "e3"]);
  });

  it("asks once per Map Run for its children", async () => {
    let calls = 0;
    const resolver = new DefinitionResolver(async () => ({ definition: `child-${++calls}` }));
    const all = await Promise.all([1, 2, 3].map((i) => resolver.forExecution({ executionArn: `c${i}`, stateMachineArn: "sm/fan", startDate: i, mapRunArn: "run" })));
    expect(all.map((a) => a.definition)).toEqual(["child-1", "child-1", "child-1"]);
  });
});

describe("childExecutionArns", () => {
  it("follows executions started with states:startExecution", () => {
    const child = "arn:aws:states:us-east-1:123456789012:execution:child:abc";
    const events = [
      { id: 5, previousEventId: 4, timestamp: 1, type: "TaskSubmitted", taskSubmittedEventDetails: { resourceType: "states", resource: "startExecution.sync:2", output: JSON.stringify({ ExecutionArn: child, StartDate: "x" }) } },
      { id: 6, previousEventId: 5, timestamp: 2, type: "TaskSucceeded", taskSucceededEventDetails: { resourceType: "lambda", resource: "invoke", output: JSON.stringify({ ExecutionArn: "not-followed" }) } },
    ] as HistoryEvent[];
    expect(childExecutionArns(events)).toEqual([child]);
  });
});

describe("mapRunChildType", () => {
  it("reads the child execution type of the Distributed Map a Map Run's label names", () => {
    const definition = JSON.stringify({
      StartAt: "A",
      States: {
        A: { Type: "Map", Label: "fast", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "X", States: { X: { Type: "Pass", End: true } } }, Next: "B" },
        B: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Y", States: { Y: { Type: "Pass", End: true } } }, End: true },
      },
    });
    expect(mapRunChildType(definition, "arn:aws:states:us-east-1:1:stateMachine:m/fast")).toBe("EXPRESS");
    expect(mapRunChildType(definition, "arn:aws:states:us-east-1:1:stateMachine:m/B")).toBe("STANDARD");
  });
});
