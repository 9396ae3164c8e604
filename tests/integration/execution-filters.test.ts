// The executions list's failed-state filter and `$.path = value` search, which use indexes
// (StateVisit (stateName, status); on PostgreSQL the GIN index on the parsed input), give the
// same executions as the plain predicates written here, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoIngestInput, generateDemo } from "@/lib/sources/demo/generate";
import { ingestExecution, openStore, type Store } from "@/lib/store";
import { containmentProbes, searchExecutions } from "@/lib/store/queries/executions";
import { passChain } from "../fixtures/histories";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../helpers/databases";

const pgReason = await postgresUnavailable();
const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
  ["sqlite", async () => sqliteDatabase(), null],
  ["postgres", postgresDatabase, pgReason],
];

const INPUTS = [
  `{"orderId":"A-1"}`, `{"orderId":"A-2","n":42}`, `{"n":42.0}`, `{"n":4.2e1}`, `{"n":"42"}`, `{"n":42}`, `{"flag":true}`, `{"flag":"true"}`,
  `{"customer":{"id":"C-1"}}`, `{"customer":{"id":"C-1","x":1},"orderId":"A-1"}`, `{"items":[{"sku":"S-1"},{"sku":"S-2"}]}`, `[1,2]`, `plain text`,
  `{"orderId":"\\u00e9t\\u00e9"}`, `{"orderId":"été"}`, `  {"o":{"p":{"q":"deep"}}}`, `{"big":12345678901234567890}`, `{"orderId":"A-1","orderId":"A-9"}`,
  `{"orderId":{"a":1}}`, `{"orderId":null}`, `{"s":"a\\"b"}`,
];
const SEARCHES = [
  `$.orderId = "A-1"`, `$.orderId = A-2`, `$.n = 42`, `$.n = "42"`, `$.n = 42.0`, `$.flag = true`, `$.flag = "true"`, `$.customer.id = "C-1"`,
  `$.items[1].sku = "S-2"`, `$.orderId = "été"`, `$.o.p.q = deep`, `$.big = 12345678901234567890`, `$.orderId != "A-1"`, `$.orderId = "A-9"`,
  `$.orderId = '{"a": 1}'`, `$.orderId = null`, `$.s = 'a"b'`, `$.missing = "x"`,
];

describe("containment probes", () => {
  it("cover every JSON value whose text is the one searched for", () => {
    expect(containmentProbes("$.n", ["n"], "42")).toEqual([`{"n":"42"}`, `{"n":42}`]);
    expect(containmentProbes("$.a.b", ["a", "b"], "true")).toEqual([`{"a":{"b":"true"}}`, `{"a":{"b":true}}`]);
    expect(containmentProbes("$.big", ["big"], "12345678901234567890")).toEqual([`{"big":"12345678901234567890"}`, `{"big":12345678901234567890}`]);
    expect(containmentProbes("$.items[1].sku", ["items", "1", "sku"], "S-2")).toBeNull();
    expect(containmentProbes("$.o", ["o"], `{"a": 1}`)).toBeNull();
  });
});

