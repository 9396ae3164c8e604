// SQL metacharacters in every query parameter the pages and route handlers read (found in
// app/ at test time) and in every dynamic path segment: no 500, no change to the database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { importDocuments } from "../../e2e/server";
import { demoDocuments } from "../../fixtures/demo-histories";
import { appRoutes, queryParameterNames } from "./routes";
import { type RunningServer, startServer } from "./server";

const TOKEN = "query-injection-token-0123456789";
const PAYLOADS = [
  `' OR '1'='1`,
  `"; DROP TABLE "Execution"; --`,
  `1) UNION SELECT "arn", "input" FROM "Execution" --`,
  `%' AND 1=(SELECT COUNT(*) FROM sqlite_master) AND '%'='`,
  `\\'; SELECT pg_sleep(10); --`,
  `_%[]^$.*?{}()|\\/\u0000`,
];

let dir: string;
let dbFile: string;
let server: RunningServer;
let counts: Record<string, number>;

function tableCounts(): Record<string, number> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const tables = db.prepare(`SELECT "name" FROM sqlite_master WHERE "type" = 'table'`).all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-sqli-"));
  dbFile = importDocuments(demoDocuments({ orders: 12, nightly: 4, thumbnails: 6, days: 5 }), dir);
  counts = tableCounts();
  server = await startServer(dbFile, { STATELENS_AUTH: `token:${TOKEN}` });
}, 900_000);
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function getAll(urls: string[], concurrency = 4): Promise<Array<{ url: string; status: number; ms: number }>> {
  const out: Array<{ url: string; status: number; ms: number }> = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < urls.length) {
      const url = urls[next++];
      const t = performance.now();
      const res = await fetch(server.url + url, { headers: { authorization: `Bearer ${TOKEN}` }, redirect: "manual" });
      await res.arrayBuffer();
      out.push({ url, status: res.status, ms: performance.now() - t });
    }
  }));
  return out;
}

test("the parameter walk finds the list filters", () => {
  expect(queryParameterNames()).toEqual(expect.arrayContaining(["status", "q", "stateMachine", "sort", "page"]));
});

test("metacharacters in every query parameter of every page and GET route are harmless", async () => {
  const params = queryParameterNames();
  const firstId = (new Database(dbFile, { readonly: true }).prepare(`SELECT MIN("id") AS id FROM "Execution"`).get() as { id: number }).id;
  const targets = appRoutes((p) => (/id$/i.test(p) ? String(firstId) : "orders")).filter((r) => r.methods.includes("GET") && !r.path.startsWith("/login"));
  const urls = targets.flatMap((r) => params.flatMap((p) => PAYLOADS.map((v) => `${r.path}?${new URLSearchParams({ [p]: v })}`)));
  const results = await getAll(urls);
  const failed = results.filter((r) => r.status >= 500);
  expect(failed, failed.slice(0, 5).map((f) => `${f.status} ${f.url}`).join("\n")).toEqual([]);
  // pg_sleep or a runaway query would show as a slow answer
  expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(8000);
  expect(tableCounts()).toEqual(counts);
}, 600_000);

test("metacharacters in dynamic path segments are harmless", async () => {
  const urls = PAYLOADS.flatMap((v) => appRoutes(() => v).filter((r) => r.methods.includes("GET") && /\[/.test(r.file)).map((r) => r.path));
  const results = await getAll(urls);
  const failed = results.filter((r) => r.status >= 500);
  expect(failed, failed.slice(0, 5).map((f) => `${f.status} ${f.url}`).join("\n")).toEqual([]);
  expect(tableCounts()).toEqual(counts);
}, 300_000);
