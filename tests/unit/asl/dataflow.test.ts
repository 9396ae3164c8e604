import { describe, expect, it } from "vitest";
import type { EvalEnv } from "@/lib/asl/context";
import {
  assertWithinDataLimit, batchItems, itemReaderRequest, planRetry, resultWriterRequest, exceedsToleratedFailure, failErrorCause, mapItemInputs, mapItems, mapMaxConcurrency, prepareInput,
  processCatch, processPassThrough, processResult, resolveTaskArguments, retryDelay, runPass, taskCredentials,
  taskTimeouts, toleratedFailure, waitUntil,
} from "@/lib/asl/dataflow";
import { StatesError } from "@/lib/asl/errors";
import type { FailState, MapState, ParallelState, PassState, TaskState, WaitState } from "@/lib/asl/model";
import type { Json } from "@/lib/history/types";

const context = { Execution: { Id: "arn:exec", Name: "e1" }, State: { Name: "S" } };
const jsonPath = (variables: Record<string, Json> = {}): EvalEnv => ({ context, variables });
const jsonata = (variables: Record<string, Json> = {}): EvalEnv => ({ context, variables, queryLanguage: "JSONata" });

async function failure(promise: Promise<unknown>): Promise<StatesError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error("expected a StatesError");
}

const task = (fields: Partial<TaskState> = {}): TaskState => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true, ...fields });
const pass = (fields: Partial<PassState> = {}): PassState => ({ Type: "Pass", End: true, ...fields });
const wait = (fields: Partial<WaitState>): WaitState => ({ Type: "Wait", End: true, ...fields });
const map = (fields: Partial<MapState>): MapState => ({
  Type: "Map", End: true, ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, ...fields,
});

