// A local engine run stored with its Distributed Map children and Map Runs (what `statelens run
// --db` does), on SQLite and PostgreSQL: every child is an execution of the labelled child state
// machine, linked to its parent and Map Run, and storing the run again changes nothing.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runExecution } from "@/lib/engine/execution";
import { storeEngineRun } from "@/lib/sources/engine/store-run";
import { openStore, type Store } from "@/lib/store";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../helpers/databases";
import { ROOT } from "../e2e/server";

const pgReason = await postgresUnavailable();

const DEFINITION = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Result: { batches: [[1, 2], [3], [4, 5, 6]] }, Next: "Outer" },
    Outer: {
      Type: "Map", Label: "outer", ItemsPath: "$.batches", MaxConcurrency: 2, ToleratedFailureCount: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: "Inner",
        States: {
          Inner: {
            Type: "Map", Label: "inner",
            ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "Double", States: { Double: { Type: "Pass", End: true } } },
            End: true,
          },
        },
      },
      End: true,
    },
  },
};

const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
  ["SQLite", async () => sqliteDatabase(), null],
  ["PostgreSQL", postgresDatabase, pgReason],
];

for (const [name, makeDb, skip] of backends) {
  describe.skipIf(skip !== null)(`engine run stored with its Map Runs (${name})${skip ? ` (skipped: ${skip})` : ""}`, () => {
    let db: TestDatabase;
    let store: Store;
    let handle: Awaited<ReturnType<typeof runExecution>>;
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    test("parent, children of both levels and their Map Runs are stored and linked", async () => {
      db = await makeDb();
      store = await openStore({ url: db.url });
      handle = await runExecution({ definition: DEFINITION as never, input: {}, name: "nested" });
      expect((await handle.result()).status).toBe("SUCCEEDED");
      const text = JSON.stringify(DEFINITION);
      const outcomes = await storeEngineRun(store, handle, text);
      // 1 parent + 3 outer children + 6 inner children (one per item of each batch)
      expect(outcomes).toHaveLength(10);
      expect(outcomes.every((o) => o.outcome === "created")).toBe(true);

      const executions = await store.prisma.execution.findMany({ include: { stateMachine: true, version: true } });
      expect(executions).toHaveLength(10);
      const parent = executions.find((e) => e.arn === handle.executionArn);
      expect(parent?.parentArn).toBeNull();
      const outerRun = handle.mapRuns[0];
      const outerChildren = executions.filter((e) => e.mapRunArn === outerRun.mapRunArn);
      expect(outerChildren).toHaveLength(3);
      expect(outerChildren.every((e) => e.parentArn === handle.executionArn)).toBe(true);
      expect(outerChildren.every((e) => e.stateMachine.arn.endsWith("/outer"))).toBe(true);
      // A child's definition is the Map's ItemProcessor, without its ProcessorConfig.
      expect(JSON.parse(outerChildren[0].version?.definition ?? "{}")).toEqual({ StartAt: "Inner", States: DEFINITION.States.Outer.ItemProcessor.States });
      const innerChildren = executions.filter((e) => e.stateMachine.arn.endsWith("/inner"));
      expect(innerChildren).toHaveLength(6);
      expect(innerChildren.every((e) => outerChildren.some((o) => o.arn === e.parentArn))).toBe(true);
      expect(innerChildren.every((e) => e.stateMachine.type === "EXPRESS")).toBe(true);

      const runs = await store.prisma.mapRun.findMany({ orderBy: { arn: "asc" } });
      expect(runs).toHaveLength(1 + 3);
      const outer = runs.find((r) => r.arn === outerRun.mapRunArn);
      expect(outer).toMatchObject({ executionArn: handle.executionArn, status: "SUCCEEDED", maxConcurrency: 2, toleratedFailureCount: 1 });
      expect(JSON.parse(outer?.itemCounts ?? "{}")).toMatchObject({ total: 3, succeeded: 3, failed: 0, pending: 0 });
      const started = handle.events.find((e) => e.type === "MapRunStarted");
      expect(outer?.startDate.getTime()).toBe(started?.timestamp);
      expect(outer?.stopDate?.getTime()).toBe(handle.events.find((e) => e.type === "MapRunSucceeded")?.timestamp);
      const innerTotals = runs.filter((r) => r.arn !== outerRun.mapRunArn).map((r) => JSON.parse(r.itemCounts ?? "{}").total).sort();
      expect(innerTotals).toEqual([1, 2, 3]);
    });

    test("storing the same run again changes nothing", async () => {
      const outcomes = await storeEngineRun(store, handle, JSON.stringify(DEFINITION));
      expect(outcomes.map((o) => o.outcome)).toEqual(new Array(10).fill("unchanged"));
      expect(await store.prisma.execution.count()).toBe(10);
      expect(await store.prisma.mapRun.count()).toBe(4);
    });
  });
}

test("statelens run --db stores the run with its children and Map Runs, and the dashboard's store sees them", async () => {
  const db = sqliteDatabase();
  const dir = path.dirname(db.url.slice("file:".length));
  const definitionFile = path.join(dir, "nested.json");
  fs.writeFileSync(definitionFile, JSON.stringify(DEFINITION));
  try {
    const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "statelens"), "run", definitionFile, "--db", "--name", "from-cli"], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url }, encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "SUCCEEDED" });
    const store = await openStore({ url: db.url });
    try {
      const parent = await store.prisma.execution.findFirst({ where: { name: "from-cli" } });
      expect(parent?.status).toBe("SUCCEEDED");
      expect(await store.prisma.execution.count({ where: { parentArn: parent?.arn } })).toBe(3);
      expect(await store.prisma.execution.count()).toBe(10);
      expect(await store.prisma.mapRun.count({ where: { executionArn: parent?.arn } })).toBe(1);
    } finally {
      await store.close();
    }
  } finally {
    await db.drop();
  }
});
