// Express executions read back from the endpoint's CloudWatch Logs, stored, and compared with the
// history the engine recorded (Express has no GetExecutionHistory).
import { CreateStateMachineCommand, type LoggingConfiguration, type LogLevel, SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCliHistory } from "@/lib/history/parse";
import { createSfnClient } from "@/lib/sources/aws/client";
import { MemoryCursorStore } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { createLogsClient } from "@/lib/sources/cloudwatch-logs/client";
import { syncExpressLogs } from "@/lib/sources/cloudwatch-logs/sync";
import { type AwsEndpoint } from "@/lib/server-aws/server";
import { eventsOf } from "@/lib/server-aws/registry";
import { loadHistory, type Store } from "@/lib/store";
import { passDefinition, ROLE_ARN, waitFor, startTestBed, type TestBed } from "./helpers";

const logging = (name: string, level: LogLevel, includeExecutionData = true): LoggingConfiguration => ({
  level, includeExecutionData, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/${name}:*` } }],
});

describe("Express executions from CloudWatch Logs", () => {
  let endpoint: AwsEndpoint;
  let admin: SFNClient;
  let store: Store;
  let bed: TestBed | undefined;
  let fullArn: string;
  let errorsArn: string;

  beforeAll(async () => {
    ({ endpoint, admin, store } = bed = await startTestBed());
    fullArn = (await admin.send(new CreateStateMachineCommand({ name: "express-full", type: "EXPRESS", definition: passDefinition(3), roleArn: ROLE_ARN, loggingConfiguration: logging("express-full", "ALL") }))).stateMachineArn!;
    errorsArn = (await admin.send(new CreateStateMachineCommand({ name: "express-errors", type: "EXPRESS", definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Next: "F" }, F: { Type: "Fail", Error: "Boom" } } }), roleArn: ROLE_ARN, loggingConfiguration: logging("express-errors", "ERROR") }))).stateMachineArn!;
    for (let i = 0; i < 5; i++) await admin.send(new StartSyncExecutionCommand({ stateMachineArn: fullArn, input: JSON.stringify({ i }) }));
    await admin.send(new StartExecutionCommand({ stateMachineArn: fullArn, name: "async-1" }));
    await admin.send(new StartSyncExecutionCommand({ stateMachineArn: errorsArn }));
    await waitFor(async () => [...endpoint.sfn.registry.executions.values()].every((e) => e.handle?.status !== "RUNNING"));
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("stores every logged execution with the history the engine recorded, reading pages of 4 records", async () => {
    const report = await syncExpressLogs({
      sfn: createSfnClient({ endpoint: endpoint.url, region: "us-east-1" }), logs: createLogsClient({ endpoint: endpoint.url, region: "us-east-1" }), pageSize: 4,
      sink: storeSink(store), cursors: new MemoryCursorStore(), stateMachines: [{ arn: fullArn, name: "express-full" }, { arn: errorsArn, name: "express-errors" }],
    });
    expect(report.failures).toEqual([]);
    expect(report.stored).toBe(7);
    for (const entry of endpoint.sfn.registry.executions.values()) {
      if (entry.machine.name !== "express-full") continue;
      const row = await store.prisma.execution.findUnique({ where: { arn: entry.executionArn } });
      expect(row, entry.executionArn).not.toBeNull();
      expect(row).toMatchObject({ source: "logs", status: "SUCCEEDED", historyComplete: true });
      expect((await store.prisma.stateMachineVersion.findUnique({ where: { id: row!.versionId! } }))?.definition).toBe(passDefinition(3));
      expect(toCliHistory(await loadHistory(store.driver, row!.id))).toEqual(toCliHistory([...eventsOf(entry)]));
    }
  });

  it("marks executions logged at level ERROR as incomplete", async () => {
    const cursors = new MemoryCursorStore();
    const report = await syncExpressLogs({
      sfn: createSfnClient({ endpoint: endpoint.url, region: "us-east-1" }), logs: createLogsClient({ endpoint: endpoint.url, region: "us-east-1" }),
      sink: storeSink(store), cursors, stateMachines: [{ arn: errorsArn, name: "express-errors" }],
    });
    expect(report.incomplete).toEqual([expect.objectContaining({ reason: expect.stringContaining("log level ERROR") })]);
    const row = await store.prisma.execution.findFirst({ where: { stateMachine: { arn: errorsArn } } });
    expect(row).toMatchObject({ status: "FAILED", error: "Boom", historyComplete: false, incompleteReason: expect.stringContaining("log level ERROR") });
  });

  it("stores an execution open at one sync whole at the next (the cursor waits for it)", async () => {
    const waitArn = (await admin.send(new CreateStateMachineCommand({
      name: "express-wait", type: "EXPRESS", roleArn: ROLE_ARN, loggingConfiguration: logging("express-wait", "ALL"),
      definition: JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, Next: "P" }, P: { Type: "Pass", End: true } } }),
    }))).stateMachineArn!;
    const { executionArn } = await admin.send(new StartExecutionCommand({ stateMachineArn: waitArn }));
    const cursors = new MemoryCursorStore();
    const sync = () => syncExpressLogs({
      sfn: createSfnClient({ endpoint: endpoint.url, region: "us-east-1" }), logs: createLogsClient({ endpoint: endpoint.url, region: "us-east-1" }),
      sink: storeSink(store), cursors, stateMachines: [{ arn: waitArn, name: "express-wait" }], ingestionLagMs: 0,
    });
    await waitFor(async () => (endpoint.sfn.registry.executions.get(executionArn!)?.handle?.events.length ?? 0) >= 2);
    await sync();
    expect(await store.prisma.execution.findUnique({ where: { arn: executionArn } })).toMatchObject({ status: "RUNNING" });
    const entry = endpoint.sfn.registry.executions.get(executionArn!)!;
    await waitFor(async () => entry.handle?.status === "SUCCEEDED", 5000);
    await sync();
    const row = await store.prisma.execution.findUnique({ where: { arn: executionArn } });
    expect(row).toMatchObject({ status: "SUCCEEDED", historyComplete: true });
    expect(toCliHistory(await loadHistory(store.driver, row!.id))).toEqual(toCliHistory([...eventsOf(entry)]));
  });
});