describe("Pass state (JSONPath)", () => {
  it("outputs its input when it has no fields", async () => {
    expect((await runPass(pass(), { a: 1 }, jsonPath())).output).toEqual({ a: 1 });
  });

  it("outputs Result in place of the input", async () => {
    expect((await runPass(pass({ Result: { answer: 42 } }), { a: 1 }, jsonPath())).output).toEqual({ answer: 42 });
  });

  it("places Result at ResultPath inside the raw input (recorded: $.enigma.mystery)", async () => {
    const state = pass({ Result: { riddle: "?" }, ResultPath: "$.enigma.mystery" });
    expect((await runPass(state, { functionName: "f" }, jsonPath())).output).toEqual({ functionName: "f", enigma: { mystery: { riddle: "?" } } });
  });

  it("applies Parameters to the input after InputPath", async () => {
    const state = pass({ InputPath: "$.in", Parameters: { "v.$": "$.x" } });
    const run = await runPass(state, { in: { x: 5 } }, jsonPath());
    expect([run.afterInputPath, run.afterParameters, run.output]).toEqual([{ x: 5 }, { v: 5 }, { v: 5 }]);
  });

  it("passes a null input through the default paths (recorded)", async () => {
    expect((await runPass(pass(), null, jsonPath())).output).toBeNull();
  });

  it("fails Parameters that read a null input with AWS's message", async () => {
    const err = await failure(runPass(pass({ Parameters: { "Input.$": "$" } }), null, jsonPath()));
    expect([err.error, err.cause]).toEqual(["States.Runtime", "Unable to apply Path transformation to null or empty input."]);
  });

  it("lets Parameters that read only the context object run on a null input", async () => {
    expect((await runPass(pass({ Parameters: { "id.$": "$$.Execution.Id" } }), null, jsonPath())).output).toEqual({ id: "arn:exec" });
  });

  it("gives {} for InputPath null", async () => {
    expect((await runPass(pass({ InputPath: null }), { a: 1 }, jsonPath())).output).toEqual({});
  });

  it("gives {} for OutputPath null", async () => {
    expect((await runPass(pass({ OutputPath: null }), { a: 1 }, jsonPath())).output).toEqual({});
  });

  it("fails with AWS's message for a missing InputPath (recorded)", async () => {
    const err = await failure(runPass(pass({ InputPath: "$.NoSuchInputPath" }), { "int-literal": 0 }, jsonPath()));
    expect(err.cause).toBe("Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
  });

  it("assigns from the result with $ (recorded: Result {answer: 42}, theAnswer.$ = $.answer)", async () => {
    const state = pass({ Result: { answer: 42 }, Assign: { "theAnswer.$": "$.answer" } });
    expect((await runPass(state, {}, jsonPath())).assigned).toEqual({ theAnswer: 42 });
  });

  it("assigns from Parameters' output (recorded: result.$ = $.input -> PENDING)", async () => {
    const state = pass({ Parameters: { input: "PENDING" }, Assign: { "result.$": "$.input" } });
    expect((await runPass(state, {}, jsonPath())).assigned).toEqual({ result: "PENDING" });
  });

  it("keeps strings without .$ in Assign as literals (recorded)", async () => {
    const state = pass({ Assign: { p: "$.no.such.path", v: "$noSuchVar", f: "States.Format('{}', $x)" } });
    expect((await runPass(state, {}, jsonPath())).assigned).toEqual({ p: "$.no.such.path", v: "$noSuchVar", f: "States.Format('{}', $x)" });
  });

  it("evaluates OutputPath with the variables from before its own Assign (recorded evaluation order)", async () => {
    const state = pass({ InputPath: "$answer", ResultPath: "$.theAnswer", OutputPath: "$answer", Assign: { answer: "<omitted>" } });
    const run = await runPass(state, { theQuestion: "?" }, jsonPath({ answer: 42 }));
    expect([run.output, run.assigned]).toEqual([42, { answer: "<omitted>" }]);
  });
});

describe("Task state (JSONPath)", () => {
  it("sends Parameters evaluated against the input", async () => {
    const state = task({ Parameters: { "FunctionName.$": "$.fn", Payload: { "v.$": "$inputData" } } });
    expect(await resolveTaskArguments(state, { fn: "f" }, jsonPath({ inputData: { foo: "oof" } }))).toEqual({ FunctionName: "f", Payload: { v: { foo: "oof" } } });
  });

  it("sends the input after InputPath when there are no Parameters", async () => {
    expect((await prepareInput(task({ InputPath: "$.a" }), { a: [1] }, jsonPath())).effectiveInput).toEqual([1]);
  });

  it("applies ResultSelector, then ResultPath, then OutputPath", async () => {
    const state = task({ ResultSelector: { "p.$": "$.Payload" }, ResultPath: "$.r", OutputPath: "$.r.p" });
    const processed = await processResult(state, { in: 1 }, { Payload: "ok", StatusCode: 200 }, jsonPath());
    expect([processed.afterResultSelector, processed.afterResultPath, processed.output]).toEqual([{ p: "ok" }, { in: 1, r: { p: "ok" } }, "ok"]);
  });

  it("assigns from the result after ResultSelector (recorded: result.$ = $.Payload)", async () => {
    const state = task({ Assign: { "result.$": "$.Payload" }, OutputPath: "$.Payload" });
    const processed = await processResult(state, {}, { Payload: "HelloWorld!" }, jsonPath());
    expect([processed.assigned, processed.output]).toEqual([{ result: "HelloWorld!" }, "HelloWorld!"]);
  });

  it("discards the result with ResultPath null", async () => {
    expect((await processResult(task({ ResultPath: null }), { a: 1 }, { b: 2 }, jsonPath())).output).toEqual({ a: 1 });
  });

  it("fails with States.ReferencePathConflict when the input is a string", async () => {
    expect((await failure(processResult(task({ ResultPath: "$.r" }), "text", 1, jsonPath()))).error).toBe("States.ReferencePathConflict");
  });

  it("resolves TimeoutSecondsPath from a variable (recorded: $timeout = 300)", async () => {
    expect(await taskTimeouts(task({ TimeoutSecondsPath: "$timeout" }), {}, jsonPath({ timeout: 300 }))).toEqual({ timeoutSeconds: 300 });
  });

  it("fails with AWS's message for a missing TimeoutSecondsPath (recorded)", async () => {
    const err = await failure(taskTimeouts(task({ TimeoutSecondsPath: "$.NoSuchTimeoutSecondsPath" }), { "int-literal": 0 }, jsonPath()));
    expect([err.error, err.cause]).toEqual(["States.Runtime", "Invalid path '$.NoSuchTimeoutSecondsPath' : No results for path: $['NoSuchTimeoutSecondsPath']"]);
  });

  it("returns literal TimeoutSeconds and HeartbeatSeconds", async () => {
    expect(await taskTimeouts(task({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }), {}, jsonPath())).toEqual({ timeoutSeconds: 10, heartbeatSeconds: 5 });
  });

  it("evaluates Credentials as a payload template", async () => {
    const state = task({ Credentials: { "RoleArn.$": "$$.Execution.Id" } });
    expect(await taskCredentials(state, {}, jsonPath())).toEqual({ RoleArn: "arn:exec" });
  });
});

describe("JSONata states", () => {
  it("evaluates Arguments against $states.input (recorded)", async () => {
    const state = task({ Arguments: { Payload: { q: "{% $states.input.enigma %}", a: "{% $answer %}" } } });
    expect(await resolveTaskArguments(state, { enigma: "?" }, jsonata({ answer: 42 }))).toEqual({ Payload: { q: "?", a: 42 } });
  });

  it("fails with AWS's message when Arguments returns nothing (recorded)", async () => {
    const err = await failure(resolveTaskArguments(task({ Arguments: "{% $doesNotExist %}" }), {}, jsonata()));
    expect(err.cause).toBe("The JSONata expression '$doesNotExist' specified for the field 'Arguments' returned nothing (undefined).");
  });

  it("outputs the result when a Task has no Output", async () => {
    expect((await processResult(task(), { in: 1 }, { r: 1 }, jsonata())).output).toEqual({ r: 1 });
  });

  it("evaluates Output with $states.result", async () => {
    const state = task({ Output: { result: "{% $states.result.Payload %}" } });
    expect((await processResult(state, {}, { Payload: 7 }, jsonata())).output).toEqual({ result: 7 });
  });

  it("evaluates Assign and Output both with the variables from before the state (recorded)", async () => {
    const state = task({ Assign: { answer: "<omitted>", was: "{% $answer %}" }, Output: { answer: "{% $answer %}" } });
    const processed = await processResult(state, {}, {}, jsonata({ answer: 42 }));
    expect([processed.assigned, processed.output]).toEqual([{ answer: "<omitted>", was: 42 }, { answer: 42 }]);
  });

  it("outputs its input from a Pass without Output", async () => {
    expect((await runPass(pass(), { a: 1 }, jsonata())).output).toEqual({ a: 1 });
  });

  it("outputs a literal non-object Output (recorded: 0.1)", async () => {
    expect((await runPass(pass({ Output: 0.1 }), {}, jsonata())).output).toBe(0.1);
  });

  it("passes Wait input through and assigns (recorded: Assign foo = oof)", async () => {
    const result = await processPassThrough(wait({ Seconds: 0, Assign: { foo: "oof" } }), {}, jsonata());
    expect([result.output, result.assigned]).toEqual([{}, { foo: "oof" }]);
  });
});

describe("processCatch", () => {
  const errorOutput = { Error: "Exception", Cause: "boom" };

  it("replaces the input with the error output by default (JSONPath)", async () => {
    expect((await processCatch(task(), { ErrorEquals: ["States.ALL"], Next: "F" }, { a: 1 }, errorOutput, jsonPath())).output).toEqual(errorOutput);
  });

  it("places the error output at the catcher's ResultPath", async () => {
    const caught = await processCatch(task(), { ErrorEquals: ["States.ALL"], Next: "F", ResultPath: "$.error" }, { a: 1 }, errorOutput, jsonPath());
    expect(caught.output).toEqual({ a: 1, error: errorOutput });
  });

  it("does not apply the state's OutputPath (recorded)", async () => {
    const state = task({ OutputPath: "$.Payload" });
    expect((await processCatch(state, { ErrorEquals: ["States.ALL"], Next: "F" }, { Payload: 1 }, errorOutput, jsonPath())).output).toEqual(errorOutput);
  });

  it("gives the error output in JSONata when the catcher has no Output (recorded)", async () => {
    expect((await processCatch(task(), { ErrorEquals: ["States.ALL"], Next: "F" }, { a: 1 }, errorOutput, jsonata())).output).toEqual(errorOutput);
  });

  it("evaluates the catcher's Output and Assign with $states.errorOutput and $states.input (recorded)", async () => {
    const catcher = {
      ErrorEquals: ["States.ALL"], Next: "F",
      Output: { stateInput: "{% $states.input %}", stateError: "{% $states.errorOutput %}" },
      Assign: { errorVar: "{% $states.errorOutput %}" },
    };
    const caught = await processCatch(task(), catcher, { inputData: "dummy" }, errorOutput, jsonata());
    expect([caught.output, caught.assigned]).toEqual([{ stateInput: { inputData: "dummy" }, stateError: errorOutput }, { errorVar: errorOutput }]);
  });
});

describe("processCatch field names", () => {
  it("names a failing catcher Output field under the catcher's index", async () => {
    const catcher = { ErrorEquals: ["States.ALL"], Next: "F", Output: { v: "{% $nope %}" } };
    const state = task({ Catch: [{ ErrorEquals: ["X"], Next: "G" }, catcher] });
    expect((await failure(processCatch(state, catcher, {}, { Error: "E" }, jsonata()))).location).toBe("Catch[1]/Output/v");
  });
});

describe("waitUntil", () => {
  const now = Date.UTC(2024, 0, 1);

  it("waits Seconds from now", async () => {
    expect(await waitUntil(wait({ Seconds: 5 }), {}, jsonPath(), now)).toEqual({ until: now + 5000, seconds: 5 });
  });

  it("reads SecondsPath from a variable (recorded: $waitTime = 0)", async () => {
    expect((await waitUntil(wait({ SecondsPath: "$waitTime" }), {}, jsonPath({ waitTime: 0 }), now)).seconds).toBe(0);
  });

  it("fails for a missing SecondsPath with AWS's message (recorded)", async () => {
    const err = await failure(waitUntil(wait({ SecondsPath: "$.input.waitSeconds" }), {}, jsonPath(), now));
    expect([err.error, err.cause]).toEqual(["States.Runtime", "The SecondsPath parameter does not reference an input value: $.input.waitSeconds"]);
  });

  it("fails for a negative SecondsPath with AWS's message (recorded: -1)", async () => {
    const err = await failure(waitUntil(wait({ SecondsPath: "$.input.waitSeconds" }), { input: { waitSeconds: -1 } }, jsonPath(), now));
    expect(err.cause).toBe("The SecondsPath parameter references a negative value: $.input.waitSeconds == -1");
  });

  it("fails for a fractional SecondsPath with AWS's message (recorded: 1.5)", async () => {
    const err = await failure(waitUntil(wait({ SecondsPath: "$.input.waitSeconds" }), { input: { waitSeconds: 1.5 } }, jsonPath(), now));
    expect(err.cause).toBe("The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5");
  });

  it("reports a negative fraction as unparseable, not negative (recorded: -1.5)", async () => {
    const err = await failure(waitUntil(wait({ SecondsPath: "$.input.waitSeconds" }), { input: { waitSeconds: -1.5 } }, jsonPath(), now));
    expect(err.cause).toBe("The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == -1.5");
  });

  it("waits until a Timestamp with an offset", async () => {
    expect((await waitUntil(wait({ Timestamp: "2024-01-01T01:00:00+01:00" }), {}, jsonPath(), 0)).until).toBe(now);
  });

  it("fails for an invalid TimestampPath value with AWS's message (recorded)", async () => {
    const err = await failure(waitUntil(wait({ TimestampPath: "$.TimestampValue" }), { TimestampValue: "05-12-2016T21:29:29Z" }, jsonPath(), now));
    expect(err.cause).toBe(
      "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 05-12-2016T21:29:29Z",
    );
  });

  it("accepts nanoseconds in a JSONata Timestamp (recorded)", async () => {
    const target = await waitUntil(wait({ Timestamp: "{% $states.input.t %}" }), { t: "2016-03-05T21:29:29.243167252Z" }, jsonata(), now);
    expect(target.until).toBe(Date.UTC(2016, 2, 5, 21, 29, 29, 243));
  });

  it("fails for an invalid JSONata Timestamp with States.QueryEvaluationError (recorded: hour 25)", async () => {
    const err = await failure(waitUntil(wait({ Timestamp: "{% $states.input.t %}" }), { t: "2016-12-05T25:29:29Z" }, jsonata(), now));
    expect([err.error, err.cause, err.location]).toEqual([
      "States.QueryEvaluationError",
      "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T25:29:29Z",
      "Timestamp",
    ]);
  });

  it("rejects a timestamp without the T separator (recorded)", async () => {
    const err = await failure(waitUntil(wait({ Timestamp: "{% $states.input.t %}" }), { t: "2016-12-05 21:29:29Z" }, jsonata(), now));
    expect(err.error).toBe("States.QueryEvaluationError");
  });

  it("evaluates JSONata Seconds (recorded: 0)", async () => {
    expect((await waitUntil(wait({ Seconds: "{% $states.input.waitSeconds %}" }), { waitSeconds: 0 }, jsonata(), now)).until).toBe(now);
  });
});

describe("failErrorCause", () => {
  const fail = (fields: Partial<FailState>): FailState => ({ Type: "Fail", ...fields });

  it("returns literal Error and Cause", async () => {
    expect(await failErrorCause(fail({ Error: "E", Cause: "C" }), {}, jsonPath())).toEqual({ error: "E", cause: "C" });
  });

  it("reads ErrorPath and CausePath", async () => {
    expect(await failErrorCause(fail({ ErrorPath: "$.e", CausePath: "$.c" }), { e: "E", c: "C" }, jsonPath())).toEqual({ error: "E", cause: "C" });
  });

  it("evaluates an intrinsic in CausePath", async () => {
    expect((await failErrorCause(fail({ CausePath: "States.Format('x={}', $.x)" }), { x: 1 }, jsonPath())).cause).toBe("x=1");
  });

  it("fails with AWS's message for a missing ErrorPath (recorded)", async () => {
    const err = await failure(failErrorCause(fail({ ErrorPath: "$.ErrorX" }), { Error: "error-value" }, jsonPath()));
    expect([err.error, err.cause]).toEqual([
      "States.Runtime",
      "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{\"Error\":\"error-value\"}'",
    ]);
  });

  it("evaluates JSONata Error and Cause", async () => {
    expect(await failErrorCause(fail({ Error: "{% $states.input.e %}", Cause: "C" }), { e: "E" }, jsonata())).toEqual({ error: "E", cause: "C" });
  });

  it("returns neither when the Fail state has none", async () => {
    expect(await failErrorCause(fail({}), {}, jsonPath())).toEqual({});
  });
});

describe("Map state", () => {
  it("iterates the input when there is no ItemsPath", async () => {
    expect((await mapItems(map({}), [1, 2], jsonPath())).items).toEqual([1, 2]);
  });

  it("reads ItemsPath from a variable (recorded: $items)", async () => {
    expect((await mapItems(map({ ItemsPath: "$items" }), {}, jsonPath({ items: [1, 2, 3] }))).items).toEqual([1, 2, 3]);
  });

  it("evaluates JSONata Items with expressions inside the array (recorded)", async () => {
    expect((await mapItems(map({ Items: [1, "{% $number('2') %}", 3] }), {}, jsonata())).items).toEqual([1, 2, 3]);
  });

  it("fails when JSONata Items is not an array, with AWS's message (recorded)", async () => {
    const err = await failure(mapItems(map({ Items: "{% $ItemsVar %}" }), {}, jsonata({ ItemsVar: "string" })));
    expect(err.cause).toBe(
      "The JSONata expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"string\"",
    );
  });

  it("fails when a JSONata Map's input is not an array, with AWS's message (recorded)", async () => {
    const err = await failure(mapItems(map({}), { foo: "bar" }, jsonata()));
    expect([err.error, err.cause]).toEqual(["States.QueryEvaluationError", "Map state input must be an array but was: {\"foo\":\"bar\"}"]);
  });

  it("fails when ItemsPath selects a non-array, as in JSONata", async () => {
    const err = await failure(mapItems(map({ ItemsPath: "$.a" }), { a: { foo: "bar" } }, jsonPath()));
    expect([err.error, err.cause]).toEqual(["States.QueryEvaluationError", "Map state input must be an array but was: {\"foo\":\"bar\"}"]);
  });

  it("evaluates ItemSelector per item over the Map input with $$.Map.Item.Value (recorded)", async () => {
    const state = map({ ItemsPath: "$.content.values", ItemSelector: { "bucketName.$": "$.content.bucket", "value.$": "$$.Map.Item.Value" } });
    const input = { content: { bucket: "test-bucket", values: ["1", "2"] } };
    const { items } = await mapItems(state, input, jsonPath());
    expect(await mapItemInputs(state, input, items, jsonPath())).toEqual([{ bucketName: "test-bucket", value: "1" }, { bucketName: "test-bucket", value: "2" }]);
  });

  it("treats a Map's Parameters as the legacy ItemSelector", async () => {
    const state = map({ Parameters: { "i.$": "$$.Map.Item.Index" } });
    expect(await mapItemInputs(state, ["a", "b"], ["a", "b"], jsonPath())).toEqual([{ i: 0 }, { i: 1 }]);
  });

  it("evaluates a JSONata ItemSelector with $states.context.Map.Item", async () => {
    const state = map({ ItemSelector: { v: "{% $states.context.Map.Item.Value %}", i: "{% $states.context.Map.Item.Index %}" } });
    expect(await mapItemInputs(state, {}, ["x"], jsonata())).toEqual([{ v: "x", i: 0 }]);
  });

  it("batches items by MaxItemsPerBatch with BatchInput", async () => {
    const state = map({ ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { "k.$": "$.k" } } });
    expect(await batchItems(state, { k: 1 }, [1, 2, 3], jsonPath())).toEqual([{ Items: [1, 2], BatchInput: { k: 1 } }, { Items: [3], BatchInput: { k: 1 } }]);
  });

  it("reads MaxConcurrency from a JSONata expression (recorded)", async () => {
    expect(await mapMaxConcurrency(map({ MaxConcurrency: "{% $states.input.input_value %}" }), { input_value: 1 }, jsonata())).toBe(1);
  });

  it("defaults MaxConcurrency to 0 (no limit)", async () => {
    expect(await mapMaxConcurrency(map({}), [], jsonPath())).toBe(0);
  });

  it("accepts a MaxConcurrencyPath holding an integer string (recorded: \"1\")", async () => {
    expect(await mapMaxConcurrency(map({ MaxConcurrencyPath: "$maxConcurrency" }), [], jsonPath({ maxConcurrency: "1" }))).toBe(1);
  });

  it("fails for a non-integer MaxConcurrencyPath with AWS's message (recorded)", async () => {
    const err = await failure(mapMaxConcurrency(map({ MaxConcurrencyPath: "$.MaxConcurrencyValue" }), { MaxConcurrencyValue: "NoNumber" }, jsonPath()));
    expect(err.cause).toBe("The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.MaxConcurrencyValue");
  });

  it("accepts a fractional ToleratedFailurePercentagePath (recorded: 1.1)", async () => {
    expect(await toleratedFailure(map({ ToleratedFailurePercentagePath: "$.p" }), { p: 1.1 }, jsonPath())).toEqual({ percentage: 1.1 });
  });

  it("fails for a non-number ToleratedFailurePercentagePath with AWS's message (recorded)", async () => {
    const err = await failure(toleratedFailure(map({ ToleratedFailurePercentagePath: "$.ToleratedFailurePercentage" }), { ToleratedFailurePercentage: "NoNumber" }, jsonPath()));
    expect(err.cause).toBe("The ToleratedFailurePercentagePath field refers to value \"NoNumber\" which is not a valid float: $.ToleratedFailurePercentage");
  });

  it("fails for a percentage above 100 with AWS's message (recorded: 100.1)", async () => {
    const err = await failure(toleratedFailure(map({ ToleratedFailurePercentagePath: "$.p" }), { p: 100.1 }, jsonPath()));
    expect([err.error, err.cause]).toEqual(["States.Runtime", "ToleratedFailurePercentage must be between 0 and 100."]);
  });

  it("fails for a non-integer ToleratedFailureCountPath with AWS's message (recorded)", async () => {
    const err = await failure(toleratedFailure(map({ ToleratedFailureCountPath: "$.ToleratedFailureCount" }), { ToleratedFailureCount: "NoNumber" }, jsonPath()));
    expect(err.cause).toBe("The ToleratedFailureCountPath field refers to value \"NoNumber\" which is not a valid integer: $.ToleratedFailureCount");
  });

  it("evaluates a JSONata ToleratedFailureCount (recorded: $variable := 1)", async () => {
    expect(await toleratedFailure(map({ ToleratedFailureCount: "{% $variable := 1 %}" }), {}, jsonata())).toEqual({ count: 1 });
  });

  it("exceeds a tolerance of nothing on the first failure", () => {
    expect(exceedsToleratedFailure({}, 1, 10)).toBe(true);
  });

  it("does not exceed a count it equals", () => {
    expect(exceedsToleratedFailure({ count: 2 }, 2, 10)).toBe(false);
  });

  it("exceeds a percentage it goes over", () => {
    expect(exceedsToleratedFailure({ percentage: 10 }, 2, 10)).toBe(true);
  });
});

