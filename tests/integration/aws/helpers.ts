// Shared set-up for the AWS integration tests: the local endpoint on 127.0.0.1 and unmodified
// SDK clients pointed at it.
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { openStore, type Store } from "@/lib/store";
import { sqliteDatabase, type TestDatabase } from "../../helpers/databases";

export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
export const ROLE_ARN = "arn:aws:iam::123456789012:role/statelens-test";

/** The SDK's default credential chain reads these; the endpoint accepts any. */
export function applyTestCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = "us-east-1";
}

export function sfnClient(url: string): SFNClient {
  // disableHostPrefix: StartSyncExecution would otherwise go to sync-127.0.0.1.
  return new SFNClient({ endpoint: url, region: "us-east-1", credentials: TEST_CREDENTIALS, disableHostPrefix: true, maxAttempts: 1 });
}

export function logsClient(url: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: url, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

export const passDefinition = (states = 3) =>
  JSON.stringify({
    StartAt: "S0",
    States: Object.fromEntries(
      Array.from({ length: states }, (_, i) => [`S${i}`, i === states - 1 ? { Type: "Pass", Result: { step: i }, ResultPath: `$.s${i}`, End: true } : { Type: "Pass", Result: { step: i }, ResultPath: `$.s${i}`, Next: `S${i + 1}` }]),
    ),
  });

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until none of these executions is RUNNING on the endpoint. */
export async function waitUntilClosed(admin: SFNClient, executionArns: string[]): Promise<void> {
  for (const arn of executionArns) await waitFor(async () => (await admin.send(new DescribeExecutionCommand({ executionArn: arn }))).status !== "RUNNING");
}

/** What most AWS tests start from: the local endpoint, an admin SDK client, a fresh store. */
export interface TestBed {
  endpoint: AwsEndpoint;
  admin: SFNClient;
  db: TestDatabase;
  store: Store;
  close(): Promise<void>;
}

/** Starts a test bed on `db` (a fresh SQLite database by default); `close` undoes all of it. */
export async function startTestBed(db: TestDatabase = sqliteDatabase()): Promise<TestBed> {
  applyTestCredentials();
  const endpoint = await startAwsEndpoint();
  const admin = sfnClient(endpoint.url);
  const store = await openStore({ url: db.url });
  return {
    endpoint, admin, db, store,
    async close() {
      admin.destroy();
      await endpoint.close();
      await store.close();
      await db.drop();
    },
  };
}
