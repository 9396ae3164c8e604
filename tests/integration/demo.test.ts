// The demo month is built by the real engine and stored through the real store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCliHistory, parseHistoryDocument } from "@/lib/history/parse";
import { demoIngestInput, generateDemo } from "@/lib/sources/demo/generate";
import { DEMO_WORKFLOWS } from "@/lib/sources/demo/workflows";
import { validateDefinition } from "@/lib/asl/validate";
import { ingestExecution, loadHistory, openStore, type Store } from "@/lib/store";
import { sqliteDatabase, type TestDatabase } from "../helpers/databases";

describe("demo data", () => {
  let db: TestDatabase;
  let store: Store;
  let generated: { executions: number; events: number };
  beforeAll(async () => {
    db = sqliteDatabase();
    store = await openStore({ url: db.url });
    generated = await generateDemo({
      days: 20,
      scale: 0.5,
      endTime: Date.parse("2026-06-30T23:00:00Z"),
      onRun: async (run) => void (await ingestExecution(store.driver, demoIngestInput(run))),
    });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("has only valid definitions", () => {
    for (const w of DEMO_WORKFLOWS) for (const v of w.definitions) expect(validateDefinition(v.definition), w.name).toEqual([]);
  });

  it("stores every generated execution", async () => {
    expect(generated.executions).toBeGreaterThan(300);
    expect(await store.prisma.execution.count()).toBe(generated.executions);
    expect(await store.prisma.historyEvent.count()).toBe(generated.events);
  });

  it("runs every workflow, with successes and realistic failures", async () => {
    const rows = await store.prisma.execution.findMany({ select: { status: true, error: true, retries: true, stateMachine: { select: { name: true } } } });
    const names = new Set(rows.map((r) => r.stateMachine.name));
    expect([...names].sort()).toEqual(DEMO_WORKFLOWS.map((w) => w.name).sort());
    const failed = rows.filter((r) => r.status === "FAILED");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length / rows.length).toBeLessThan(0.2);
    // No failure comes from a broken demo definition: those would be States.Runtime.
    expect(failed.filter((r) => r.error === "States.Runtime")).toEqual([]);
    expect(rows.some((r) => r.retries > 0)).toBe(true);
  });

  it("switches order-processing to its second version mid-month", async () => {
    const sm = await store.prisma.stateMachine.findFirstOrThrow({ where: { name: "order-processing" }, include: { versions: true } });
    expect(sm.versions).toHaveLength(2);
  });

  it("stores histories that read back as AWS prints them", async () => {
    const some = await store.prisma.execution.findMany({ take: 25, orderBy: { id: "asc" } });
    for (const e of some) {
      const events = await loadHistory(store.driver, e.id);
      const again = parseHistoryDocument(JSON.stringify(toCliHistory(events)), e.name).events;
      expect(again).toEqual(events);
    }
  });
});