describe("Parallel state", () => {
  it("gives every branch the input after Parameters", async () => {
    const state: ParallelState = { Type: "Parallel", End: true, Branches: [], Parameters: { "x.$": "$.a" } };
    expect((await prepareInput(state, { a: 1 }, jsonPath())).effectiveInput).toEqual({ x: 1 });
  });
});

describe("retryDelay", () => {
  it("waits IntervalSeconds before the first retry", () => {
    expect(retryDelay({ ErrorEquals: ["A"], IntervalSeconds: 3, BackoffRate: 1.5 }, 1)).toBe(3);
  });

  it("multiplies by BackoffRate for each later retry (AWS's example: 3 s, 1.5 -> 4.5 s)", () => {
    expect(retryDelay({ ErrorEquals: ["A"], IntervalSeconds: 3, BackoffRate: 1.5 }, 2)).toBe(4.5);
  });

  it("defaults to 1 s and a backoff of 2", () => {
    expect(retryDelay({ ErrorEquals: ["A"] }, 3)).toBe(4);
  });

  it("caps the delay at MaxDelaySeconds", () => {
    expect(retryDelay({ ErrorEquals: ["A"], IntervalSeconds: 10, BackoffRate: 10, MaxDelaySeconds: 30 }, 3)).toBe(30);
  });

  it("draws a FULL jitter from the given randomness after capping", () => {
    expect(retryDelay({ ErrorEquals: ["A"], IntervalSeconds: 10, MaxDelaySeconds: 8, JitterStrategy: "FULL" }, 1, () => 0.5)).toBe(4);
  });
});

