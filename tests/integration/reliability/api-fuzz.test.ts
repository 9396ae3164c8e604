// Fuzzing the HTTP API of a production server (`next start`, started as the security tests do):
// a few thousand mutated requests to POST /api/import (mutated histories as multipart files,
// truncated bodies, wrong content types, 10 MB strings, deep nesting, odd file names) and to every
// GET route with mutated query strings and path segments. Every answer is 2xx or 4xx, an API
// error is JSON with a message, no page renders a server error, the server stays up (a known-good
// request passes between batches), nothing is logged as an unexpected error, and the valid
// histories posted between the broken ones are stored whole. Deterministic for a seed:
// STATELENS_FUZZ_SEED=<n> replays a run. SQL metacharacters: security/query-injection.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { importDocuments } from "../../e2e/server";
import { demoDocuments } from "../../fixtures/demo-histories";
import { parseHistoryDocument } from "@/lib/history/parse";
import { appRoutes, queryParameterNames } from "../security/routes";
import { type RunningServer, startServer } from "../security/server";
import { BIG, clone, deep, HISTORY_MUTATIONS, historyBases, pick, rng, type Obj } from "./fuzz-cases";

const SEED = Number(process.env.STATELENS_FUZZ_SEED ?? Date.now() % 1_000_000);
const CONCURRENCY = 4;

let dir: string;
let dbFile: string;
let server: RunningServer;
let firstId: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-api-fuzz-"));
  dbFile = importDocuments(demoDocuments({ orders: 6, nightly: 2, thumbnails: 3, days: 2 }), dir);
  firstId = (readDb().prepare(`SELECT MIN("id") AS id FROM "Execution"`).get() as { id: number }).id;
  // open mode (no STATELENS_AUTH): writes need a same-origin Origin, which every POST below sends
  server = await startServer(dbFile);
}, 900_000);
afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function readDb(): Database.Database {
  return new Database(dbFile, { readonly: true, fileMustExist: true });
}

interface Outcome {
  req: FuzzRequest;
  status: number;
  type: string;
  body: string;
}
interface FuzzRequest {
  label: string;
  url: string;
  init?: RequestInit;
  /** A valid history this request stores: its ARN and event count. */
  valid?: { arn: string; events: number };
  /** An API route: errors must be JSON. */
  api?: boolean;
}

/**
 * Sends up to `max` requests from `source`, CONCURRENCY at a time (the next one is made while
 * others are on the wire); a network error (reset, refused) is an outcome too.
 */
async function sendSome(source: AsyncIterator<FuzzRequest>, max: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let taken = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (taken < max) {
      taken++;
      const { value: req, done } = await source.next();
      if (done) return;
      try {
        const res = await fetch(server.url + req.url, { redirect: "manual", ...req.init, signal: AbortSignal.timeout(60_000) });
        out.push({ req, status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() });
      } catch (err) {
        out.push({ req, status: 0, type: "", body: `${(err as Error).message} ${String((err as { cause?: { code?: string } }).cause?.code ?? "")}` });
      }
    }
  }));
  return out;
}

/** What is wrong with an answer: a 5xx or no answer, an API error that is not JSON with a message, a page showing a server error. */
function problem(o: Outcome): string | null {
  const api = o.req.api !== false;
  if (o.status === 0) return `no answer: ${o.body}`;
  if (o.status >= 500) return `${o.status}: ${o.body.slice(0, 200)}`;
  if (o.status >= 300 && o.status < 400) return null;
  if (api && o.status >= 400) {
    if (!o.type.includes("application/json")) return `${o.status} with ${o.type}: ${o.body.slice(0, 120)}`;
    const error = (JSON.parse(o.body) as { error?: unknown }).error;
    if (typeof error !== "string" || error.trim() === "") return `${o.status} without an error message: ${o.body.slice(0, 200)}`;
  }
  // a page streams its status before rendering: a server error shows as the error boundary's digest
  if (!api && /digest\\?":\\?"\d+/.test(o.body)) return `${o.status} page rendered a server error`;
  return null;
}

/** The server answers a known-good request. */
async function assertAlive(after: string): Promise<void> {
  const res = await fetch(`${server.url}/api/executions/export?format=json`, { signal: AbortSignal.timeout(30_000) }).catch((err: Error) => err);
  expect(res instanceof Response && res.status, `the server did not answer after ${after}: ${res instanceof Error ? res.message : res.status}`).toBe(200);
  if (res instanceof Response) expect(Array.isArray(await res.json())).toBe(true);
}

/** Lines the server logged since `from` (an output length) for errors nobody handled (Next prints them with ⨯). */
function loggedErrors(from: number): string[] {
  return server.output().slice(from).split("\n").filter((l) => /⨯|unhandledRejection|uncaughtException|Error: |^\s+at /.test(l));
}

