// Several `statelens sync` workers on one database at once: they split the work per state machine
// through the SyncLease table, so every execution is stored once, exactly, and no history is
// fetched more often than one uninterrupted sync fetches it. And the lease rules themselves.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { CreateStateMachineCommand,  GetExecutionHistoryCommand, type HistoryEvent as SdkEvent, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, toCliHistory } from "@/lib/history/parse";
import { createSfnClient } from "@/lib/sources/aws/client";
import { MemoryCursorStore } from "@/lib/sources/aws/cursor-store";
import { storeLeases } from "@/lib/sources/aws/leases";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { loadHistory, openStore, releaseLease, renewLease, type Store, tryAcquireLease } from "@/lib/store";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import { bundleCli, runSync } from "./cli-process";
import { passDefinition, ROLE_ARN, sfnClient, TEST_CREDENTIALS, applyTestCredentials, waitUntilClosed } from "./helpers";

const pgReason = await postgresUnavailable();
const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
  ["sqlite", async () => sqliteDatabase(), null],
  ["postgres", postgresDatabase, pgReason],
];

const DMAP = JSON.stringify({
  StartAt: "Fan out",
  States: { "Fan out": { Type: "Map", Label: "fan", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Pass", End: true } } }, End: true } },
});
const WORKERS = 3;

const getCalls = (endpoint: AwsEndpoint) => endpoint.requestCounts.get("GetExecutionHistory") ?? 0;

async function endpointHistory(sfn: SFNClient, executionArn: string): Promise<unknown> {
  const raw: SdkEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    raw.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken);
  return toCliHistory(readEvents(raw as unknown[], executionArn));
}

for (const [dbName, makeDb, skipReason] of backends) {
  describe.skipIf(skipReason !== null)(`${WORKERS} sync workers on one ${dbName} database${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let endpoint: AwsEndpoint;
    let admin: SFNClient;
    let bundle: string;
    let db: TestDatabase;
    let store: Store;

    beforeAll(async () => {
      applyTestCredentials();
      [endpoint, bundle] = await Promise.all([startAwsEndpoint(), bundleCli()]);
      admin = sfnClient(endpoint.url);
      db = await makeDb();
      store = await openStore({ url: db.url });
      const started: string[] = [];
      for (const name of ["alpha", "bravo", "charlie", "delta"]) {
        const arn = (await admin.send(new CreateStateMachineCommand({ name, definition: passDefinition(3), roleArn: ROLE_ARN }))).stateMachineArn!;
        for (let i = 0; i < 12; i++) started.push((await admin.send(new StartExecutionCommand({ stateMachineArn: arn, name: `${name}-${i}`, input: JSON.stringify({ i }) }))).executionArn!);
      }
      const fan = (await admin.send(new CreateStateMachineCommand({ name: "fan", definition: DMAP, roleArn: ROLE_ARN }))).stateMachineArn!;
      started.push((await admin.send(new StartExecutionCommand({ stateMachineArn: fan, name: "f-0", input: JSON.stringify([1, 2, 3, 4]) }))).executionArn!);
      await waitUntilClosed(admin, started);
    });
    afterAll(async () => {
      admin?.destroy();
      await endpoint?.close();
      await store?.close();
      await db?.drop();
      if (bundle) fs.rmSync(bundle, { force: true });
    });

    it("split the state machines, store every execution once and exactly, and fetch no history twice", async () => {
      // What one uninterrupted sync needs, measured on a scratch database.
      const scratch = sqliteDatabase();
      const scratchStore = await openStore({ url: scratch.url });
      const before = getCalls(endpoint);
      const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
      const single = await syncAws({ client, sink: storeSink(scratchStore), cursors: new MemoryCursorStore(), endpointKey: endpoint.url });
      client.destroy();
      await scratchStore.close();
      await scratch.drop();
      const singleCalls = getCalls(endpoint) - before;
      expect(single.failures).toEqual([]);
      expect(single.fetched).toBe(4 * 12 + 1 + 4);
      expect(singleCalls).toBe(single.fetched);

      // Slow histories so that the workers overlap: each state machine takes a while.
      endpoint.faults.configure({ slow: 1, slowMs: 200, operations: ["GetExecutionHistory"] });
      const start = getCalls(endpoint);
      const env = { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: "us-east-1", DATABASE_URL: db.url };
      const results = await Promise.all(Array.from({ length: WORKERS }, () => runSync(bundle, ["--endpoint-url", endpoint.url, "--quiet"], env).done));
      endpoint.faults.configure({});
      const workerCalls = getCalls(endpoint) - start;
      for (const r of results) expect(r.code, r.stderr).toBe(0);

      // No duplicated work: together no more histories than one sync fetches.
      expect(workerCalls).toBeLessThanOrEqual(singleCalls);
      // The work was split: more than one worker stored executions.
      const news = results.map((r) => Number(/: (\d+) new,/.exec(r.stdout)?.[1] ?? "NaN"));
      expect(news.reduce((a, b) => a + b, 0), results.map((r) => r.stdout).join("\n")).toBe(single.fetched);
      expect(news.filter((n) => n > 0).length, results.map((r) => r.stdout).join("\n")).toBeGreaterThan(1);

      // Every execution once, equal to GetExecutionHistory.
      const arns = [...endpoint.sfn.registry.allExecutions()].filter((e) => e.type !== "EXPRESS").map((e) => e.executionArn);
      const rows = await store.prisma.execution.findMany({ select: { id: true, arn: true } });
      expect(rows.map((r) => r.arn).sort()).toEqual([...arns].sort());
      for (const row of rows) expect(toCliHistory(await loadHistory(store.driver, row.id)), row.arn).toEqual(await endpointHistory(admin, row.arn));
      // Leases given back, cursors written once per state machine.
      expect(await store.prisma.syncLease.count()).toBe(0);
      expect(await store.prisma.syncCursor.count({ where: { source: "aws", endpoint: endpoint.url } })).toBe(5);
    }, 120_000);

    it("a second owner cannot take a live lease, can take an expired one, and the first then loses it", async () => {
      const key = { source: "aws", endpoint: "http://leases.test", scope: "arn:aws:states:us-east-1:123456789012:stateMachine:leased" };
      expect(await tryAcquireLease(store, key, "a", 60_000)).toBe(true);
      expect(await tryAcquireLease(store, key, "b", 60_000)).toBe(false);
      expect(await tryAcquireLease(store, key, "a", 60_000)).toBe(true);
      expect(await renewLease(store, key, "b", 60_000)).toBe(false);
      expect(await renewLease(store, key, "a", 60_000)).toBe(true);
      await releaseLease(store, key, "b");
      expect(await tryAcquireLease(store, key, "b", 60_000)).toBe(false);
      // Released: free for anyone.
      await releaseLease(store, key, "a");
      expect(await tryAcquireLease(store, key, "b", 60_000)).toBe(true);
      await releaseLease(store, key, "b");
      // Expired (a crashed worker): taken over; the old owner can neither renew nor release it.
      expect(await tryAcquireLease(store, key, "a", 50)).toBe(true);
      expect(await tryAcquireLease(store, key, "b", 60_000)).toBe(false);
      await new Promise((r) => setTimeout(r, 150));
      expect(await tryAcquireLease(store, key, "b", 60_000)).toBe(true);
      expect(await renewLease(store, key, "a", 60_000)).toBe(false);
      await releaseLease(store, key, "a");
      expect(await store.prisma.syncLease.findUnique({ where: { source_endpoint_scope: key } })).toMatchObject({ owner: "b" });
      await releaseLease(store, key, "b");
      expect(await store.prisma.syncLease.count({ where: key })).toBe(0);
    });

    it("a lease of a process of this host that is gone is taken at once; a live or remote one is not", async () => {
      const key = { source: "aws" as const, endpoint: "http://leases.test", scope: "killed-worker" };
      const gonePid = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
      const leases = storeLeases(store);
      for (const holder of [`${os.hostname()}:${process.ppid}:live`, `another-host.example:${gonePid}:remote`]) {
        expect(await tryAcquireLease(store, key, holder, 60_000)).toBe(true);
        expect(await leases.tryAcquire(key), holder).toBe(false);
        await releaseLease(store, key, holder);
      }
      expect(await tryAcquireLease(store, key, `${os.hostname()}:${gonePid}:killed`, 60_000)).toBe(true);
      expect(await leases.tryAcquire(key)).toBe(true);
      expect(await store.prisma.syncLease.findUnique({ where: { source_endpoint_scope: key } })).toMatchObject({ owner: leases.owner });
      await leases.release(key);
    });

    it("exactly one of many store handles racing for a free or an expired lease gets it", async () => {
      const handles = await Promise.all(Array.from({ length: 6 }, () => openStore({ url: db.url, migrate: false })));
      try {
        for (const scope of ["race-free", "race-expired"]) {
          const key = { source: "aws", endpoint: "http://leases.test", scope };
          if (scope === "race-expired") {
            expect(await tryAcquireLease(store, key, "crashed", 1)).toBe(true);
            await new Promise((r) => setTimeout(r, 50));
          }
          const won = await Promise.all(handles.map((h, i) => tryAcquireLease(h, key, `worker-${i}`, 60_000)));
          expect(won.filter(Boolean), scope).toHaveLength(1);
          const row = await store.prisma.syncLease.findUnique({ where: { source_endpoint_scope: key } });
          expect(row?.owner).toBe(`worker-${won.indexOf(true)}`);
        }
      } finally {
        await Promise.all(handles.map((h) => h.close()));
      }
    });
  });
}
