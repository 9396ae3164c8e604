// The real path: unmodified SDK clients against the local endpoint on 127.0.0.1, syncing into
// real databases; what is stored must equal what the endpoint reports.
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent as SdkEvent, ListExecutionsCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, toCliHistory } from "@/lib/history/parse";
import { MemoryCursorStore, storeCursors } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { createSfnClient } from "@/lib/sources/aws/client";
import { loadHistory, type Store } from "@/lib/store";
import { type AwsEndpoint } from "@/lib/server-aws/server";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import { passDefinition, ROLE_ARN, waitFor, waitUntilClosed, startTestBed, type TestBed } from "./helpers";

const pgReason = await postgresUnavailable();
const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
  ["sqlite", async () => sqliteDatabase(), null],
  ["postgres", postgresDatabase, pgReason],
];

const CHOICE_FAIL = JSON.stringify({
  StartAt: "Check",
  States: {
    Check: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Done" }], Default: "Broken" },
    Done: { Type: "Succeed" },
    Broken: { Type: "Fail", Error: "Order.Invalid", Cause: "not ok" },
  },
});
const DMAP = JSON.stringify({
  StartAt: "Fan out",
  States: { "Fan out": { Type: "Map", Label: "fan", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Pass", End: true } } }, End: true } },
});

/** Every execution the endpoint has (Map Run children included), with its history as the SDK returns it. */
async function endpointHistories(sfn: SFNClient, endpoint: AwsEndpoint): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const entry of endpoint.sfn.registry.allExecutions()) {
    if (entry.type === "EXPRESS") continue;
    const raw: SdkEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: entry.executionArn, nextToken, maxResults: 1000 }));
      raw.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    out.set(entry.executionArn, toCliHistory(readEvents(raw as unknown[], entry.executionArn)));
  }
  return out;
}

async function storedHistories(store: Store): Promise<Map<string, unknown>> {
  const rows = await store.prisma.execution.findMany({ select: { id: true, arn: true } });
  const out = new Map<string, unknown>();
  for (const r of rows) out.set(r.arn, toCliHistory(await loadHistory(store.driver, r.id)));
  return out;
}

for (const [dbName, makeDb, skipReason] of backends) {
  describe.skipIf(skipReason !== null)(`sync from the local endpoint into ${dbName}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let endpoint: AwsEndpoint;
    let admin: SFNClient;
    let store: Store;
    let bed: TestBed | undefined;

    beforeAll(async () => {
      ({ endpoint, admin, store } = bed = await startTestBed(await makeDb()));
      const orders = (await admin.send(new CreateStateMachineCommand({ name: "orders", definition: passDefinition(4), roleArn: ROLE_ARN }))).stateMachineArn!;
      const checks = (await admin.send(new CreateStateMachineCommand({ name: "checks", definition: CHOICE_FAIL, roleArn: ROLE_ARN }))).stateMachineArn!;
      const fan = (await admin.send(new CreateStateMachineCommand({ name: "fan", definition: DMAP, roleArn: ROLE_ARN }))).stateMachineArn!;
      const started: string[] = [];
      for (let i = 0; i < 12; i++) started.push((await admin.send(new StartExecutionCommand({ stateMachineArn: orders, name: `o-${i}`, input: JSON.stringify({ i }) }))).executionArn!);
      for (let i = 0; i < 4; i++) started.push((await admin.send(new StartExecutionCommand({ stateMachineArn: checks, name: `c-${i}`, input: JSON.stringify({ ok: i % 2 === 0 }) }))).executionArn!);
      started.push((await admin.send(new StartExecutionCommand({ stateMachineArn: fan, name: "f-0", input: JSON.stringify([1, 2, 3, 4]) }))).executionArn!);
      await waitUntilClosed(admin, started);
    });
    afterAll(async () => {
      await bed?.close();
    });

    it("stores every execution exactly as GetExecutionHistory returns it", async () => {
      const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
      const report = await syncAws({ client, sink: storeSink(store), cursors: new MemoryCursorStore(), endpointKey: endpoint.url });
      client.destroy();
      expect(report.failures).toEqual([]);
      expect(report.stateMachines.map((s) => [s.name, s.fetched, s.listed])).toEqual([["checks", 4, 4], ["fan", 5, 1], ["orders", 12, 12]]);
      const expected = await endpointHistories(admin, endpoint);
      expect(expected.size).toBe(12 + 4 + 1 + 4);
      const stored = await storedHistories(store);
      expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [arn, history] of expected) expect(stored.get(arn), arn).toEqual(history);
    });

    it("records the definition, the Map Run and the parent of each child", async () => {
      const child = await store.prisma.execution.findFirst({ where: { mapRunArn: { not: null } }, include: { version: true, stateMachine: true } });
      expect(child?.parentArn).toBe("arn:aws:states:us-east-1:123456789012:execution:fan:f-0");
      expect(child?.stateMachine.arn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:fan/fan");
      const runs = await store.prisma.mapRun.findMany();
      expect(runs).toEqual([expect.objectContaining({ arn: child?.mapRunArn, executionArn: child?.parentArn, status: "SUCCEEDED", stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:fan/fan" })]);
      expect(JSON.parse(runs[0].itemCounts!)).toMatchObject({ total: 4, succeeded: 4 });
      const failed = await store.prisma.execution.findUnique({ where: { arn: "arn:aws:states:us-east-1:123456789012:execution:checks:c-1" }, include: { version: true } });
      expect(failed).toMatchObject({ status: "FAILED", error: "Order.Invalid" });
      expect(failed?.version?.definition).toBe(CHOICE_FAIL);
    });

    it("fetches nothing the second time", async () => {
      const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
      const report = await syncAws({ client, sink: storeSink(store), cursors: new MemoryCursorStore(), endpointKey: endpoint.url });
      client.destroy();
      expect(report).toMatchObject({ fetched: 0, failures: [] });
      expect(report.apiCalls.GetExecutionHistory ?? 0).toBe(0);
    });

    it("picks up only new executions, and stops listing at the cursor kept in the store", async () => {
      const cursors = storeCursors(store);
      const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
      await syncAws({ client, sink: storeSink(store), cursors, endpointKey: endpoint.url, consistencyMarginMs: 0 });
      const orders = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";
      const { executionArn } = await admin.send(new StartExecutionCommand({ stateMachineArn: orders, name: "o-late" }));
      await waitFor(async () => (await admin.send(new DescribeExecutionCommand({ executionArn }))).status !== "RUNNING");
      const report = await syncAws({ client, sink: storeSink(store), cursors, endpointKey: endpoint.url, consistencyMarginMs: 0, stateMachines: ["orders"] });
      client.destroy();
      expect(report).toMatchObject({ fetched: 1, created: 1 });
      expect(report.stateMachines[0].listed).toBeLessThan(3);
      expect(await store.prisma.syncCursor.count({ where: { source: "aws", endpoint: endpoint.url } })).toBe(3);
      const listedOnEndpoint = await admin.send(new ListExecutionsCommand({ stateMachineArn: orders }));
      expect(await store.prisma.execution.count({ where: { stateMachine: { arn: orders } } })).toBe(listedOnEndpoint.executions!.length);
    });
  });
}
