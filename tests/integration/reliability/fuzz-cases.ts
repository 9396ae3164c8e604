// Mutated histories and definitions for the fuzz test. Deterministic from a seed, so a failure
// names the seed and item that reproduce it. Runs in a worker thread (fuzz.test.ts) so a hang
// can be stopped.
import { parentPort, workerData } from "node:worker_threads";
import { validateDefinition } from "@/lib/asl/validate";
import { HistoryParseError, parseHistoryDocument } from "@/lib/history/parse";
import { ingestExecution, openStore } from "@/lib/store";
import { catalogDefinition, demoDocuments, nightlyDefinition, ordersDefinition, pollerDefinition, thumbnailerDefinition } from "../../fixtures/demo-histories";
import { ALL_FIXTURES } from "../../fixtures/histories";

export interface FuzzJob {
  kind: "history" | "definition";
  seed: number;
  count: number;
  dbUrl?: string;
}
export type FuzzMessage =
  | { type: "progress"; i: number; label: string }
  | { type: "crash"; i: number; label: string; error: string }
  | { type: "done"; accepted: number; rejected: number; slowest: { label: string; ms: number }; kept: { expected: number; found: number; wrongCounts: string[] }; samples: string[]; crashes: string[] };

type J = unknown;
type Obj = Record<string, J>;
const BIG = "x".repeat(10 * 1024 * 1024);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clone = <T>(v: T): T => structuredClone(v);
function deep(depth: number, leaf: J = 1, asObject = false): J {
  let v: J = leaf;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}
const WRONG: J[] = [null, true, false, 0, -1, 1.5, "", "x", "12abc", [], {}, [1, 2], { a: 1 }, 1e308, -1e308, 2 ** 53 + 1, 1e21];
const HUGE: J[] = [1e308, -1e308, 2 ** 53 + 1, 2 ** 31, 2 ** 63, 1e21, Number.MAX_SAFE_INTEGER, -0, 5e-324, "99999999999999999999999"];

/** A mutation of a history document; returns JSON text (some mutations break the JSON itself). */
type HistoryMutation = (doc: Obj, r: () => number) => string;

function pick<T>(r: () => number, list: readonly T[]): T {
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

const HISTORY_MUTATIONS: Record<string, HistoryMutation> = {
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
    if (d) d.input = JSON.stringify(deep(5000, "p", r() < 0.5));
    return JSON.stringify(doc);
  },
  deepDocument: (doc, r) => {
    someEvent(doc, r).extra = deep(3000, 1, r() < 0.5);
    return JSON.stringify(doc);
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
    if (n) delete (n.parent as Obj)[n.key as string];
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

function run(job: FuzzJob): void {
  const post = (m: FuzzMessage) => parentPort?.postMessage(m);
  const r = rng(job.seed);
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
      const unclear = problems.find((p) => typeof p.message !== "string" || p.message.trim() === "" || typeof p.pointer !== "string");
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

async function runHistories(job: FuzzJob, r: () => number, post: (m: FuzzMessage) => void): Promise<void> {
  const store = await openStore({ url: job.dbUrl });
  const bases: Obj[] = [
    ...Object.values(ALL_FIXTURES).map((f) => f().cli() as unknown as Obj),
    ...demoDocuments({ orders: 3, nightly: 1, thumbnails: 2, days: 1, seed: 3 }).map((d) => d.document as unknown as Obj),
  ];
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
