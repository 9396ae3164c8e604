// Each execution is stored with the definition it ran, asking DescribeStateMachineForExecution
// once per revision rather than once per execution.
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, UpdateStateMachineCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSfnClient } from "@/lib/sources/aws/client";
import { MemoryCursorStore } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { type AwsEndpoint } from "@/lib/server-aws/server";
import { type Store } from "@/lib/store";
import { passDefinition, ROLE_ARN, sfnClient, waitFor, startTestBed, type TestBed } from "./helpers";

describe("definitions by revision", () => {
  let endpoint: AwsEndpoint;
  let store: Store;
  let bed: TestBed | undefined;
  beforeAll(async () => {
    ({ endpoint, store } = bed = await startTestBed());
    const admin = sfnClient(endpoint.url);
    const { stateMachineArn } = await admin.send(new CreateStateMachineCommand({ name: "evolving", definition: passDefinition(1), roleArn: ROLE_ARN }));
    const run = async (name: string) => {
      const { executionArn } = await admin.send(new StartExecutionCommand({ stateMachineArn, name }));
      await waitFor(async () => (await admin.send(new DescribeExecutionCommand({ executionArn }))).status !== "RUNNING");
      await new Promise((r) => setTimeout(r, 5)); // distinct start times around the update
    };
    for (const n of ["v1-a", "v1-b", "v1-c"]) await run(n);
    await admin.send(new UpdateStateMachineCommand({ stateMachineArn, definition: passDefinition(2) }));
    await new Promise((r) => setTimeout(r, 5));
    for (const n of ["v2-a", "v2-b", "v2-c"]) await run(n);
    admin.destroy();
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("stores each execution with its revision's definition, asking twice for two revisions", async () => {
    const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
    const report = await syncAws({ client, sink: storeSink(store), cursors: new MemoryCursorStore(), concurrency: 4 });
    client.destroy();
    expect(report).toMatchObject({ created: 6, failures: [], definitionCalls: 2 });
    const rows = await store.prisma.execution.findMany({ include: { version: true }, orderBy: { name: "asc" } });
    expect(rows.map((r) => [r.name, r.version?.definition])).toEqual([
      ["v1-a", passDefinition(1)], ["v1-b", passDefinition(1)], ["v1-c", passDefinition(1)],
      ["v2-a", passDefinition(2)], ["v2-b", passDefinition(2)], ["v2-c", passDefinition(2)],
    ]);
  });
});
