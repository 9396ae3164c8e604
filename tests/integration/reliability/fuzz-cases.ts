// Mutated histories and definitions for the fuzz test. Deterministic from a seed, so a failure
// names the seed and item that reproduce it. Runs in a worker thread (fuzz.test.ts) so a hang
// can be stopped.
import { parentPort, workerData } from "node:worker_threads";
import { validateDefinition } from "@/lib/asl/validate";
import { InvalidDefinitionError, InvalidExecutionInputError, runExecution, type ExecutionHandle, type TaskOutcome, type TaskResolver } from "@/lib/engine";
import type { Json } from "@/lib/history/types";
import { HistoryParseError, parseHistoryDocument } from "@/lib/history/parse";
import { ingestExecution, openStore } from "@/lib/store";
import { catalogDefinition, demoDocuments, nightlyDefinition, ordersDefinition, pollerDefinition, thumbnailerDefinition } from "../../fixtures/demo-histories";
import { ALL_FIXTURES } from "../../fixtures/histories";
import { seededRandom } from "@/lib/sources/demo/generate";

export interface FuzzJob {
  kind: "history" | "definition" | "engine";
  seed: number;
  count: number;
  dbUrl?: string;
  /** Engine only: run just this item (the ones before are generated, not run), to reproduce it. */
  only?: number;
}
export type FuzzMessage =
  | { type: "progress"; i: number; label: string }
  | { type: "crash"; i: number; label: string; error: string }
  | { type: "done"; accepted: number; rejected: number; slowest: { label: string; ms: number }; kept: { expected: number; found: number; wrongCounts: string[] }; samples: string[]; crashes: string[]; statuses?: Record<string, number> };

export type J = unknown;
export type Obj = Record<string, J>;
export const BIG = "x".repeat(10 * 1024 * 1024);

/** The same seeded generator as the demo data (mulberry32). */
export const rng = seededRandom;

export const clone = <T>(v: T): T => structuredClone(v);
/** The JSON text of deep(depth, leaf, asObject), built without JSON.stringify (whose recursion overflows the stack first). */
export function deepJson(depth: number, leaf: J = 1, asObject = false): string {
  return (asObject ? '{"a":' : "[").repeat(depth) + JSON.stringify(leaf) + (asObject ? "}" : "]").repeat(depth);
}
export function deep(depth: number, leaf: J = 1, asObject = false): J {
  let v: J = leaf;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}
export const WRONG: J[] = [null, true, false, 0, -1, 1.5, "", "x", "12abc", [], {}, [1, 2], { a: 1 }, 1e308, -1e308, 2 ** 53 + 1, 1e21];
export const HUGE: J[] = [1e308, -1e308, 2 ** 53 + 1, 2 ** 31, 2 ** 63, 1e21, Number.MAX_SAFE_INTEGER, -0, 5e-324, "99999999999999999999999"];

/** A mutation of a history document; returns JSON text (some mutations break the JSON itself). */
type HistoryMutation = (doc: Obj, r: () => number) => string;

export function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}
function events(doc: Obj): Obj[] {
  return (Array.isArray(doc) ? doc : (doc.events as Obj[])) ?? [];
}
function someEvent(doc: Obj, r: () => number): Obj {
  const es = events(doc);
  return es[Math.floor(r() * es.length)] ?? {};
}
function detailsOfEvent(e: Obj): Obj | null {
  const key = Object.keys(e).find((k) => k.endsWith("EventDetails"));
  return key ? (e[key] as Obj) : null;
}

