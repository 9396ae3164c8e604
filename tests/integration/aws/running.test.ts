// RUNNING executions are stored as they are and fetched again until they close.
import { CreateStateMachineCommand, GetExecutionHistoryCommand, type HistoryEvent as SdkEvent, SendTaskSuccessCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, toCliHistory } from "@/lib/history/parse";
import { createSfnClient } from "@/lib/sources/aws/client";
import { storeCursors } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { loadHistory, openStore, type Store } from "@/lib/store";
import { sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import { ROLE_ARN, sfnClient, applyTestCredentials, waitFor } from "./helpers";

const CALLBACK = JSON.stringify({
  StartAt: "Approve",
  States: {
    Approve: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { QueueUrl: "q", MessageBody: { "t.$": "$$.Task.Token" } }, Next: "Done" },
    Done: { Type: "Pass", End: true },
  },
});

describe("RUNNING executions", () => {
  let endpoint: AwsEndpoint;
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    applyTestCredentials();
    endpoint = await startAwsEndpoint({ taskResolver: () => ({ pending: true, submitted: { MessageId: "m" } }) });
    db = sqliteDatabase();
    store = await openStore({ url: db.url });
  });
  afterAll(async () => {
    await endpoint?.close();
    await store?.close();
    await db?.drop();
  });

  it("are stored while running and replaced by their whole history once closed", async () => {
    const admin = sfnClient(endpoint.url);
    const client = createSfnClient({ endpoint: endpoint.url, region: "us-east-1" });
    const sync = () => syncAws({ client, sink: storeSink(store), cursors: storeCursors(store), endpointKey: endpoint.url, consistencyMarginMs: 0 });
    try {
      const { stateMachineArn } = await admin.send(new CreateStateMachineCommand({ name: "approvals", definition: CALLBACK, roleArn: ROLE_ARN }));
      const { executionArn } = await admin.send(new StartExecutionCommand({ stateMachineArn, name: "a-1" }));
      const token = await waitFor(async () => endpoint.sfn.registry.executions.get(executionArn!)?.handle?.pendingTaskTokens()[0]);
      expect((await sync()).created).toBe(1);
      const running = await store.prisma.execution.findUnique({ where: { arn: executionArn } });
      expect(running).toMatchObject({ status: "RUNNING" });
      // Nothing changed: the RUNNING execution is asked about again, and left as it is.
      expect((await sync()).updated).toBe(0);

      await admin.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"ok":true}' }));
      await waitFor(async () => endpoint.sfn.registry.executions.get(executionArn!)?.handle?.status === "SUCCEEDED");
      const report = await sync();
      expect(report).toMatchObject({ updated: 1, failures: [] });
      const closed = await store.prisma.execution.findUnique({ where: { arn: executionArn } });
      expect(closed).toMatchObject({ status: "SUCCEEDED" });
      const page = await admin.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(toCliHistory(await loadHistory(store.driver, closed!.id))).toEqual(toCliHistory(readEvents(page.events as SdkEvent[] as unknown[], executionArn!)));
    } finally {
      admin.destroy();
      client.destroy();
    }
  });
});
