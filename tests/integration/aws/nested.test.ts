// A parent that starts a child with states:startExecution.sync:2: the endpoint runs the child,
// and a sync of the parent alone follows it.
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent as SdkEvent, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, toCliHistory } from "@/lib/history/parse";
import { createSfnClient } from "@/lib/sources/aws/client";
import { MemoryCursorStore } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { type AwsEndpoint } from "@/lib/server-aws/server";
import { loadHistory, type Store } from "@/lib/store";
import { passDefinition, ROLE_ARN, sfnClient, waitFor, startTestBed, type TestBed } from "./helpers";

describe("parent and child executions", () => {
  let endpoint: AwsEndpoint;
  let store: Store;
  let bed: TestBed | undefined;
  beforeAll(async () => {
    ({ endpoint, store } = bed = await startTestBed());
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("runs the child on the endpoint and syncs it with the parent", async () => {
    const admin = sfnClient(endpoint.url);
    try {
      const child = (await admin.send(new CreateStateMachineCommand({ name: "child", definition: passDefinition(2), roleArn: ROLE_ARN }))).stateMachineArn!;
      const parentDefinition = JSON.stringify({
        StartAt: "Run child",
        States: { "Run child": { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: { StateMachineArn: child, Input: { "from.$": "$$.Execution.Id" }, Name: "child-of-p1" }, End: true } },
      });
      const parent = (await admin.send(new CreateStateMachineCommand({ name: "parent", definition: parentDefinition, roleArn: ROLE_ARN }))).stateMachineArn!;
      const { executionArn } = await admin.send(new StartExecutionCommand({ stateMachineArn: parent, name: "p1" }));
      const done = await waitFor(async () => {
        const d = await admin.send(new DescribeExecutionCommand({ executionArn }));
        return d.status !== "RUNNING" && d;
      });
      expect(done.status).toBe("SUCCEEDED");
      const childArn = "arn:aws:states:us-east-1:123456789012:execution:child:child-of-p1";
      expect(JSON.parse(done.output!)).toMatchObject({ ExecutionArn: childArn, Status: "SUCCEEDED", Output: { from: executionArn } });

      const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
      const report = await syncAws({ client, sink: storeSink(store), cursors: new MemoryCursorStore(), stateMachines: ["parent"] });
      client.destroy();
      expect(report).toMatchObject({ created: 2, failures: [] });
      const stored = await store.prisma.execution.findUnique({ where: { arn: childArn }, include: { version: true } });
      expect(stored).toMatchObject({ parentArn: executionArn, status: "SUCCEEDED" });
      expect(stored?.version?.definition).toBe(passDefinition(2));
      const page = await admin.send(new GetExecutionHistoryCommand({ executionArn: childArn }));
      expect(toCliHistory(await loadHistory(store.driver, stored!.id))).toEqual(toCliHistory(readEvents(page.events as SdkEvent[] as unknown[], childArn)));
    } finally {
      admin.destroy();
    }
  });

  it("counts Express Map Run children, which have no history to store, and stores the parent", async () => {
    const admin = sfnClient(endpoint.url);
    try {
      const definition = JSON.stringify({
        StartAt: "Fan out",
        States: { "Fan out": { Type: "Map", Label: "quick", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "Work", States: { Work: { Type: "Pass", End: true } } }, End: true } },
      });
      const sm = (await admin.send(new CreateStateMachineCommand({ name: "express-fan", definition, roleArn: ROLE_ARN }))).stateMachineArn!;
      const { executionArn } = await admin.send(new StartExecutionCommand({ stateMachineArn: sm, name: "ef-1", input: "[1,2,3]" }));
      await waitFor(async () => (await admin.send(new DescribeExecutionCommand({ executionArn }))).status !== "RUNNING");
      const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
      const report = await syncAws({ client, sink: storeSink(store), cursors: new MemoryCursorStore(), stateMachines: ["express-fan"] });
      client.destroy();
      expect(report).toMatchObject({ created: 1, expressMapRunChildren: 3, failures: [] });
      expect(await store.prisma.mapRun.count({ where: { executionArn } })).toBe(1);
    } finally {
      admin.destroy();
    }
  });
});
