// AWS credentials are never stored or logged: `statelens sync` against the local endpoint with
// credentials in its environment and an execution whose payloads carry an STS result and a
// password. Neither the output, nor any table, nor the database files hold them afterwards.
import fs from "node:fs";
import path from "node:path";
import { CreateStateMachineCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { bundleCli, runSync } from "../aws/cli-process";
import { ROLE_ARN, sfnClient, waitFor } from "../aws/helpers";
import { sqliteDatabase, type TestDatabase } from "../../helpers/databases";

const CREDENTIALS = { AWS_ACCESS_KEY_ID: "AKIASTATELENSTEST777", AWS_SECRET_ACCESS_KEY: "statelens-secret-access-key-6f1e", AWS_SESSION_TOKEN: "statelens-session-token-9c2d" };
const IN_PAYLOAD = { SecretAccessKey: "payload-secret-access-key-41aa", SessionToken: "payload-session-token-77bb", password: "payload-password-13cc" };

let endpoint: AwsEndpoint;
let bundle: string;
let db: TestDatabase;

beforeAll(async () => {
  [endpoint, bundle] = await Promise.all([startAwsEndpoint(), bundleCli()]);
  db = sqliteDatabase();
  const admin = sfnClient(endpoint.url);
  const definition = JSON.stringify({
    StartAt: "AssumeRole",
    States: {
      // stands in for an sts:AssumeRole task: its result carries temporary credentials
      AssumeRole: { Type: "Pass", Parameters: { "Credentials.$": "$.issued" }, ResultPath: "$.sts", Next: "Done" },
      Done: { Type: "Pass", End: true },
    },
  });
  const arn = (await admin.send(new CreateStateMachineCommand({ name: "creds", definition, roleArn: ROLE_ARN }))).stateMachineArn!;
  await admin.send(new StartExecutionCommand({ stateMachineArn: arn, name: "c-1", input: JSON.stringify({ user: { password: IN_PAYLOAD.password }, issued: { AccessKeyId: "ASIAPAYLOAD", SecretAccessKey: IN_PAYLOAD.SecretAccessKey, SessionToken: IN_PAYLOAD.SessionToken } }) }));
  await waitFor(async () => [...endpoint.sfn.registry.executions.values()].every((e) => e.handle?.status !== "RUNNING"));
  admin.destroy();
}, 120_000);
afterAll(async () => {
  await endpoint?.close();
  await db?.drop();
  if (bundle) fs.rmSync(bundle, { force: true });
});

test("sync stores the execution but no credential, from its environment or from payloads", async () => {
  const { done } = runSync(bundle, ["--endpoint-url", endpoint.url], { ...CREDENTIALS, AWS_REGION: "us-east-1", DATABASE_URL: db.url, STATELENS_MASK_PATHS: "$..password" });
  const result = await done;
  expect(result.code, result.stderr).toBe(0);
  const file = db.url.slice("file:".length);
  const bytes = fs.readdirSync(path.dirname(file)).map((f) => fs.readFileSync(path.join(path.dirname(file), f)).toString("latin1")).join("\n");
  expect(bytes).toContain("c-1"); // the execution was stored
  for (const secret of [...Object.values(CREDENTIALS), ...Object.values(IN_PAYLOAD)]) {
    expect(result.stdout + result.stderr, "printed").not.toContain(secret);
    expect(bytes, "in the database files").not.toContain(secret);
  }
}, 120_000);