describe("assertWithinDataLimit", () => {
  it("accepts a payload of exactly 256 KiB", () => {
    expect(() => assertWithinDataLimit("a".repeat(262_142), "S")).not.toThrow();
  });

  it("fails with States.DataLimitExceeded and AWS's message above 256 KiB (recorded)", () => {
    try {
      assertWithinDataLimit({ Arg1: "a".repeat(262_144) }, "State_1");
      throw new Error("expected a StatesError");
    } catch (e) {
      const err = e as StatesError;
      expect([err.error, err.cause]).toEqual([
        "States.DataLimitExceeded",
        "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit.",
      ]);
    }
  });
});

describe("itemReaderRequest", () => {
  const reader = (config: Record<string, Json>) => map({
    ItemReader: { Resource: "arn:aws:states:::s3:getObject", Parameters: { "Bucket.$": "$.Bucket", "Key.$": "$.Key" }, ReaderConfig: { InputType: "CSV", ...config } },
  });

  it("evaluates the reader's Parameters against the Map input", async () => {
    const request = await itemReaderRequest(reader({}), { Bucket: "b", Key: "k" }, jsonPath());
    expect(request?.arguments).toEqual({ Bucket: "b", Key: "k" });
  });

  it("treats MaxItemsPath 0 as no limit (recorded)", async () => {
    expect((await itemReaderRequest(reader({ MaxItemsPath: "$.MaxItems" }), { Bucket: "b", Key: "k", MaxItems: 0 }, jsonPath()))?.maxItems).toBeUndefined();
  });

  it("fails a negative MaxItemsPath with States.ItemReaderFailed and AWS's message (recorded)", async () => {
    const err = await failure(itemReaderRequest(reader({ MaxItemsPath: "$.MaxItems" }), { Bucket: "b", Key: "k", MaxItems: -1 }, jsonPath()));
    expect([err.error, err.cause]).toEqual(["States.ItemReaderFailed", "field MaxItems must be positive"]);
  });

  it("returns undefined without an ItemReader", async () => {
    expect(await itemReaderRequest(map({}), [], jsonPath())).toBeUndefined();
  });
});

