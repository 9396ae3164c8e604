// One execution that cannot be stored is reported and does not stop the others; the cursor does
// not move past it, so the next sync stores it.
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSfnClient } from "@/lib/sources/aws/client";
import { storeCursors } from "@/lib/sources/aws/cursor-store";
import { type ExecutionSink, storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { type AwsEndpoint } from "@/lib/server-aws/server";
import { type Store } from "@/lib/store";
import { passDefinition, ROLE_ARN, sfnClient, waitFor, startTestBed, type TestBed } from "./helpers";

describe("a failing execution", () => {
  let endpoint: AwsEndpoint;
  let store: Store;
  let bed: TestBed | undefined;
  const arnOf = (i: number) => `arn:aws:states:us-east-1:123456789012:execution:flaky:f-${i}`;

  beforeAll(async () => {
    ({ endpoint, store } = bed = await startTestBed());
    const admin = sfnClient(endpoint.url);
    const sm = (await admin.send(new CreateStateMachineCommand({ name: "flaky", definition: passDefinition(2), roleArn: ROLE_ARN }))).stateMachineArn!;
    for (let i = 0; i < 6; i++) {
      await admin.send(new StartExecutionCommand({ stateMachineArn: sm, name: `f-${i}` }));
      await waitFor(async () => (await admin.send(new DescribeExecutionCommand({ executionArn: arnOf(i) }))).status !== "RUNNING");
    }
    admin.destroy();
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("is reported, the others are stored, and the next sync stores it", async () => {
    const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
    const real = storeSink(store);
    const broken: ExecutionSink = { ...real, ingest: (input, incomplete) => (input.execution?.executionArn === arnOf(1) ? Promise.reject(new Error("disk full")) : real.ingest(input, incomplete)) };
    const first = await syncAws({ client, sink: broken, cursors: storeCursors(store), endpointKey: endpoint.url, consistencyMarginMs: 0 });
    expect(first.failures).toEqual([{ executionArn: arnOf(1), error: "Error: disk full" }]);
    expect(first.created).toBe(5);
    const second = await syncAws({ client, sink: real, cursors: storeCursors(store), endpointKey: endpoint.url, consistencyMarginMs: 0 });
    client.destroy();
    expect(second).toMatchObject({ created: 1, failures: [] });
    // Listing went down to the failed execution and stopped before the oldest, stored earlier.
    expect(second.stateMachines[0].listed).toBe(5);
    expect(await store.prisma.execution.count()).toBe(6);
  });
});
