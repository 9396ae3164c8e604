import { describe, expect, it } from "vitest";
import type { TaskResolver } from "../../../lib/engine/types";
import { details, find, run, shape, types } from "./helpers";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f";

describe("inline Map", () => {
  const map = (extra: Record<string, unknown> = {}, inner: Record<string, unknown> = { I: { Type: "Pass", End: true } }, start = "I") =>
    ({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: start, States: inner }, End: true, ...extra } } }) as never;

  it("sequential iterations chain through the last inner event", async () => {
    const h = await run(map({ MaxConcurrency: 1 }), [1, 2]);
    expect(shape(h.events)).toEqual([
      "1<-0 ExecutionStarted", "2<-0 MapStateEntered", "3<-2 MapStateStarted",
      "4<-3 MapIterationStarted", "5<-4 PassStateEntered", "6<-5 PassStateExited", "7<-6 MapIterationSucceeded",
      "8<-6 MapIterationStarted", "9<-8 PassStateEntered", "10<-9 PassStateExited", "11<-10 MapIterationSucceeded",
      "12<-11 MapStateSucceeded", "13<-11 MapStateExited", "14<-13 ExecutionSucceeded",
    ]);
    expect(details(find(h.events, "MapStateStarted"))).toEqual({ length: 2 });
    expect(details(find(h.events, "MapIterationStarted", 1))).toEqual({ name: "M", index: 1 });
    expect((await h.result()).output).toEqual([1, 2]);
  });

  it("an empty array succeeds right after MapStateStarted", async () => {
    const h = await run(map(), []);
    expect(shape(h.events)).toEqual(["1<-0 ExecutionStarted", "2<-0 MapStateEntered", "3<-2 MapStateStarted", "4<-3 MapStateSucceeded", "5<-3 MapStateExited", "6<-5 ExecutionSucceeded"]);
  });

  it("ItemSelector sees $$.Map.Item.Index and Value; ItemsPath picks the array", async () => {
    const h = await run(map({ ItemsPath: "$.xs", ItemSelector: { "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value" } }), { xs: ["a", "b"] });
    expect((await h.result()).output).toEqual([{ i: 0, v: "a" }, { i: 1, v: "b" }]);
  });

  it("MaxConcurrency bounds the iterations running at once", async () => {
    let running = 0;
    let peak = 0;
    const resolver: TaskResolver = () => {
      running++;
      peak = Math.max(peak, running);
      return new Promise((r) => setTimeout(() => (running--, r({ output: 1 })), 1));
    };
    await run(map({ MaxConcurrency: 3 }, { T: { Type: "Task", Resource: LAMBDA, End: true } }, "T"), [1, 2, 3, 4, 5, 6, 7], { taskResolver: resolver });
    expect(peak).toBe(3);
  });

  it("a failing iteration fails the Map; running siblings are aborted", async () => {
    const resolver: TaskResolver = (inv) => (inv.input === 0 ? { error: "Boom" } : new Promise(() => {}));
    const h = await run(map({}, { T: { Type: "Task", Resource: LAMBDA, End: true } }, "T"), [0, 1], { taskResolver: resolver });
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "Boom" });
    const failed = find(h.events, "LambdaFunctionFailed")?.id;
    expect(types(h.events)).toEqual(expect.arrayContaining(["MapIterationFailed", "TaskStateAborted", "MapIterationAborted", "MapStateFailed"]));
    for (const t of ["MapIterationFailed", "TaskStateAborted", "MapIterationAborted", "MapStateFailed"]) expect(find(h.events, t)?.previousEventId).toBe(failed);
  });

  it("a caught Map failure exits pointing at MapStateFailed", async () => {
    const h = await run({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "F", States: { F: { Type: "Fail", Error: "E", Cause: "C" } } }, Catch: [{ ErrorEquals: ["E"], Next: "H" }], End: true }, H: { Type: "Pass", End: true } } }, [1]);
    const failedId = find(h.events, "MapStateFailed")?.id;
    expect(find(h.events, "MapStateExited")?.previousEventId).toBe(failedId);
    expect((await h.result()).output).toEqual({ Error: "E", Cause: "C" });
  });

  it("a retried Map re-emits MapStateStarted without a new Entered", async () => {
    let first = true;
    const resolver: TaskResolver = () => (first ? ((first = false), { error: "E" }) : { output: 1 });
    const h = await run({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } }, Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 1 }], End: true } } }, [1], { taskResolver: resolver });
    expect(types(h.events).filter((t) => t === "MapStateStarted")).toHaveLength(2);
    expect(types(h.events).filter((t) => t === "MapStateEntered")).toHaveLength(1);
    expect((await h.result()).status).toBe("SUCCEEDED");
  });

  it("iterations read outer variables but their assignments stay inside", async () => {
    const h = await run({ StartAt: "A", States: {
      A: { Type: "Pass", Assign: { outer: 1 }, Next: "M" },
      M: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", Assign: { outer: 99 }, Parameters: { "o.$": "$outer" }, End: true } } }, Next: "B" },
      B: { Type: "Pass", Parameters: { "o.$": "$outer" }, End: true },
    } }, [1]);
    expect((await h.result()).output).toEqual({ o: 1 });
  });
});