describe("planRetry", () => {
  const retry = [{ ErrorEquals: ["ErrorA", "ErrorB"], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 }, { ErrorEquals: ["ErrorC"], IntervalSeconds: 5 }];

  it("retries with the first matching retrier (AWS's example: ErrorA waits 1 s)", () => {
    expect(planRetry(retry, "ErrorA", [0, 0])).toEqual({ retrierIndex: 0, retryNumber: 1, delaySeconds: 1 });
  });

  it("counts retries per retrier across errors (AWS's example: ErrorB after ErrorA waits 2 s)", () => {
    expect(planRetry(retry, "ErrorB", [1, 0])?.delaySeconds).toBe(2);
  });

  it("gives up when the matching retrier is exhausted, without trying later ones", () => {
    expect(planRetry(retry, "ErrorB", [2, 0])).toBeNull();
  });

  it("gives up when no retrier matches", () => {
    expect(planRetry(retry, "Other", [0, 0])).toBeNull();
  });

  it("never retries States.Runtime", () => {
    expect(planRetry([{ ErrorEquals: ["States.ALL"] }], "States.Runtime", [0])).toBeNull();
  });

  it("never retries when MaxAttempts is 0", () => {
    expect(planRetry([{ ErrorEquals: ["States.ALL"], MaxAttempts: 0 }], "X", [0])).toBeNull();
  });
});

