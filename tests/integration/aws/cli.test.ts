// `statelens sync` as a process against the local endpoint: Standard and Express (logs) together,
// the summary, --watch until Ctrl-C, and usage errors.
import fs from "node:fs";
import { CreateStateMachineCommand, StartExecutionCommand, StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { openStore } from "@/lib/store";
import { sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import { passDefinition, ROLE_ARN, sfnClient, TEST_CREDENTIALS, waitFor } from "./helpers";
import { bundleCli, runSync } from "./cli-process";

describe("statelens sync (process)", () => {
  let endpoint: AwsEndpoint;
  let bundle: string;
  let db: TestDatabase;
  const env = () => ({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: "us-east-1", DATABASE_URL: db.url });

  beforeAll(async () => {
    [endpoint, bundle] = await Promise.all([startAwsEndpoint(), bundleCli()]);
    db = sqliteDatabase();
    const admin = sfnClient(endpoint.url);
    const std = (await admin.send(new CreateStateMachineCommand({ name: "std", definition: passDefinition(2), roleArn: ROLE_ARN }))).stateMachineArn!;
    const exp = (await admin.send(new CreateStateMachineCommand({
      name: "exp", type: "EXPRESS", definition: passDefinition(2), roleArn: ROLE_ARN,
      loggingConfiguration: { level: "ALL", includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/exp:*" } }] },
    }))).stateMachineArn!;
    for (let i = 0; i < 3; i++) await admin.send(new StartExecutionCommand({ stateMachineArn: std, name: `s-${i}` }));
    for (let i = 0; i < 2; i++) await admin.send(new StartSyncExecutionCommand({ stateMachineArn: exp }));
    await waitFor(async () => [...endpoint.sfn.registry.executions.values()].every((e) => e.handle?.status !== "RUNNING"));
    admin.destroy();
  });
  afterAll(async () => {
    await endpoint?.close();
    await db?.drop();
    if (bundle) fs.rmSync(bundle, { force: true });
  });

  it("syncs Standard executions and Express logs, prints a summary, and stops a --watch on SIGINT", async () => {
    const run = runSync(bundle, ["--endpoint-url", endpoint.url, "--watch", "1s"], env());
    // Two passes printed, then Ctrl-C while it waits for the next one.
    let out = "";
    run.child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await waitFor(async () => out.split("\n").filter((l) => l.startsWith("synced ")).length >= 2, 40_000);
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    const summaries = result.stdout.split("\n").filter((l) => l.startsWith("synced "));
    expect(summaries.length).toBeGreaterThanOrEqual(2);
    expect(summaries[0]).toMatch(/synced 2 state machines .*: 3 new, .*2 Express executions from logs/);
    expect(summaries[1]).toMatch(/0 new, 0 updated, 3 already stored/);
    const store = await openStore({ url: db.url });
    try {
      expect(await store.prisma.execution.count({ where: { source: "aws" } })).toBe(3);
      expect(await store.prisma.execution.count({ where: { source: "logs", historyComplete: true } })).toBe(2);
      expect(await store.prisma.syncCursor.count()).toBe(2);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("rejects a malformed --since with exit code 2", async () => {
    const result = await runSync(bundle, ["--since", "soon"], env()).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--since: expected a duration/);
  });
});
