// `statelens serve-aws` as a process: it answers the SDK, answers Task states from a mock
// configuration file, and keeps what it ran in the store when stopped.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "@/lib/store";
import { sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import { ROLE_ARN, sfnClient, waitFor } from "./helpers";
import { bundleCli, runCommand } from "./cli-process";

describe("statelens serve-aws (process)", () => {
  let bundle: string;
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    bundle = await bundleCli();
    db = sqliteDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-serve-aws-"));
  });
  afterAll(async () => {
    await db?.drop();
    if (bundle) fs.rmSync(bundle, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves the API with a mock configuration and keeps its state in the store", async () => {
    const mockFile = path.join(dir, "mocks.json");
    fs.writeFileSync(mockFile, JSON.stringify({
      StateMachines: { greeter: { TestCases: { Hello: { Greet: "HelloResponse" } } } },
      MockedResponses: { HelloResponse: { "0": { Return: { greeting: "hello" } } } },
    }));
    const server = runCommand(bundle, ["serve-aws", "--port", "0", "--mock-config", mockFile], { DATABASE_URL: db.url });
    let stdout = "";
    server.child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    const url = await waitFor(async () => /API on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1], 20_000);
    const client = sfnClient(url);
    try {
      const definition = JSON.stringify({ StartAt: "Greet", States: { Greet: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:greet", End: true } } });
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "greeter", definition, roleArn: ROLE_ARN }));
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Hello`, name: "hi" }));
      const done = await waitFor(async () => {
        const d = await client.send(new DescribeExecutionCommand({ executionArn }));
        return d.status !== "RUNNING" && d;
      });
      expect(done).toMatchObject({ status: "SUCCEEDED", output: JSON.stringify({ greeting: "hello" }) });
    } finally {
      client.destroy();
      server.child.kill("SIGTERM");
    }
    const exit = await server.done;
    expect(exit.code, exit.stderr).toBe(0);
    const store = await openStore({ url: db.url });
    try {
      expect(await store.prisma.endpointStateMachine.findMany({ select: { name: true } })).toEqual([{ name: "greeter" }]);
      expect(await store.prisma.execution.findFirst({ where: { name: "hi" } })).toMatchObject({ source: "engine", status: "SUCCEEDED" });
    } finally {
      await store.close();
    }
  }, 60_000);
});