describe("Parallel", () => {
  it("runs branches and outputs their results in branch order", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Parallel", Branches: [
      { StartAt: "A", States: { A: { Type: "Pass", Result: "a", End: true } } },
      { StartAt: "B", States: { B: { Type: "Wait", Seconds: 5, Next: "B2" }, B2: { Type: "Pass", Result: "b", End: true } } },
    ], End: true } } });
    expect((await h.result()).output).toEqual(["a", "b"]);
    expect(find(h.events, "PassStateEntered")?.previousEventId).toBe(find(h.events, "ParallelStateStarted")?.id);
    expect(types(h.events)).not.toContain("ParallelStateSucceeded");
  });

  it("a failing branch aborts its siblings and fails with the branch's error", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Parallel", Branches: [
      { StartAt: "W", States: { W: { Type: "Wait", Seconds: 100, End: true } } },
      { StartAt: "F", States: { F: { Type: "Fail", Error: "Bad", Cause: "c" } } },
    ], End: true } } });
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "Bad", cause: "c" });
    const failId = find(h.events, "FailStateEntered")?.id;
    expect(find(h.events, "WaitStateAborted")?.previousEventId).toBe(failId);
    expect(find(h.events, "ParallelStateFailed")?.previousEventId).toBe(failId);
  });

  it("a sibling's failure aborts a running Map inside a branch: iterations, then the Map", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Parallel", Branches: [
      { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "W", States: { W: { Type: "Wait", Seconds: 100, End: true } } }, End: true } } },
      { StartAt: "W2", States: { W2: { Type: "Wait", Seconds: 1, Next: "F" }, F: { Type: "Fail", Error: "Bad" } } },
    ], End: true } } }, [1, 2]);
    expect((await h.result()).error).toBe("Bad");
    const failId = find(h.events, "FailStateEntered")?.id;
    const aborted = h.events.filter((e) => e.previousEventId === failId).map((e) => e.type);
    expect(aborted).toEqual(["WaitStateAborted", "MapIterationAborted", "WaitStateAborted", "MapIterationAborted", "MapStateAborted", "ParallelStateFailed"]);
  });

  it("Catch on a Parallel exits pointing at ParallelStateFailed", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Parallel", Branches: [{ StartAt: "F", States: { F: { Type: "Fail", Error: "Bad" } } }], Catch: [{ ErrorEquals: ["States.ALL"], Next: "H" }], End: true }, H: { Type: "Pass", End: true } } });
    expect(shape(h.events).slice(3, 7)).toEqual(["4<-3 FailStateEntered", "5<-4 ParallelStateFailed", "6<-5 ParallelStateExited", "7<-6 PassStateEntered"]);
  });

  it("a retried Parallel re-emits ParallelStateStarted", async () => {
    let n = 0;
    const h = await run({ StartAt: "P", States: { P: { Type: "Parallel", Branches: [{ StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } }], Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 1 }], End: true } } }, {}, { taskResolver: () => (n++ === 0 ? { error: "E" } : { output: 1 }) });
    expect(types(h.events).filter((t) => t === "ParallelStateStarted")).toHaveLength(2);
    expect((await h.result()).output).toEqual([1]);
  });
});