describe("more Map fields", () => {
  it("starts a new batch when MaxInputBytesPerBatch would be exceeded", async () => {
    const state = map({ ItemBatcher: { MaxInputBytesPerBatch: 25 } });
    expect(await batchItems(state, {}, ["aaaa", "bbbb", "cccc"], jsonPath())).toEqual([{ Items: ["aaaa", "bbbb"] }, { Items: ["cccc"] }]);
  });

  it("evaluates the ResultWriter's Parameters against the Map input", async () => {
    const state = map({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "b", "Prefix.$": "$.p" } } });
    expect(await resultWriterRequest(state, { p: "out/" }, jsonPath())).toEqual({ resource: "arn:aws:states:::s3:putObject", arguments: { Bucket: "b", Prefix: "out/" } });
  });

  it("fails a negative JSONata MaxConcurrency with States.QueryEvaluationError", async () => {
    expect((await failure(mapMaxConcurrency(map({ MaxConcurrency: "{% -1 %}" }), {}, jsonata()))).error).toBe("States.QueryEvaluationError");
  });
});

describe("more state fields", () => {
  it("applies a Succeed state's OutputPath", async () => {
    expect((await processPassThrough({ Type: "Succeed", OutputPath: "$.a" }, { a: 1 }, jsonPath())).output).toBe(1);
  });

  it("evaluates JSONata Credentials (recorded: RoleArn from $states.input)", async () => {
    const state = task({ Credentials: { RoleArn: "{% $states.input.CredentialsRoleArn %}" } });
    expect(await taskCredentials(state, { CredentialsRoleArn: "arn:role" }, jsonata())).toEqual({ RoleArn: "arn:role" });
  });

  it("evaluates JSONata TimeoutSeconds (recorded: $variable := 1)", async () => {
    expect(await taskTimeouts(task({ TimeoutSeconds: "{% $variable := 1 %}" }), {}, jsonata())).toEqual({ timeoutSeconds: 1 });
  });
});