// ---------------------------------------------------------------- POST /api/import
const ORIGIN = () => ({ origin: server.origin, "sec-fetch-site": "same-origin" });
const NAMES = ["../../etc/passwd", "", "a".repeat(5000) + ".json", "naïve 💥.json", "a\u0000b.json", "x.json\r\nX-Injected: 1", "CON", ".json", "%2e%2e%2fx.json"];

function formWith(files: Array<{ text: string; name: string }>, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const f of files) form.append("file", new File([f.text], f.name, { type: "application/json" }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

/** A multipart body as bytes (so it can be cut or mislabelled), with its boundary. */
async function multipartBytes(form: FormData): Promise<{ bytes: Blob; type: string }> {
  const res = new Response(form);
  return { bytes: await res.blob(), type: res.headers.get("content-type") ?? "" };
}

async function* importRequests(count: number, r: () => number): AsyncGenerator<FuzzRequest> {
  const bases = historyBases();
  const names = Object.keys(HISTORY_MUTATIONS);
  const mutated = (i: number) => HISTORY_MUTATIONS[names[i % names.length]](clone(pick(r, bases)), r);
  const post = (label: string, body: BodyInit, headers: Record<string, string> = {}): FuzzRequest => ({ label, url: "/api/import", api: true, init: { method: "POST", body, headers: { ...ORIGIN(), ...headers } } });
  for (let i = 0; i < count; i++) {
    // a valid history between the broken ones, stored under its own ARN
    if (i % 10 === 0) {
      const doc = clone(pick(r, bases));
      const arn = `arn:aws:states:us-east-1:123456789012:execution:api-fuzz:valid-${SEED}-${i}`;
      const text = JSON.stringify({ ...doc, execution: { ...((doc.execution ?? {}) as Obj), executionArn: arn, name: `valid-${i}` } });
      yield { ...post(`valid #${i}`, formWith([{ text, name: `valid-${i}.json` }])), valid: { arn, events: parseHistoryDocument(text, "valid.json").events.length } };
    }
    const kind = i % 13;
    const label = `#${i} (${["file", "file", "file", "json body", "cut multipart", "mislabelled", "urlencoded", "odd names", "bad field", "many files", "bad + good", "10 MB", "deep"][kind]}, seed ${SEED})`;
    if (kind <= 2) yield post(`${label} ${names[i % names.length]}`, formWith([{ text: mutated(i), name: `m-${i}.json` }]));
    else if (kind === 3) yield post(label, mutated(i), { "content-type": pick(r, ["application/json", "text/plain", "application/octet-stream"]) });
    else if (kind === 4) {
      const { bytes, type } = await multipartBytes(formWith([{ text: mutated(i), name: `cut-${i}.json` }]));
      yield post(label, bytes.slice(0, Math.floor(r() * bytes.size)), { "content-type": type });
    } else if (kind === 5) {
      const { bytes, type } = await multipartBytes(formWith([{ text: JSON.stringify(pick(r, bases)), name: "ok.json" }]));
      const wrong = pick(r, ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=", `multipart/form-data; boundary=${"b".repeat(2000)}`, type.replace("boundary=", "boundary=x"), "application/json; charset=utf-16"]);
      yield post(label, bytes, { "content-type": wrong });
    } else if (kind === 6) yield post(label, new URLSearchParams({ file: mutated(i).slice(0, 100_000), stateMachine: "x" }));
    else if (kind === 7) yield post(label, formWith([{ text: mutated(i), name: pick(r, NAMES) }]));
    else if (kind === 8) {
      const field = pick(r, ["", " ", "s".repeat(81), "s".repeat(100_000), "'; DROP TABLE \"Execution\"; --", "\u0000", "💥"]);
      yield post(label, formWith([{ text: mutated(i), name: `f-${i}.json` }], { stateMachine: field, unknown: "x".repeat(1000) }));
    } else if (kind === 9) yield post(label, formWith(Array.from({ length: pick(r, [0, 201]) }, (_, k) => ({ text: "{}", name: `${k}.json` }))));
    else if (kind === 10) {
      // one broken file rejects the whole request: the valid one next to it must not be stored
      const doc = clone(pick(r, bases));
      const arn = `arn:aws:states:us-east-1:123456789012:execution:api-fuzz:rejected-${SEED}-${i}`;
      const good = JSON.stringify({ ...doc, execution: { ...((doc.execution ?? {}) as Obj), executionArn: arn } });
      yield post(`${label} ${arn}`, formWith([{ text: good, name: "good.json" }, { text: "{\"events\": [", name: "broken.json" }]));
    } else if (kind === 11) {
      // 10 MB strings a quarter of the time (they are slow to send), 1 MB otherwise
      const big = i % 52 === 11 ? BIG : BIG.slice(0, 1024 * 1024);
      const text = r() < 0.5 ? JSON.stringify({ events: [{ id: 1, type: "ExecutionStarted", timestamp: 1, previousEventId: 0, executionStartedEventDetails: { input: big } }] }) : JSON.stringify(big);
      yield post(label, formWith([{ text, name: "big.json" }]));
    } else {
      // as text: JSON.stringify itself cannot write values this deep
      const n = pick(r, [5000, 100_000]);
      const text = pick(r, ['{"a":'.repeat(n) + "1" + "}".repeat(n), "[".repeat(200_000), `{"events":${"[".repeat(n)}${"]".repeat(n)}}`, `{"events":[{"id":1,"type":"ExecutionStarted","timestamp":1,"previousEventId":0,"executionStartedEventDetails":{"input":${JSON.stringify(JSON.stringify(deep(2000)))}}}]}`]);
      yield post(label, formWith([{ text, name: "deep.json" }]));
    }
  }
  // a file over the 64 MiB limit, once
  yield { label: "65 MiB file", url: "/api/import", api: true, init: { method: "POST", body: formWith([{ text: "x".repeat(65 * 1024 * 1024), name: "huge.json" }]), headers: ORIGIN() } };
}

test("thousands of mutated imports: 2xx or 4xx with a JSON message, the server stays up, valid histories are stored whole", async () => {
  const logFrom = server.output().length;
  const r = rng(SEED);
  const requests = importRequests(1200, r);
  const bad: string[] = [];
  const statuses: Record<number, number> = {};
  const stored: Array<{ arn: string; events: number }> = [];
  for (let batch = 1, more = true; more; batch++) {
    const outcomes = await sendSome(requests, 100);
    more = outcomes.length === 100;
    for (const o of outcomes) {
      statuses[o.status] = (statuses[o.status] ?? 0) + 1;
      const p = problem(o);
      if (p) bad.push(`${o.req.label}: ${p}`);
      if (o.req.valid) {
        if (o.status === 200) stored.push(o.req.valid);
        else bad.push(`${o.req.label}: a valid history was refused: ${o.status} ${o.body.slice(0, 200)}`);
      }
    }
    await assertAlive(`import batch ${batch} (seed ${SEED})`);
  }
  process.stdout.write(`[api-fuzz] imports seed ${SEED}: ${JSON.stringify(statuses)}\n`);
  expect(bad, `${bad.slice(0, 20).join("\n")}\nserver log:\n${loggedErrors(logFrom).slice(0, 20).join("\n")}`).toEqual([]);
  expect(statuses[400]).toBeGreaterThan(100);
  expect(statuses[422]).toBeGreaterThan(100);
  expect(statuses[413]).toBe(1);
  expect(loggedErrors(logFrom), "errors the server logged").toEqual([]);

  // every valid history is stored whole: in the database, and as the API exports it
  const db = readDb();
  try {
    const lost: string[] = [];
    for (const { arn, events } of stored) {
      const row = db.prepare(`SELECT "id", "eventCount", (SELECT COUNT(*) FROM "HistoryEvent" h WHERE h."executionId" = e."id") AS "n" FROM "Execution" e WHERE "arn" = ?`).get(arn) as { id: number; eventCount: number; n: number } | undefined;
      if (!row || row.eventCount !== events || row.n !== events) lost.push(`${arn}: ${row ? `${row.n} events stored, eventCount ${row.eventCount}` : "missing"}, expected ${events}`);
      else if (arn.endsWith("00")) {
        const exported = (await (await fetch(`${server.url}/api/executions/${row.id}/export`)).json()) as { events: unknown[] };
        if (exported.events.length !== events) lost.push(`${arn}: the API exports ${exported.events.length} events, expected ${events}`);
      }
    }
    expect(stored.length).toBe(120);
    expect(lost).toEqual([]);
    // a request with a broken file stored nothing, not even its valid file
    expect(db.prepare(`SELECT COUNT(*) AS n FROM "Execution" WHERE "arn" LIKE ?`).get(`%:api-fuzz:rejected-${SEED}-%`)).toEqual({ n: 0 });
  } finally {
    db.close();
  }
}, 600_000);

// ---------------------------------------------------------------- GET routes
// Path segments are always valid percent-encoding: one Next cannot decode (%ZZ, %ED%A0%80) is
// answered by Next's router with its own 500 before any app code (or proxy.ts) runs, so those go
// in query strings, where the app reads them, and the last test only checks the server survives.
const VALUES = [
  "", " ", "-1", "0", "1.5", "1e21", "1e309", "-1e309", "NaN", "Infinity", "99999999999999999999", "9007199254740993", "0x10", "-0", "1e-400",
  "[]", "{}", "null", "true", "[object Object]", "%", "\u0000", "💥", "\u202e", "<script>alert(1)</script>", "../../etc/passwd", "2024-13-45T99:99:99Z",
  "9999-12-31T23:59:59Z", "-271821-04-20T00:00:00Z", "a,b,,c", "x".repeat(6000), "__proto__", "constructor", "FAILED,SUCCEEDED,NOPE", "7d", "0d", "-5d", "99999999d",
];
const RAW_QUERY_VALUES = ["%ZZ", "%ED%A0%80", "%C0%AF", "%", "%%", "%00", "a%2", "%F0%9F%92"];
const EXTRA_PARAMS = ["format", "event", "field", "gated", "tab", "visit", "n", "__proto__"];

function getRequests(count: number, r: () => number): FuzzRequest[] {
  const params = [...queryParameterNames(), ...EXTRA_PARAMS];
  const fill = (p: string) => (/id$/i.test(p) ? String(firstId) : "order-processing");
  const routes = appRoutes(fill).filter((x) => x.methods.includes("GET") && !x.path.startsWith("/login"));
  const dynamic = appRoutes((p) => `{${p}}`).filter((x) => x.methods.includes("GET") && x.path.includes("%7B"));
  const api = routes.filter((x) => x.path.startsWith("/api/"));
  const pages = routes.filter((x) => !x.path.startsWith("/api/"));
  const out: FuzzRequest[] = [];
  for (let i = 0; i < count; i++) {
    const label = `GET #${i} (seed ${SEED})`;
    // API routes most of the time; pages (slower to render) every third request
    const route = i % 3 === 2 ? pick(r, pages) : pick(r, api);
    let url = route.path;
    if (i % 5 === 4) {
      const d = pick(r, dynamic);
      url = d.path.replace(/%7B[^%]*%7D/g, () => encodeURIComponent(pick(r, VALUES)));
    }
    const query: string[] = [];
    for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
      const name = r() < 0.05 ? pick(r, VALUES) : pick(r, params);
      const value = r() < 0.15 ? pick(r, RAW_QUERY_VALUES) : encodeURIComponent(pick(r, VALUES));
      query.push(`${encodeURIComponent(name)}=${value}`);
      if (r() < 0.1) query.push(`${encodeURIComponent(name)}=${encodeURIComponent(pick(r, VALUES))}`); // repeated
    }
    out.push({ label: `${label} ${url.slice(0, 80)}?${query.join("&").slice(0, 160)}`, url: `${url}?${query.join("&")}`, api: url.startsWith("/api/") });
  }
  return out;
}

test("thousands of mutated query strings and path segments on every GET route: no server error", async () => {
  const logFrom = server.output().length;
  const r = rng(SEED + 1);
  const requests = getRequests(1800, r);
  const bad: string[] = [];
  const statuses: Record<number, number> = {};
  const source = requests[Symbol.iterator]();
  const asyncSource: AsyncIterator<FuzzRequest> = { next: async () => source.next() };
  for (let batch = 1, more = true; more; batch++) {
    const outcomes = await sendSome(asyncSource, 200);
    more = outcomes.length === 200;
    for (const o of outcomes) {
      statuses[o.status] = (statuses[o.status] ?? 0) + 1;
      const p = problem(o);
      if (p) bad.push(`${o.req.label}: ${p}`);
    }
    await assertAlive(`GET batch ${batch} (seed ${SEED})`);
  }
  process.stdout.write(`[api-fuzz] GET seed ${SEED}: ${JSON.stringify(statuses)}\n`);
  expect(bad, `${bad.slice(0, 20).join("\n")}\nserver log:\n${loggedErrors(logFrom).slice(0, 20).join("\n")}`).toEqual([]);
  expect(statuses[200]).toBeGreaterThan(500);
  expect(loggedErrors(logFrom), "errors the server logged").toEqual([]);
}, 600_000);

test("path segments Next cannot percent-decode do not take the server down", async () => {
  const urls = ["%ZZ", "%ED%A0%80", "%C0%AF", "%", "a%2"].flatMap((seg) => [`/executions/${seg}`, `/state-machines/${seg}`, `/api/executions/${seg}/events`, `/api/executions/${seg}/payload?event=1`]);
  const source = urls.map((url): FuzzRequest => ({ label: url, url }))[Symbol.iterator]();
  const outcomes = await sendSome({ next: async () => source.next() }, urls.length);
  // Next's router answers these itself (400, or 500 when it cannot render its error page for it)
  expect(outcomes.filter((o) => o.status === 0).map((o) => `${o.req.label}: ${o.body}`)).toEqual([]);
  await assertAlive("undecodable paths");
});