for (const [name, makeDb, skipReason] of backends) {
  describe.skipIf(skipReason !== null)(`execution filters on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let db: TestDatabase;
    let store: Store;
    const END = Date.parse("2026-06-30T21:00:00Z");
    const range = { from: END - 10 * 86_400_000, to: END + 86_400_000 };
    const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id).sort((a, b) => a - b);
    const list = async (filter: Parameters<typeof searchExecutions>[1]) => {
      const r = await searchExecutions(store, { ...range, pageSize: 10_000, ...filter });
      expect(r.rows).toHaveLength(r.total);
      return ids(r.rows);
    };

    beforeAll(async () => {
      db = await makeDb();
      store = await openStore({ url: db.url });
      await generateDemo({
        days: 3,
        scale: 0.3,
        endTime: END,
        onRun: async (run) => void (await ingestExecution(store.driver, demoIngestInput(run))),
      });
      const events = passChain().events.map((e) => ({ ...e, timestamp: e.timestamp - Date.parse("2026-03-01T12:00:00.000Z") + END - 3_600_000 }));
      for (const [i, input] of INPUTS.entries()) {
        await ingestExecution(store.driver, { events, source: "file", execution: { executionArn: `arn:aws:states:us-east-1:1:execution:search:in-${i}`, input } });
      }
      // Still running: no duration (the one nullable sort column).
      await ingestExecution(store.driver, { events: events.slice(0, 2), source: "aws", execution: { executionArn: `arn:aws:states:us-east-1:1:execution:search:running` } });
    }, 180_000);
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it("failed state: the executions that failed there or have a failed or caught visit of it", async () => {
      const states = (await store.driver.all<{ s: string }>(`SELECT DISTINCT "stateName" AS "s" FROM "StateVisit" UNION SELECT DISTINCT "failedState" FROM "Execution" WHERE "failedState" IS NOT NULL`)).map((r) => r.s);
      expect(states.length).toBeGreaterThan(5);
      let nonEmpty = 0;
      for (const state of states) {
        const expected = await store.driver.all<{ id: unknown }>(
          `SELECT e."id" FROM "Execution" e WHERE e."startDate" >= ? AND e."startDate" < ?
             AND (e."failedState" = ? OR EXISTS (SELECT 1 FROM "StateVisit" fv WHERE fv."executionId" = e."id" AND fv."stateName" = ? AND fv."status" IN ('FAILED', 'CAUGHT')))`,
          [store.driver.kind === "sqlite" ? range.from : new Date(range.from).toISOString(), store.driver.kind === "sqlite" ? range.to : new Date(range.to).toISOString(), state, state],
        );
        const got = await list({ failedState: state });
        expect(got, state).toEqual(ids(expected.map((r) => ({ id: Number(r.id) }))));
        if (got.length) nonEmpty++;
      }
      expect(nonEmpty).toBeGreaterThan(2);
    });

    if (name === "postgres") it("$.path = value: the executions whose input has that value there (the plain #>> comparison)", async () => {
      let matched = 0;
      for (const q of SEARCHES) {
        const got = await list({ q });
        // The comparison exactly as it was before the index: every input parsed, no prefilter.
        const m = /^(\$\S*)\s*(!=|=)\s*(.+)$/.exec(q)!;
        const keys = m[1].slice(1).match(/\.[^.[]+|\[\d+\]/g)!.map((p) => (p.startsWith("[") ? p.slice(1, -1) : p.slice(1)));
        const raw = m[3].trim();
        const value = /^(".*"|'.*')$/.test(raw) ? raw.slice(1, -1) : raw === "null" ? null : /^-?\d+(\.\d+)?$/.test(raw) ? String(Number(raw)) : raw;
        const expected = await store.driver.all<{ id: unknown }>(
          `SELECT e."id" FROM "Execution" e WHERE e."startDate" >= ? AND e."startDate" < ?
             AND (CASE WHEN e."input" ~ '^\\s*[{\\[]' THEN (e."input"::jsonb #>> ?::text[]) END ${m[2] === "=" ? "=" : "<>"} ?)`,
          [new Date(range.from).toISOString(), new Date(range.to).toISOString(), `{${keys.join(",")}}`, value],
        );
        expect(got, q).toEqual(ids(expected.map((r) => ({ id: Number(r.id) }))));
        if (got.length) matched++;
      }
      expect(matched).toBeGreaterThan(10);
    });

    it("sorts by every numeric column both ways, no duration counting as the smallest, then by id", async () => {
      for (const sort of ["startDate", "durationMs", "eventCount", "transitions", "retries"] as const) {
        for (const dir of ["asc", "desc"] as const) {
          const { rows, total } = await searchExecutions(store, { ...range, sort, dir, pageSize: 10_000 });
          expect(rows).toHaveLength(total);
          const key = (r: (typeof rows)[number]) => (r[sort] === null ? -Infinity : r[sort]!);
          const sorted = [...rows].sort((a, b) => (dir === "asc" ? 1 : -1) * (key(a) - key(b) || a.id - b.id));
          expect(rows.map((r) => r.id), `${sort} ${dir}`).toEqual(sorted.map((r) => r.id));
          if (sort === "durationMs") expect(rows.some((r) => r.durationMs === null)).toBe(true);
        }
      }
      const page2 = await searchExecutions(store, { ...range, pageSize: 7, page: 2 });
      const all = await searchExecutions(store, { ...range, pageSize: 10_000 });
      expect(page2.rows.map((r) => r.id)).toEqual(all.rows.slice(7, 14).map((r) => r.id));
    });

    if (name === "postgres") it("the search's index is in place", async () => {
      const rows = await store.driver.all<{ indexdef: string }>(`SELECT "indexdef" FROM pg_indexes WHERE "indexname" = 'Execution_input_json_idx'`);
      expect(rows[0]?.indexdef).toContain("statelens_json_or_null");
    });
  });
}