describe("Distributed Map", () => {
  const dmap = (extra: Record<string, unknown> = {}, inner: Record<string, unknown> = { I: { Type: "Pass", End: true } }, start = "I") =>
    ({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: start, States: inner }, End: true, ...extra } } }) as never;

  it("writes a map run in the parent and child executions with their own histories", async () => {
    const h = await run(dmap(), [1, 2, 3]);
    expect(shape(h.events)).toEqual(["1<-0 ExecutionStarted", "2<-0 MapStateEntered", "3<-2 MapStateStarted", "4<-3 MapRunStarted", "5<-4 MapRunSucceeded", "6<-5 MapStateSucceeded", "7<-5 MapStateExited", "8<-7 ExecutionSucceeded"]);
    expect(h.mapRuns).toHaveLength(1);
    expect(h.mapRuns[0].executions).toHaveLength(3);
    expect(types(h.mapRuns[0].executions[0].events)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    expect(h.mapRuns[0].executions[0].describe().mapRunArn).toBe(details(find(h.events, "MapRunStarted")).mapRunArn);
    expect((await h.result()).output).toEqual([1, 2, 3]);
  });

  it("fails with States.ExceedToleratedFailureThreshold past the tolerated failures", async () => {
    const h = await run(dmap({ ToleratedFailureCount: 1 }, { C: { Type: "Choice", Choices: [{ Variable: "$", NumericLessThan: 2, Next: "F" }], Default: "OK" }, F: { Type: "Fail", Error: "X" }, OK: { Type: "Succeed" } }, "C"), [0, 1, 2]);
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
    expect(types(h.events)).toContain("MapRunFailed");
  });

  it("a failure past the tolerance stops the children still running", async () => {
    const h = await run(dmap({}, { C: { Type: "Choice", Choices: [{ Variable: "$", NumericEquals: 0, Next: "F" }], Default: "W" }, F: { Type: "Fail", Error: "X" }, W: { Type: "Wait", Seconds: 100, End: true } }, "C"), [0, 1, 2]);
    expect((await h.result()).error).toBe("States.ExceedToleratedFailureThreshold");
    expect(h.mapRuns[0].itemCounts).toMatchObject({ failed: 1, aborted: 2 });
    expect(h.mapRuns[0].executions.map((c) => c.status)).toEqual(["FAILED", "ABORTED", "ABORTED"]);
  });

  it("tolerates failures within ToleratedFailurePercentage", async () => {
    const h = await run(dmap({ ToleratedFailurePercentage: 50 }, { C: { Type: "Choice", Choices: [{ Variable: "$", NumericEquals: 0, Next: "F" }], Default: "OK" }, F: { Type: "Fail", Error: "X" }, OK: { Type: "Succeed" } }, "C"), [0, 1, 2]);
    expect((await h.result()).status).toBe("SUCCEEDED");
  });

  it("reads JSON, JSONL and CSV items through the item source", async () => {
    const files: Record<string, string> = { "a.json": "[1,2]", "b.jsonl": '{"x":1}\n{"x":2}\n', "c.csv": "h1,h2\n1,2\n3,4\n" };
    const itemSource = { read: (_r: string, p: unknown) => files[(p as { Key: string }).Key] };
    const reader = (Key: string, InputType: string) => ({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType }, Parameters: { Bucket: "b", Key } } });
    expect((await (await run(dmap(reader("a.json", "JSON")), {}, { itemSource })).result()).output).toEqual([1, 2]);
    expect((await (await run(dmap(reader("b.jsonl", "JSONL")), {}, { itemSource })).result()).output).toEqual([{ x: 1 }, { x: 2 }]);
    expect((await (await run(dmap(reader("c.csv", "CSV")), {}, { itemSource })).result()).output).toEqual([{ h1: "1", h2: "2" }, { h1: "3", h2: "4" }]);
  });

  it("ItemBatcher groups items into child inputs", async () => {
    const h = await run(dmap({ ItemBatcher: { MaxItemsPerBatch: 2 } }), [1, 2, 3]);
    expect((await h.result()).output).toEqual([{ Items: [1, 2] }, { Items: [3] }]);
  });

  it("ResultWriter hands the result files to the sink and outputs their location", async () => {
    const written: string[] = [];
    const h = await run(dmap({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "res" } } }), [1], { resultSink: (fs) => void written.push(...fs.map((f) => f.key)) });
    const out = (await h.result()).output as { ResultWriterDetails: { Bucket: string; Key: string } };
    expect(out.ResultWriterDetails.Bucket).toBe("out");
    expect(written).toContain(out.ResultWriterDetails.Key);
  });
});