export const HISTORY_MUTATIONS: Record<string, HistoryMutation> = {
  truncated: (doc, r) => {
    const text = JSON.stringify(doc);
    return text.slice(0, Math.floor(r() * text.length));
  },
  wrongType: (doc, r) => {
    const e = someEvent(doc, r);
    e[pick(r, ["id", "type", "timestamp", "previousEventId", ...Object.keys(e)])] = pick(r, WRONG);
    return JSON.stringify(doc);
  },
  wrongDetailsType: (doc, r) => {
    const e = someEvent(doc, r);
    const d = detailsOfEvent(e);
    if (d) for (const k of Object.keys(d)) if (r() < 0.5) d[k] = pick(r, WRONG);
    return JSON.stringify(doc);
  },
  hugeNumbers: (doc, r) => {
    const e = someEvent(doc, r);
    e[pick(r, ["id", "timestamp", "previousEventId"])] = pick(r, HUGE);
    return JSON.stringify(doc);
  },
  hugeNumberText: (doc, r) => JSON.stringify(doc).replace(/"id":(\d+)/, () => `"id":${pick(r, ["1e400", "123456789012345678901234567890", "-0", "1E+2"])}`),
  deepPayload: (doc, r) => {
    const d = detailsOfEvent(someEvent(doc, r));
    if (d) d.input = deepJson(5000, "p", r() < 0.5);
    return JSON.stringify(doc);
  },
  deepDocument: (doc, r) => {
    someEvent(doc, r).extra = "\u0000deep";
    return JSON.stringify(doc).replace('"\\u0000deep"', () => deepJson(3000, 1, r() < 0.5));
  },
  deepText: (_doc, r) => (r() < 0.5 ? "[".repeat(200_000) : '{"events":' + "[".repeat(100_000) + "]".repeat(100_000) + "}"),
  tenMegabyteString: (doc, r) => {
    const e = someEvent(doc, r);
    const d = detailsOfEvent(e);
    if (d && r() < 0.7) d[pick(r, ["input", "output", "name", "resource", "cause"])] = BIG;
    else e.type = BIG.slice(0, 1024 * 1024 * (1 + Math.floor(r() * 9)));
    return JSON.stringify(doc);
  },
  unknownEventType: (doc, r) => {
    const e = someEvent(doc, r);
    const d = detailsOfEvent(e);
    for (const k of Object.keys(e)) if (k.endsWith("EventDetails")) delete e[k];
    e.type = pick(r, ["FutureStateEntered", "X", "TaskStateEntered2", "__proto__", "constructor"]);
    e[`${String(e.type).replace(/^./, (c) => c.toLowerCase())}EventDetails`] = d ?? { input: "{}" };
    return JSON.stringify(doc);
  },
  cycleOrForwardRef: (doc, r) => {
    const es = events(doc);
    const e = pick(r, es) ?? {};
    const id = Number(e.id);
    const choice = Math.floor(r() * 4);
    if (choice === 0) e.previousEventId = id;
    else if (choice === 1) e.previousEventId = id + 1 + Math.floor(r() * 5);
    else if (choice === 2 && es.length > 2) {
      es[1].previousEventId = 3;
      es[2].previousEventId = 2;
    } else e.previousEventId = 999_999;
    return JSON.stringify(doc);
  },
  duplicateOrReorder: (doc, r) => {
    const es = events(doc);
    if (r() < 0.5 && es.length) es.splice(Math.floor(r() * es.length), 0, clone(pick(r, es)));
    else es.sort(() => r() - 0.5);
    return JSON.stringify(doc);
  },
  missingFields: (doc, r) => {
    const e = someEvent(doc, r);
    delete e[pick(r, ["id", "type", "timestamp", "previousEventId"])];
    return JSON.stringify(doc);
  },
  wrongShape: (_doc, r) => JSON.stringify(pick(r, [null, 1, "events", [], {}, { events: null }, { events: {} }, { events: [null, 1, "x", []] }, { history: { events: "no" } }, { events: [], execution: 5 }])),
  byteFlips: (doc, r) => {
    const chars = [...JSON.stringify(doc)];
    for (let k = 0; k < 1 + r() * 10; k++) chars[Math.floor(r() * chars.length)] = pick(r, ['"', "{", "}", "[", "]", ",", ":", "\\", "\u0000", "9", "-", "e", "\ud800"]);
    return chars.join("");
  },
  prototypeKeys: (doc, r) => {
    const e = someEvent(doc, r);
    const d = detailsOfEvent(e);
    const text = JSON.stringify(doc);
    return d ? text.replace(/EventDetails":\{/, `EventDetails":{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},`) : text.replace('"id"', '"__proto__":{"id":1},"id"');
  },
  badExecutionInfo: (doc, r) => {
    if (!Array.isArray(doc)) doc.execution = { executionArn: pick(r, WRONG), startDate: pick(r, [...WRONG, "not a date", "9999-99-99"]), status: pick(r, ["NOPE", 5, null]), input: deep(100, 1), redriveCount: pick(r, HUGE) };
    return JSON.stringify(doc);
  },
};

/** Mutations of a definition object; return the mutated value (maybe not even an object). */
type DefinitionMutation = (def: Obj, r: () => number) => J;

function nodes(v: J, out: Array<{ parent: Obj | J[]; key: string | number }> = [], depth = 0): Array<{ parent: Obj | J[]; key: string | number }> {
  if (depth > 50 || typeof v !== "object" || v === null) return out;
  for (const [k, child] of Object.entries(v)) {
    out.push({ parent: v as Obj, key: Array.isArray(v) ? Number(k) : k });
    nodes(child, out, depth + 1);
  }
  return out;
}
function states(def: Obj): Obj {
  return (typeof def.States === "object" && def.States !== null ? def.States : {}) as Obj;
}

const DEFINITION_MUTATIONS: Record<string, DefinitionMutation> = {
  wrongType: (def, r) => {
    const n = pick(r, nodes(def));
    if (n) (n.parent as Obj)[n.key as string] = pick(r, WRONG);
    return def;
  },
  deleteField: (def, r) => {
    const n = pick(r, nodes(def));
    // an array loses the item (`delete` would leave a hole, which JSON text cannot hold)
    if (n && Array.isArray(n.parent)) n.parent.splice(n.key as number, 1);
    else if (n) delete (n.parent as Obj)[n.key as string];
    return def;
  },
  unknownField: (def, r) => {
    const s = pick(r, Object.values(states(def))) as Obj | undefined;
    (s ?? def)[pick(r, ["Foo", "next", "TYPE", "__proto__", "constructor", ""])] = pick(r, WRONG);
    return def;
  },
  hugeNumbers: (def, r) => {
    const s = (pick(r, Object.values(states(def))) ?? {}) as Obj;
    s[pick(r, ["TimeoutSeconds", "HeartbeatSeconds", "Seconds", "MaxConcurrency", "ToleratedFailurePercentage"])] = pick(r, HUGE);
    s.Retry = [{ ErrorEquals: ["States.ALL"], MaxAttempts: pick(r, HUGE), IntervalSeconds: pick(r, HUGE), BackoffRate: pick(r, HUGE), MaxDelaySeconds: pick(r, HUGE) }];
    return def;
  },
  deepParameters: (def, r) => {
    const s = (pick(r, Object.values(states(def))) ?? {}) as Obj;
    s.Parameters = deep(4000, { "a.$": "$.x" }, true);
    return def;
  },
  deepBranches: (_def, r) => {
    let machine: Obj = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
    // each level holds the one below once: a definition parsed from JSON text has no shared nodes
    for (let i = 0; i < 300 + Math.floor(r() * 300); i++) machine = { StartAt: "P", States: { P: r() < 0.5 ? { Type: "Parallel", Branches: [machine], End: true } : { Type: "Map", ItemProcessor: machine, End: true } } };
    return machine;
  },
  tenMegabyteString: (def, r) => {
    const s = (pick(r, Object.values(states(def))) ?? {}) as Obj;
    s[pick(r, ["Comment", "Resource", "InputPath", "ResultPath", "Next", "Error"])] = BIG;
    if (r() < 0.3) def.StartAt = BIG;
    return def;
  },
  longStateName: (def) => {
    (states(def) as Obj)[BIG.slice(0, 2_000_000)] = { Type: "Succeed" };
    return def;
  },
  cycles: (def, r) => {
    const names = Object.keys(states(def));
    for (const name of names) {
      const s = states(def)[name] as Obj;
      delete s.End;
      s.Next = pick(r, [...names, "Nowhere", ""]);
    }
    return def;
  },
  badPaths: (def, r) => {
    const s = (pick(r, Object.values(states(def))) ?? {}) as Obj;
    s[pick(r, ["InputPath", "OutputPath", "ResultPath", "ItemsPath"])] = pick(r, ["$..[[[", "$.a[?(@.b ==", "$$$$", "$.a[9999999999999999999]", "$" + ".a".repeat(100_000), "{% %}", "{% $x( %}", "States.Format("]);
    s.Parameters = { "x.$": pick(r, ["States.Format('{}', $.a", "States.ArrayRange(1, 1e308, 1)", "States.Hash($.a, 'NOPE')", "States." + "X(".repeat(5000)]) };
    return def;
  },
  badJsonata: (def, r) => {
    def.QueryLanguage = "JSONata";
    const s = (pick(r, Object.values(states(def))) ?? {}) as Obj;
    s.Output = pick(r, ["{% $states.input. %}", "{% " + "(".repeat(10_000) + " %}", "{% $sum([1,2]) %}", "{% function($x){$x} %}"]);
    return def;
  },
  notAnObject: (_def, r) => pick(r, [null, 1, "x", [], [{}], true, deep(10_000)]),
};

// ---------------------------------------------------------------- the engine
// Valid definitions covering every state type, Retry/Catch, inline and distributed Map,
// Parallel, JSONPath and JSONata, intrinsics and variables, each with an input; mutated below
// mostly in ways that keep them valid, so that the engine (not only the validator) meets them.
const FN = "arn:aws:lambda:us-east-1:123456789012:function:fuzz";
const LAMBDA = "arn:aws:states:::lambda:invoke";
const ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:fuzz";

export const ENGINE_SEEDS: ReadonlyArray<{ name: string; definition: Obj; input: J }> = [
  { name: "orders", definition: ordersDefinition(2) as Obj, input: { orderId: "o-1", customer: "c-1", priority: "high", items: [{ sku: "a" }, { sku: "b" }], amount: 12.5 } },
  { name: "nightly", definition: nightlyDefinition as Obj, input: { day: "2024-05-01" } },
  { name: "poller", definition: pollerDefinition as Obj, input: { jobId: "j-1", done: true } },
  { name: "catalog", definition: catalogDefinition as Obj, input: { products: [{ id: 1 }, { id: 2 }, { id: 3 }] } },
  {
    name: "jsonpath-every-state",
    definition: {
      Comment: "every state type with JSONPath, intrinsics and variables",
      StartAt: "Init",
      TimeoutSeconds: 86_400,
      States: {
        Init: {
          Type: "Pass",
          Parameters: {
            "orderId.$": "$.orderId", "items.$": "$.items", "n.$": "$.n", "tags.$": "$.tags", "a.$": "$.a",
            "count.$": "States.ArrayLength($.items)", "id.$": "States.UUID()", "label.$": "States.Format('order {} for {}', $.orderId, $.customer)",
            "parts.$": "States.StringSplit($.csv, ',')", "range.$": "States.ArrayRange(1, 9, 2)", "hash.$": "States.Hash($.orderId, 'SHA-256')",
            "b64.$": "States.Base64Encode($.orderId)", "sum.$": "States.MathAdd($.n, 1)", "merged.$": "States.JsonMerge($.a, $.b, false)",
            "json.$": "States.JsonToString($.a)", "back.$": "States.StringToJson($.text)", "first.$": "States.ArrayGetItem($.items, 0)",
            "uniq.$": "States.ArrayUnique($.tags)", "chunks.$": "States.ArrayPartition($.tags, 2)", "has.$": "States.ArrayContains($.tags, 'x')",
            "dice.$": "States.MathRandom(1, 10)", "name.$": "$$.Execution.Name", "customer.$": "$.customer", "when.$": "$.when", "flag.$": "$.flag",
          },
          Assign: { "total.$": "$.n", seen: true, "who.$": "$.customer" },
          Next: "Route",
        },
        Route: {
          Type: "Choice",
          Choices: [
            { And: [{ Variable: "$.n", IsNumeric: true }, { Variable: "$.n", NumericGreaterThan: 10 }], Next: "Big" },
            { Variable: "$.customer", StringMatches: "c-*", Next: "Work" },
            { Not: { Variable: "$.flag", BooleanEquals: true }, Next: "Work" },
            { Variable: "$.when", TimestampLessThan: "2030-01-01T00:00:00Z", Next: "Work" },
          ],
          Default: "Reject",
        },
        Big: { Type: "Wait", SecondsPath: "$.n", Next: "Work" },
        Work: {
          Type: "Task", Resource: LAMBDA, Parameters: { FunctionName: FN, "Payload.$": "$" }, ResultSelector: { "body.$": "$" }, ResultPath: "$.work",
          TimeoutSeconds: 60, HeartbeatSeconds: 10,
          Retry: [{ ErrorEquals: ["Fuzz.Retryable", "States.Timeout"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 5, JitterStrategy: "FULL" }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Recover" }],
          Next: "Fan",
        },
        Recover: { Type: "Pass", Result: { recovered: true }, ResultPath: "$.recovered", Next: "Fan" },
        Fan: {
          Type: "Parallel",
          Branches: [
            { StartAt: "B1", States: { B1: { Type: "Task", Resource: FN, InputPath: "$.a", End: true } } },
            { StartAt: "B2", States: { B2: { Type: "Wait", Seconds: 5, Next: "B3" }, B3: { Type: "Pass", Parameters: { "v.$": "$total", "w.$": "$who" }, End: true } } },
          ],
          ResultSelector: { "first.$": "$[0]", "second.$": "$[1]" },
          ResultPath: "$.fan",
          Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Reject" }],
          Next: "Each",
        },
        Each: {
          Type: "Map", ItemsPath: "$.items", MaxConcurrency: 2,
          ItemSelector: { "item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "who.$": "$who" },
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" }, StartAt: "One",
            States: { One: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { QueueUrl: "q", "MessageBody.$": "$", "TaskToken.$": "$$.Task.Token" }, TimeoutSeconds: 30, End: true } },
          },
          ResultPath: "$.each", OutputPath: "$", Next: "Worker",
        },
        Worker: { Type: "Task", Resource: ACTIVITY, TimeoutSeconds: 20, ResultPath: null, Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Done" }], Next: "Done" },
        Done: { Type: "Succeed" },
        Reject: { Type: "Fail", Error: "Fuzz.Rejected", Cause: "no route" },
      },
    },
    input: { orderId: "o-7", customer: "c-3", csv: "a,b,c", n: 3, a: { x: 1 }, b: { y: 2 }, text: '{"k":1}', items: [{ sku: "a" }, { sku: "b" }, { sku: "c" }], tags: ["x", "y", "x"], flag: false, when: "2024-05-01T00:00:00Z" },
  },
  {
    name: "jsonata-every-state",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Prepare",
      States: {
        Prepare: {
          Type: "Pass",
          Assign: { total: "{% $sum($states.input.items.price) %}", n: "{% $count($states.input.items) %}", items: "{% $states.input.items %}" },
          Output: "{% $merge([$states.input, { 'label': $uppercase($states.input.name) }]) %}",
          Next: "Check",
        },
        Check: { Type: "Choice", Choices: [{ Condition: "{% $total > 100 %}", Next: "Charge" }, { Condition: "{% $n = 0 %}", Next: "Empty" }], Default: "Charge" },
        Charge: {
          Type: "Task", Resource: LAMBDA,
          Arguments: { FunctionName: FN, Payload: { amount: "{% $total %}", name: "{% $states.input.name %}" } },
          Output: "{% $states.result %}",
          Assign: { charged: "{% $states.result %}" },
          Retry: [{ ErrorEquals: ["Fuzz.Retryable"], MaxAttempts: 2, IntervalSeconds: 2 }],
          Catch: [{ ErrorEquals: ["States.ALL"], Output: "{% $states.errorOutput %}", Assign: { failed: true }, Next: "Refund" }],
          TimeoutSeconds: 30,
          Next: "Items",
        },
        Refund: { Type: "Fail", Error: "{% 'Refund.' & $string($failed) %}", Cause: "{% $string($states.input) %}" },
        Empty: { Type: "Succeed", Output: "{% { 'empty': true } %}" },
        Items: {
          Type: "Map", Items: "{% $items %}", MaxConcurrency: 3,
          ItemSelector: { value: "{% $states.context.Map.Item.Value %}", i: "{% $states.context.Map.Item.Index %}" },
          ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Price", States: { Price: { Type: "Task", Resource: FN, Arguments: "{% $states.input %}", Output: "{% $states.result %}", End: true } } },
          Output: "{% { 'prices': $states.result, 'charged': $charged } %}",
          Next: "Pause",
        },
        Pause: { Type: "Wait", Seconds: "{% $n %}", Next: "Both" },
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "X", States: { X: { Type: "Pass", Output: "{% $states.input.prices %}", End: true } } },
            { StartAt: "Y", States: { Y: { Type: "Pass", Output: "{% $string($random()) & $uuid() & $partition([1,2,3], 2) %}", End: true } } },
          ],
          Output: "{% $states.result[0] %}",
          End: true,
        },
      },
    },
    input: { name: "fuzz", items: [{ price: 10 }, { price: 95.5 }, { price: 0.5 }] },
  },
  {
    name: "distributed-map",
    definition: {
      StartAt: "Read",
      States: {
        Read: {
          Type: "Map",
          ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON" }, Parameters: { Bucket: "fuzz", "Key.$": "$.key" } },
          ItemBatcher: { MaxItemsPerBatch: 2 },
          MaxConcurrency: 3,
          ToleratedFailurePercentage: 50,
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Sum", States: { Sum: { Type: "Task", Resource: FN, Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 1 }], End: true } } },
          ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "res" } },
          End: true,
        },
      },
    },
    input: { key: "items.json" },
  },
  {
    name: "loop-with-counter",
    definition: {
      StartAt: "Count",
      States: {
        Count: { Type: "Pass", Parameters: { "i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit" }, Next: "More" },
        More: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThanPath: "$.limit", Next: "Count" }], Default: "End" },
        End: { Type: "Succeed" },
      },
    },
    input: { i: 0, limit: 5 },
  },
];

const JSONPATH_VALUES = ["$", "$.missing", "$.items[5]", "$.items[*].sku", "$..sku", "$$.Execution.Input", "$$.Map.Item.Value", "$$.State.RetryCount", "$total", "$undefinedVariable", "$.n", "$.a.x", "$[0]"];
const INTRINSICS = [
  "States.StringToJson('{')", "States.ArrayGetItem($.items, 99)", "States.MathAdd(1, 'x')", "States.Base64Decode('!!!')", "States.Hash($.missing, 'SHA-256')",
  "States.ArrayRange(1, 1000000, 1)", "States.ArrayRange(1, 10, 0)", "States.Format('{} {}', $.n)", "States.JsonToString($)", "States.StringSplit($.n, ',')",
  "States.ArrayPartition($.tags, 0)", "States.MathRandom(10, 1)", "States.MathAdd(9007199254740991, 1)", "States.Array($, $, $)", "States.UUID()",
  "States.JsonMerge($, $.missing, false)", "States.ArrayUnique($.n)", "States.Format('{}', $$)",
];
const JSONATA_VALUES = [
  "{% $states.input %}", "{% $states.input.missing %}", "{% $error('Fuzz.Thrown', 'from JSONata') %}", "{% 1/0 %}", "{% $undefinedVariable %}",
  "{% [1..100000] %}", "{% $count($states.input) %}", "{% $string($states.input) %}", "{% $parse('{') %}", "{% $split($states.input, ',') %}",
  "{% function($x){$x} %}", "{% $number('x') %}", "{% 9e307 * 10 %}", "{% $hash($string($states.input), 'SHA-256') %}", "{% $states.context %}",
  "{% $pad('x', 300000) %}", "{% ($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(3000)) %}",
];
const CHOICE_RULES: Obj[] = [
  { Variable: "$.n", NumericEquals: 1e308 }, { Variable: "$.s", StringMatches: "*a".repeat(30) + "b" }, { Variable: "$.missing", IsPresent: false },
  { Variable: "$.n", StringEquals: "3" }, { Variable: "$.when", TimestampEquals: "9999-12-31T23:59:59Z" }, { Variable: "$", IsNull: true },
  { Variable: "$.items", NumericGreaterThanPath: "$.n" }, { Variable: "$$.State.EnteredTime", TimestampGreaterThanPath: "$.when" },
  { Not: { Not: { Not: { Variable: "$.flag", BooleanEquals: false } } } }, { Or: [{ Variable: "$.a", IsString: true }, { Variable: "$.a.x", NumericLessThan: -1e308 }] },
];

/** Every `States` map of a definition (root, branches, item processors), by walking it. */
function allStateMaps(v: J, out: Obj[] = [], depth = 0): Obj[] {
  if (depth > 40 || typeof v !== "object" || v === null) return out;
  const o = v as Obj;
  if (typeof o.States === "object" && o.States !== null && !Array.isArray(o.States)) out.push(o.States as Obj);
  for (const child of Object.values(o)) allStateMaps(child, out, depth + 1);
  return out;
}
function someState(def: Obj, r: () => number, type?: string): Obj | undefined {
  const all = allStateMaps(def).flatMap((m) => Object.values(m)).filter((s): s is Obj => typeof s === "object" && s !== null && (!type || (s as Obj).Type === type));
  return all.length ? pick(r, all) : undefined;
}

/** Mutations that mostly keep a definition valid, so that it runs; some break it on purpose. */
const ENGINE_MUTATIONS: Record<string, DefinitionMutation> = {
  none: (def) => def,
  loopBack: (def, r) => {
    // a Next to another state of the same machine: cycles, which end at the history quota (the
    // End states stay, so most of these definitions remain valid)
    const map = pick(r, allStateMaps(def));
    const names = Object.keys(map ?? {});
    const withNext = names.filter((n) => typeof (map?.[n] as Obj)?.Next === "string");
    if (map && withNext.length) (map[pick(r, withNext)] as Obj).Next = pick(r, names);
    return def;
  },
  retryStorm: (def, r) => {
    const s = someState(def, r, pick(r, ["Task", "Parallel", "Map"]));
    if (s) s.Retry = [{ ErrorEquals: [pick(r, ["States.ALL", "Fuzz.Error", "States.TaskFailed", "States.Timeout"])], MaxAttempts: pick(r, [99_999_999, 1000, 0, 3]), IntervalSeconds: pick(r, [1, 3, 99_999_999]), BackoffRate: pick(r, [1, 1.5, 2]), ...(r() < 0.5 ? { MaxDelaySeconds: pick(r, [1, 5, 31_622_400]), JitterStrategy: pick(r, ["FULL", "NONE"]) } : {}) }];
    return def;
  },
  numbers: (def, r) => {
    const n = pick(r, nodes(def).filter((x) => typeof (x.parent as Obj)[x.key as string] === "number"));
    if (n) (n.parent as Obj)[n.key as string] = pick(r, [0, 1, -1, 0.5, 2 ** 31 - 1, 99_999_999, 1e9, 1e-7, 3, 40, 1e308]);
    return def;
  },
  paths: (def, r) => {
    const n = pick(r, nodes(def).filter((x) => typeof x.key === "string" && (x.key.endsWith(".$") || /^(InputPath|OutputPath|ResultPath|ItemsPath|Variable|SecondsPath|TimestampPath)$/.test(x.key))));
    if (n) (n.parent as Obj)[n.key as string] = pick(r, JSONPATH_VALUES);
    return def;
  },
  intrinsics: (def, r) => {
    const n = pick(r, nodes(def).filter((x) => typeof x.key === "string" && x.key.endsWith(".$")));
    if (n) (n.parent as Obj)[n.key as string] = pick(r, INTRINSICS);
    else {
      const s = someState(def, r, "Pass");
      if (s && !s.Result && def.QueryLanguage !== "JSONata") s.Parameters = { "x.$": pick(r, INTRINSICS) };
    }
    return def;
  },
  jsonata: (def, r) => {
    const n = pick(r, nodes(def).filter((x) => typeof (x.parent as Obj)[x.key as string] === "string" && String((x.parent as Obj)[x.key as string]).startsWith("{%")));
    if (n) (n.parent as Obj)[n.key as string] = pick(r, JSONATA_VALUES);
    return def;
  },
  choice: (def, r) => {
    const s = someState(def, r, "Choice");
    const rules = s?.Choices as Obj[] | undefined;
    if (rules?.length && !("Condition" in rules[0])) {
      const i = Math.floor(r() * rules.length);
      rules[i] = { ...pick(r, CHOICE_RULES), Next: rules[i].Next };
    }
    return def;
  },
  variables: (def, r) => {
    const s = someState(def, r);
    if (s && s.Type !== "Fail") s.Assign = def.QueryLanguage === "JSONata" ? { big: "{% $states.input %}", n: "{% $count([1,2]) %}" } : { "big.$": "$", n: pick(r, HUGE), "s.$": pick(r, ["$undefinedVariable", "$$.Execution.Input", "$.missing"]) };
    return def;
  },
  timeouts: (def, r) => {
    const s = someState(def, r, "Task");
    if (s) {
      s.TimeoutSeconds = pick(r, [1, 2, 99_999_999]);
      if (r() < 0.5) s.HeartbeatSeconds = 1;
      else delete s.HeartbeatSeconds;
    }
    if (r() < 0.3) def.TimeoutSeconds = pick(r, [1, 10, 31_536_000]);
    return def;
  },
  mapKnobs: (def, r) => {
    const s = someState(def, r, "Map");
    if (s) {
      s[pick(r, ["MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount"])] = pick(r, [0, 1, 100, 99_999_999]);
      if (r() < 0.4 && "ItemsPath" in s) s.ItemsPath = pick(r, ["$", "$.n", "$.missing", "$.a"]);
      if (r() < 0.3 && "ItemBatcher" in s) s.ItemBatcher = { MaxItemsPerBatch: 1, MaxInputBytesPerBatch: pick(r, [1, 262_144]) };
    }
    return def;
  },
  waits: (def, r) => {
    const s = someState(def, r, "Wait");
    if (s) {
      for (const k of ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]) delete s[k];
      const choice = Math.floor(r() * 4);
      if (choice === 0) s.Seconds = pick(r, [0, 99_999_999, 1]);
      else if (choice === 1) s.Timestamp = pick(r, ["1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-02-30T00:00:00Z"]);
      else if (choice === 2) s.SecondsPath = pick(r, ["$.n", "$.missing", "$.a"]);
      else s.TimestampPath = pick(r, ["$.when", "$.n", "$.csv"]);
    }
    return def;
  },
  express: (def) => {
    def.__express = true; // marker, removed before the run: run as an Express state machine
    return def;
  },
};

/** Hostile inputs: deep nesting, huge numbers, 10 MB strings, wrong types. */
export const INPUT_MUTATIONS: Record<string, (input: J, r: () => number) => J> = {
  same: (input) => input,
  wrongType: (input, r) => {
    if (r() < 0.4) return pick(r, WRONG);
    const o = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Obj) : {};
    const keys = Object.keys(o);
    if (keys.length) o[pick(r, keys)] = pick(r, WRONG);
    return o;
  },
  hugeNumbers: (input, r) => {
    const o = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Obj) : {};
    for (const k of Object.keys(o)) if (r() < 0.5) o[k] = pick(r, HUGE);
    return o;
  },
  deepNesting: (input, r) => {
    const depth = pick(r, [50, 500, 2000, 100_000]);
    if (r() < 0.3) return deep(depth, 1, r() < 0.5);
    const o = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Obj) : {};
    o[pick(r, Object.keys(o).length ? Object.keys(o) : ["x"])] = deep(depth, "leaf", r() < 0.5);
    return o;
  },
  tenMegabyteString: (input, r) => {
    const o = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Obj) : {};
    o[pick(r, Object.keys(o).length ? Object.keys(o) : ["x"])] = BIG;
    return o;
  },
  manyItems: (input, r) => {
    const o = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Obj) : {};
    // up to AWS's 256 KiB input quota: 8,000 items run a Map into the history quota
    const items = Array.from({ length: pick(r, [1000, 8000, 30_000]) }, (_, i) => (r() < 0.5 ? i : { sku: `s${i}` }));
    for (const k of ["items", "products", "tags"]) if (k in o || r() < 0.3) o[k] = items;
    return o;
  },
};

/** Task answers: each run picks a mode; "mixed" draws one per invocation from the run's seed. */
const RESOLVER_MODES = ["echo", "error", "retryable", "mixed", "mixed", "mixed"] as const;
function fuzzResolver(mode: (typeof RESOLVER_MODES)[number], r: () => number): TaskResolver {
  return (inv) => {
    if (mode === "echo") return { output: inv.input };
    if (mode === "error") return { error: "Fuzz.Error", cause: "the fuzz resolver always fails" };
    if (mode === "retryable") return inv.retryCount < 2 ? { error: "Fuzz.Retryable", cause: `attempt ${inv.retryCount}` } : { output: inv.input };
    const answers: Array<() => TaskOutcome> = [
      () => ({ output: inv.input }),
      () => ({ output: { ok: true, n: 1e308, s: "x".repeat(Math.floor(r() * 1000)) } }),
      () => ({ error: pick(r, ["Fuzz.Error", "Fuzz.Retryable", "States.TaskFailed", "States.Timeout"]), cause: pick(r, ["", "c", "x".repeat(100_000)]) }),
      () => ({ output: { s: "x".repeat(300_000) } }),
      () => ({ output: deep(pick(r, [100, 100_000]), 1) as Json }),
      () => ({ pending: true }),
      () => ({ output: inv.input, durationMs: pick(r, [0, 1500, 1e12, Number.MAX_SAFE_INTEGER]) }),
      () => ({ error: "States.Timeout", heartbeatTimeout: true }),
      () => {
        throw new Error("the fuzz resolver threw");
      },
    ];
    const answer = pick(r, answers)();
    return r() < 0.2 ? Promise.resolve(answer) : answer;
  };
}

const ITEM_FILES: Record<string, string> = { "items.json": JSON.stringify([1, 2, 3, 4, 5, { a: 1 }]), "big.json": JSON.stringify(Array.from({ length: 3000 }, (_, i) => i)), "broken.json": "[1, 2", "deep.json": "[".repeat(100_000) + "]".repeat(100_000) };
const itemSource = { read: (_resource: string, p: Json) => ITEM_FILES[String((p as Obj)?.Key)] ?? JSON.stringify([pick(rng(1), WRONG)]) };

const END_EVENT: Record<string, string> = { SUCCEEDED: "ExecutionSucceeded", FAILED: "ExecutionFailed", TIMED_OUT: "ExecutionTimedOut", ABORTED: "ExecutionAborted" };
/** A message that printed a JavaScript value instead of describing it (e.g. a prototype's function for a "constructor" key). */
const GARBLED = /\[native code\]|\[object Object\]/;
/** Causes that betray a JavaScript exception inside the engine rather than a States error. */
const UNCLEAR_CAUSE = /unexpected error|Cannot read propert|is not a function|is not iterable|is not defined|undefined \(reading|Cannot convert|Invalid array length|\[native code\]/;

/** What is wrong with an execution's history, or null: ids 1..n, links backwards, one end event matching the status, error names non-empty strings. */
export function historyProblem(ex: ExecutionHandle): string | null {
  const events = ex.events;
  if (!(ex.status in END_EVENT)) return `status ${ex.status} after the run ended`;
  if (events[0]?.type !== "ExecutionStarted") return `first event ${events[0]?.type}`;
  for (let k = 0; k < events.length; k++) {
    const e = events[k] as unknown as Obj;
    if (e.id !== k + 1) return `event #${k} has id ${String(e.id)}`;
    const prev = e.previousEventId as number;
    if (!Number.isInteger(prev) || prev < 0 || prev >= k + 1) return `event ${k + 1} (${String(e.type)}) points at ${prev}`;
    if (k > 0 && (e.timestamp as number) < (events[k - 1].timestamp as number)) return `event ${k + 1} is earlier than event ${k}`;
    if (String(e.type).startsWith("Execution") && k > 0 && k < events.length - 1 && e.type !== "ExecutionStarted") return `end event ${String(e.type)} at ${k + 1} of ${events.length}`;
    const details = Object.entries(e).find(([key]) => key.endsWith("EventDetails"))?.[1] as Obj | undefined;
    if (details && "error" in details && (typeof details.error !== "string" || details.error === "")) return `event ${k + 1} (${String(e.type)}) has error ${JSON.stringify(details.error)}`;
    if (details && "cause" in details && typeof details.cause !== "string") return `event ${k + 1} (${String(e.type)}) has cause ${JSON.stringify(details.cause)}`;
    if (details && typeof details.cause === "string" && UNCLEAR_CAUSE.test(details.cause)) return `event ${k + 1} (${String(e.type)}): ${details.cause.slice(0, 300)}`;
  }
  const last = events[events.length - 1];
  if (last.type !== END_EVENT[ex.status]) return `status ${ex.status} but the last event is ${last.type}`;
  return null;
}

async function runEngine(job: FuzzJob, r: () => number, post: (m: FuzzMessage) => void): Promise<void> {
  const crashes = new Map<string, string>();
  const crash = (label: string, message: string) => {
    const signature = message.slice(0, 120);
    if (!crashes.has(signature)) crashes.set(signature, `${label}: ${message.slice(0, 600)}`);
  };
  let current = "start-up";
  process.on("unhandledRejection", (err) => crash(current, `unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
  // the seeds themselves are valid and, with every task answering, succeed
  for (const seed of ENGINE_SEEDS) {
    const problems = validateDefinition(seed.definition);
    if (problems.length) crash(`seed ${seed.name}`, `invalid: ${problems[0].pointer} ${problems[0].message}`);
    else {
      const ex = await runExecution({ definition: seed.definition as never, input: seed.input as Json, taskResolver: fuzzResolver("echo", r), itemSource, resultSink: () => undefined, activities: [ACTIVITY] });
      const result = await ex.result();
      if (ex.status !== "SUCCEEDED") crash(`seed ${seed.name}`, `${ex.status} ${result.error}: ${result.cause}`);
    }
  }
  const mutationNames = Object.keys(ENGINE_MUTATIONS);
  const inputNames = Object.keys(INPUT_MUTATIONS);
  const definitionNames = Object.keys(DEFINITION_MUTATIONS);
  const statuses: Record<string, number> = {};
  const samples: string[] = [];
  let slowest = { label: "", ms: 0 };
  let rejected = 0;
  for (let i = 0; i < job.count; i++) {
    const seed = ENGINE_SEEDS[i % ENGINE_SEEDS.length];
    let def = clone(seed.definition);
    const applied: string[] = [];
    // a quarter through the validator's mutations (mostly invalid), the rest through the engine's
    if (r() < 0.25) {
      const name = pick(r, definitionNames);
      applied.push(name);
      def = DEFINITION_MUTATIONS[name](def, r) as Obj;
    } else {
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        const name = mutationNames[(i + k * 7) % mutationNames.length];
        applied.push(name);
        def = ENGINE_MUTATIONS[name](def, r) as Obj;
      }
    }
    const inputName = r() < 0.5 ? "same" : pick(r, inputNames);
    const input = INPUT_MUTATIONS[inputName](clone(seed.input), r);
    const mode = pick(r, RESOLVER_MODES);
    const express = typeof def === "object" && def !== null && !Array.isArray(def) && def.__express === true;
    if (express) delete def.__express;
    const label = `engine #${i} (${seed.name}: ${applied.join("+")}, input ${inputName}, tasks ${mode}${express ? ", express" : ""}, seed ${job.seed})`;
    if (job.only !== undefined && i !== job.only) continue;
    current = label;
    post({ type: "progress", i, label });
    const t = performance.now();
    let problems;
    try {
      problems = validateDefinition(def);
    } catch (err) {
      crash(label, `validateDefinition threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
      continue;
    }
    if (problems.length) {
      rejected++;
      // each problem names where it is (a JSON Pointer: "" for the whole definition) and what
      const unclear = problems.find((p) => typeof p.pointer !== "string" || !/^(\/|$)/.test(p.pointer) || typeof p.message !== "string" || p.message.trim() === "" || GARBLED.test(p.message));
      if (unclear) crash(label, `unclear problem ${JSON.stringify(unclear).slice(0, 300)}`);
      // the engine refuses it too, naming the same kind of problem
      if (i % 10 === 0) {
        try {
          await runExecution({ definition: def as never, input: {} });
          crash(label, "runExecution ran a definition validateDefinition rejects");
        } catch (err) {
          if (!(err instanceof InvalidDefinitionError) || !err.problems.length) crash(label, `runExecution refused an invalid definition with ${(err as Error)?.name}: ${(err as Error)?.message}`);
        }
      }
      statuses.INVALID = (statuses.INVALID ?? 0) + 1;
    } else {
      let ex: ExecutionHandle | undefined;
      try {
        ex = await runExecution({
          definition: def as never, input: input as Json, name: `fuzz-${i}`, type: express ? "EXPRESS" : "STANDARD", startTime: Date.UTC(2024, 0, 1),
          random: rng(job.seed + i), taskResolver: fuzzResolver(mode, rng(job.seed * 7919 + i)), itemSource, resultSink: () => undefined,
          // loops end at the history quota: a lower one keeps the run short, AWS's 25,000 now and then
          maxHistoryEvents: i % 97 === 0 ? undefined : 2000,
        });
      } catch (err) {
        if (err instanceof InvalidExecutionInputError && err.message.trim()) statuses.INVALID_INPUT = (statuses.INVALID_INPUT ?? 0) + 1;
        else if (err instanceof InvalidDefinitionError && err.problems.every((p) => typeof p.pointer === "string" && p.message.trim())) statuses.INVALID = (statuses.INVALID ?? 0) + 1;
        else crash(label, `runExecution threw ${(err as Error)?.name}: ${(err as Error)?.stack ?? String(err)}`);
      }
      if (ex) {
        const result = await ex.result();
        const problem = historyProblem(ex) ?? (result.status !== ex.status ? `result() says ${result.status}, the handle ${ex.status}` : null);
        if (problem) crash(label, `${ex.status} with ${ex.events.length} events: ${problem}`);
        statuses[ex.status] = (statuses[ex.status] ?? 0) + 1;
        if (samples.length < 6 && result.error && i % 37 === 0) samples.push(`${seed.name} ${applied.join("+")}: ${ex.status} ${result.error}: ${(result.cause ?? "").slice(0, 120)}`);
      }
    }
    const ms = performance.now() - t;
    if (ms > slowest.ms) slowest = { label, ms };
  }
  post({ type: "done", accepted: job.count - rejected, rejected, slowest, kept: { expected: 0, found: 0, wrongCounts: [] }, samples, crashes: [...crashes.values()], statuses });
}

function run(job: FuzzJob): void {
  const post = (m: FuzzMessage) => parentPort?.postMessage(m);
  const r = rng(job.seed);
  if (job.kind === "engine") {
    void runEngine(job, r, post);
    return;
  }
  if (job.kind === "definition") {
    const bases: Obj[] = [ordersDefinition(2) as Obj, nightlyDefinition as Obj, thumbnailerDefinition as Obj, pollerDefinition as Obj, catalogDefinition as Obj];
    const names = Object.keys(DEFINITION_MUTATIONS);
    let slowest = { label: "", ms: 0 };
    let rejected = 0;
    const samples: string[] = [];
    for (let i = 0; i < job.count; i++) {
      const name = names[i % names.length];
      const label = `definition #${i} (${name}, seed ${job.seed})`;
      post({ type: "progress", i, label });
      const value = DEFINITION_MUTATIONS[name](clone(pick(r, bases)), r);
      const t = performance.now();
      let problems;
      try {
        problems = validateDefinition(value);
      } catch (err) {
        post({ type: "crash", i, label, error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : String(err) });
        return;
      }
      const ms = performance.now() - t;
      if (ms > slowest.ms) slowest = { label, ms };
      const unclear = problems.find((p) => typeof p.message !== "string" || p.message.trim() === "" || GARBLED.test(p.message) || typeof p.pointer !== "string");
      if (unclear) {
        post({ type: "crash", i, label, error: `unclear problem: ${JSON.stringify(unclear).slice(0, 300)}` });
        return;
      }
      if (problems.length) {
        rejected++;
        if (samples.length < 5 && r() < 0.05) samples.push(`${name}: ${problems[0].pointer} ${problems[0].message}`.slice(0, 200));
      }
    }
    // the unmutated definitions stay valid
    for (const base of bases) if (validateDefinition(base).length) post({ type: "crash", i: -1, label: "base definition", error: JSON.stringify(validateDefinition(base)[0]) });
    post({ type: "done", accepted: job.count - rejected, rejected, slowest, kept: { expected: 0, found: 0, wrongCounts: [] }, samples, crashes: [] });
    return;
  }
  void runHistories(job, r, post);
}

/** The valid histories the mutations start from: every fixture and a few demo documents. */
export function historyBases(): Obj[] {
  return [
    ...Object.values(ALL_FIXTURES).map((f) => f().cli() as unknown as Obj),
    ...demoDocuments({ orders: 3, nightly: 1, thumbnails: 2, days: 1, seed: 3 }).map((d) => d.document as unknown as Obj),
  ];
}

async function runHistories(job: FuzzJob, r: () => number, post: (m: FuzzMessage) => void): Promise<void> {
  const store = await openStore({ url: job.dbUrl });
  const bases = historyBases();
  const names = Object.keys(HISTORY_MUTATIONS);
  const valid = new Map<string, number>();
  let accepted = 0;
  let rejected = 0;
  let slowest = { label: "", ms: 0 };
  const samples: string[] = [];
  const crashes = new Map<string, string>();
  try {
    for (let i = 0; i < job.count; i++) {
      const name = names[i % names.length];
      const label = `history #${i} (${name}, seed ${job.seed})`;
      post({ type: "progress", i, label });
      const text = HISTORY_MUTATIONS[name](clone(pick(r, bases)), r);
      const t = performance.now();
      try {
        const parsed = parseHistoryDocument(text, `fuzz-${i}.json`);
        await ingestExecution(store.driver, { events: parsed.events, execution: parsed.execution, definition: parsed.definition, source: "file", fallbackName: `fuzz-${i}` });
        accepted++;
      } catch (err) {
        const e = err as Error;
        const clear = err instanceof HistoryParseError ? e.message.startsWith(`fuzz-${i}.json: `) : err instanceof Error && !["TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError"].includes(e.name) && e.message.trim() !== "";
        if (!clear) {
          // keep going: the report lists every distinct crash, not just the first
          const signature = `${e?.name}: ${e?.message}`.slice(0, 120);
          if (!crashes.has(signature)) crashes.set(signature, `${label}: ${signature}\n      ${e?.stack?.split("\n").slice(1, 3).map((l) => l.trim()).join(" <- ")}`);
        }
        rejected++;
        if (samples.length < 6 && r() < 0.02) samples.push(`${name}: ${e.message}`.slice(0, 200));
      }
      const ms = performance.now() - t;
      if (ms > slowest.ms) slowest = { label, ms };
      // a valid history between the broken ones must be stored whole
      if (i % 10 === 0) {
        const doc = clone(pick(r, bases));
        const execution = (doc.execution ?? {}) as Obj;
        const arn = `arn:aws:states:us-east-1:123456789012:execution:fuzz:valid-${i}`;
        const parsed = parseHistoryDocument(JSON.stringify({ ...doc, execution: { ...execution, executionArn: arn, name: `valid-${i}` } }), `valid-${i}.json`);
        await ingestExecution(store.driver, { events: parsed.events, execution: parsed.execution, source: "file" });
        valid.set(arn, parsed.events.length);
      }
    }
    const wrongCounts: string[] = [];
    let found = 0;
    for (const [arn, n] of valid) {
      const rows = await store.driver.all<{ eventCount: number; events: number }>(`SELECT "eventCount", (SELECT COUNT(*) FROM "HistoryEvent" h WHERE h."executionId" = e."id") AS "events" FROM "Execution" e WHERE "arn" = ?`, [arn]);
      if (rows.length) found++;
      if (rows.length && (Number(rows[0].eventCount) !== n || Number(rows[0].events) !== n)) wrongCounts.push(arn);
    }
    post({ type: "done", accepted, rejected, slowest, kept: { expected: valid.size, found, wrongCounts }, samples, crashes: [...crashes.values()] });
  } finally {
    await store.close();
  }
}

if (parentPort && workerData) run(workerData as FuzzJob);
