// --since bounds the first sync: executions that started earlier are neither fetched nor listed on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryEvent } from "@/lib/history/types";
import { createSfnClient } from "@/lib/sources/aws/client";
import { MemoryCursorStore } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { type AwsEndpoint } from "@/lib/server-aws/server";
import { type Store } from "@/lib/store";
import { passDefinition, ROLE_ARN, startTestBed, type TestBed } from "./helpers";

const DAY = 86_400_000;
const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:history";

function passHistory(start: number): HistoryEvent[] {
  return [
    { id: 1, previousEventId: 0, timestamp: start, type: "ExecutionStarted", executionStartedEventDetails: { input: "{}", inputDetails: { truncated: false } } },
    { id: 2, previousEventId: 0, timestamp: start + 10, type: "PassStateEntered", stateEnteredEventDetails: { name: "S0", input: "{}", inputDetails: { truncated: false } } },
    { id: 3, previousEventId: 2, timestamp: start + 20, type: "PassStateExited", stateExitedEventDetails: { name: "S0", output: "{}", outputDetails: { truncated: false } } },
    { id: 4, previousEventId: 3, timestamp: start + 30, type: "ExecutionSucceeded", executionSucceededEventDetails: { output: "{}", outputDetails: { truncated: false } } },
  ];
}

describe("sync --since", () => {
  let endpoint: AwsEndpoint;
  let store: Store;
  let bed: TestBed | undefined;
  beforeAll(async () => {
    ({ endpoint, store } = bed = await startTestBed());
    await endpoint.sfn.handle("CreateStateMachine", { name: "history", definition: passDefinition(1), roleArn: ROLE_ARN });
    for (const [name, daysAgo] of [["old", 10], ["week", 8], ["recent", 2], ["today", 0.1]] as const) {
      const events = passHistory(Date.now() - daysAgo * DAY);
      const executionArn = `arn:aws:states:us-east-1:123456789012:execution:history:${name}`;
      endpoint.sfn.importExecution({
        stateMachineArn: SM, definition: passDefinition(1), events,
        description: { executionArn, stateMachineArn: SM, name, status: "SUCCEEDED", startDate: events[0].timestamp, stopDate: events[3].timestamp, input: "{}", inputDetails: { included: true } },
      });
    }
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("stores only executions started within the window", async () => {
    const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
    const report = await syncAws({ client, sink: storeSink(store), cursors: new MemoryCursorStore(), since: Date.now() - 7 * DAY });
    client.destroy();
    expect(report).toMatchObject({ created: 2, failures: [] });
    const names = (await store.prisma.execution.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((r) => r.name);
    expect(names).toEqual(["recent", "today"]);
    expect(report.stateMachines[0].listed).toBe(2);
  });
});