// Shapes from executions recorded on AWS (a Map of four Lambda tasks that all time out; a
// Parallel whose only branch's callback task fails).
describe("concurrent threads as AWS records them", () => {
  const SERVICE = "arn:aws:states:::lambda:invoke";
  const timingOutMap = {
    StartAt: "M",
    States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "T", States: { T: { Type: "Task", Resource: SERVICE, TimeoutSeconds: 5, End: true } } }, End: true } },
  } as never;
  const timeoutResolver: TaskResolver = () => ({ error: "States.Timeout" });

  it("each iteration enters and schedules its task back to back; the tasks start once all are scheduled", async () => {
    const h = await run(timingOutMap, [1, 2, 3], { taskResolver: timeoutResolver });
    expect(shape(h.events).slice(0, 16)).toEqual([
      "1<-0 ExecutionStarted", "2<-0 MapStateEntered", "3<-2 MapStateStarted",
      "4<-3 MapIterationStarted", "5<-3 MapIterationStarted", "6<-3 MapIterationStarted",
      "7<-4 TaskStateEntered", "8<-7 TaskScheduled", "9<-5 TaskStateEntered", "10<-9 TaskScheduled", "11<-6 TaskStateEntered", "12<-11 TaskScheduled",
      "13<-8 TaskStarted", "14<-10 TaskStarted", "15<-12 TaskStarted",
      "16<-13 TaskTimedOut",
    ]);
  });

  it("a mocked timeout is recorded when TimeoutSeconds runs out, and tasks timing out together are all recorded before the failure", async () => {
    const h = await run(timingOutMap, [1, 2, 3], { taskResolver: timeoutResolver });
    const started = find(h.events, "TaskStarted");
    const timedOut = h.events.filter((e) => e.type === "TaskTimedOut");
    expect(timedOut).toHaveLength(3);
    expect(timedOut[0].timestamp - (started?.timestamp ?? 0)).toBeGreaterThanOrEqual(5000);
    expect(timedOut[0].timestamp - (started?.timestamp ?? 0)).toBeLessThan(5100);
    const first = timedOut[0].id;
    expect(timedOut.map((e) => e.id)).toEqual([first, first + 1, first + 2]);
    // The first timeout fails its iteration; the others are aborted, each with its open task,
    // and the failing iteration's own task is recorded as aborted too.
    const n = first + 2;
    expect(shape(h.events).slice(n)).toEqual([
      `${n + 1}<-${first} MapIterationFailed`,
      `${n + 2}<-${first} TaskStateAborted`, `${n + 3}<-${first} MapIterationAborted`,
      `${n + 4}<-${first} TaskStateAborted`, `${n + 5}<-${first} MapIterationAborted`,
      `${n + 6}<-${first} TaskStateAborted`,
      `${n + 7}<-${first} MapStateFailed`, `${n + 8}<-${n + 7} ExecutionFailed`,
    ]);
    expect(details(find(h.events, "MapIterationFailed"))).toEqual({ name: "M", index: 0 });
    expect(details(find(h.events, "MapIterationAborted", 1))).toEqual({ name: "M", index: 2 });
  });

  it("a mocked timeout keeps its cause", async () => {
    const h = await run(timingOutMap, [1], { taskResolver: () => ({ error: "States.Timeout", cause: "slow" }) });
    expect(details(find(h.events, "TaskTimedOut"))).toMatchObject({ error: "States.Timeout", cause: "slow" });
  });

  it("a task failing in a Parallel branch is recorded as aborted before ParallelStateFailed", async () => {
    const h = await run({
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "T", States: { T: { Type: "Task", Resource: SERVICE, End: true } } }], Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "H" }], End: true },
        H: { Type: "Pass", End: true },
      },
    } as never, {}, { taskResolver: () => ({ error: "Boom", cause: "c" }) });
    const failed = find(h.events, "TaskFailed")?.id as number;
    expect(shape(h.events).slice(failed - 1, failed + 3)).toEqual([
      `${failed}<-${failed - 1} TaskFailed`, `${failed + 1}<-${failed} TaskStateAborted`, `${failed + 2}<-${failed} ParallelStateFailed`, `${failed + 3}<-${failed + 2} ParallelStateExited`,
    ]);
    expect((await h.result()).output).toEqual({ err: { Error: "Boom", Cause: "c" } });
  });

  it("a Fail state ending a branch has no aborted event", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Parallel", Branches: [{ StartAt: "F", States: { F: { Type: "Fail", Error: "E" } } }], End: true } } } as never);
    expect(types(h.events)).toEqual(["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted", "FailStateEntered", "ParallelStateFailed", "ExecutionFailed"]);
  });

  it("a task at the top level that fails has no aborted event", async () => {
    const h = await run({ StartAt: "T", States: { T: { Type: "Task", Resource: SERVICE, End: true } } } as never, {}, { taskResolver: () => ({ error: "Boom" }) });
    expect(types(h.events)).not.toContain("TaskStateAborted");
  });
});
