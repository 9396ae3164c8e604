// Sync through injected faults (throttling, 500s, slow answers, connections cut mid-page, expired
// nextTokens) still ends complete and exact.
import { CreateStateMachineCommand,  GetExecutionHistoryCommand, type HistoryEvent as SdkEvent, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, toCliHistory } from "@/lib/history/parse";
import { createSfnClient } from "@/lib/sources/aws/client";
import { MemoryCursorStore } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { type AwsEndpoint } from "@/lib/server-aws/server";
import { loadHistory, type Store } from "@/lib/store";
import { passDefinition, ROLE_ARN, waitUntilClosed, startTestBed, type TestBed } from "./helpers";

describe("sync with faults injected", () => {
  let endpoint: AwsEndpoint;
  let admin: SFNClient;
  let store: Store;
  let bed: TestBed | undefined;

  beforeAll(async () => {
    ({ endpoint, admin, store } = bed = await startTestBed());
    const started: string[] = [];
    for (const [name, states] of [["small", 3], ["long", 520]] as const) {
      const arn = (await admin.send(new CreateStateMachineCommand({ name, definition: passDefinition(states), roleArn: ROLE_ARN }))).stateMachineArn!;
      for (let i = 0; i < (states > 100 ? 6 : 25); i++) started.push((await admin.send(new StartExecutionCommand({ stateMachineArn: arn, name: `${name}-${i}` }))).executionArn!);
    }
    await waitUntilClosed(admin, started);
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("ends complete and exact despite throttling, 500s, dropped connections and expired tokens", async () => {
    endpoint.faults.configure({ throttle: 0.04, error: 0.1, drop: 0.05, expireToken: 0.3, slow: 0.05, slowMs: 50, seed: 11 });
    const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
    const report = await syncAws({ client, sink: storeSink(store), cursors: new MemoryCursorStore(), concurrency: 4, backoff: { baseMs: 10, capMs: 200, attempts: 10 } });
    client.destroy();
    endpoint.faults.configure({});
    expect(report.failures).toEqual([]);
    const injected = endpoint.faults.injected;
    expect(injected.throttle + injected.error + injected.drop + injected.expireToken).toBeGreaterThan(5);
    expect(injected.expireToken).toBeGreaterThan(0);
    expect(await store.prisma.execution.count()).toBe(31);
    for (const entry of endpoint.sfn.registry.allExecutions()) {
      const raw: SdkEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await admin.send(new GetExecutionHistoryCommand({ executionArn: entry.executionArn, nextToken, maxResults: 1000 }));
        raw.push(...page.events!);
        nextToken = page.nextToken;
      } while (nextToken);
      const row = await store.prisma.execution.findUnique({ where: { arn: entry.executionArn } });
      expect(toCliHistory(await loadHistory(store.driver, row!.id))).toEqual(toCliHistory(readEvents(raw as unknown[], entry.executionArn)));
    }
  }, 120_000);
});
