// The endpoint keeps its state machines and finished executions in the store and serves them
// again after a restart; a Step Functions Local mock configuration drives its tasks.
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand,
  ListMapRunsCommand, type SFNClient, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import { parseMockConfig } from "@/lib/engine";
import { startAwsEndpoint } from "@/lib/server-aws/server";
import { openStore } from "@/lib/store";
import { sqliteDatabase } from "../../helpers/databases";
import { passDefinition, ROLE_ARN, sfnClient, waitFor } from "./helpers";

const db = sqliteDatabase();

const DMAP = JSON.stringify({
  StartAt: "Fan out",
  States: { "Fan out": { Type: "Map", Label: "fan", MaxConcurrency: 2, ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Pass", End: true } } }, End: true } },
});

/** Everything the API says about an execution's Map Runs and their children. */
async function mapRunView(client: SFNClient, executionArn: string) {
  const { mapRuns } = await client.send(new ListMapRunsCommand({ executionArn }));
  const out = [];
  for (const run of mapRuns ?? []) {
    const { $metadata: _m, ...described } = await client.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }));
    const children = (await client.send(new ListExecutionsCommand({ mapRunArn: run.mapRunArn }))).executions ?? [];
    const histories = [];
    for (const c of children) histories.push((await client.send(new GetExecutionHistoryCommand({ executionArn: c.executionArn }))).events);
    out.push({ run, described, children, histories });
  }
  return out;
}
afterAll(() => db.drop());

describe("endpoint state in the store", () => {
  it("serves state machines and executions again after a restart", async () => {
    const store = await openStore({ url: db.url });
    const first = await startAwsEndpoint({ store });
    const client = sfnClient(first.url);
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "kept", definition: passDefinition(3), roleArn: ROLE_ARN }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: "run-1", input: '{"k":1}' }));
    await waitFor(async () => (await client.send(new DescribeExecutionCommand({ executionArn }))).status === "SUCCEEDED");
    const before = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    const describedBefore = await client.send(new DescribeExecutionCommand({ executionArn }));
    const fan = (await client.send(new CreateStateMachineCommand({ name: "kept-fan", definition: DMAP, roleArn: ROLE_ARN }))).stateMachineArn!;
    const parent = (await client.send(new StartExecutionCommand({ stateMachineArn: fan, name: "fan-1", input: "[1,2,3]" }))).executionArn!;
    await waitFor(async () => (await client.send(new DescribeExecutionCommand({ executionArn: parent }))).status === "SUCCEEDED");
    const mapRunsBefore = await mapRunView(client, parent);
    expect(mapRunsBefore.map((r) => r.children.length)).toEqual([3]);
    client.destroy();
    await first.close();

    const second = await startAwsEndpoint({ store });
    const again = sfnClient(second.url);
    try {
      expect(await again.send(new DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({ name: "kept", definition: passDefinition(3) });
      const after = await again.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(after.events).toEqual(before.events);
      const { $metadata: _a, ...describedAfter } = await again.send(new DescribeExecutionCommand({ executionArn }));
      const { $metadata: _b, ...expected } = describedBefore;
      expect(describedAfter).toEqual(expected);
      expect(await mapRunView(again, parent)).toEqual(mapRunsBefore);
    } finally {
      again.destroy();
      await second.close();
      await store.close();
    }
  });
});

describe("mock configuration", () => {
  it("answers Task states from the test case named after # in the state machine ARN", async () => {
    const mockConfig = parseMockConfig({
      StateMachines: { charge: { TestCases: { Declined: { Charge: "CardDeclined" }, Approved: { Charge: "CardCharged" } } } },
      MockedResponses: {
        CardDeclined: { "0": { Throw: { Error: "Payment.Declined", Cause: "insufficient funds" } } },
        CardCharged: { "0": { Return: { StatusCode: 200, Payload: { charged: true } } } },
      },
    });
    const endpoint = await startAwsEndpoint({ mockConfig });
    const client = sfnClient(endpoint.url);
    try {
      const definition = JSON.stringify({ StartAt: "Charge", States: { Charge: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "charge" }, OutputPath: "$.Payload", End: true } } });
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "charge", definition, roleArn: ROLE_ARN }));
      const run = async (testCase: string) => {
        const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#${testCase}` }));
        return waitFor(async () => {
          const d = await client.send(new DescribeExecutionCommand({ executionArn }));
          return d.status !== "RUNNING" && d;
        });
      };
      expect(await run("Approved")).toMatchObject({ status: "SUCCEEDED", output: JSON.stringify({ charged: true }) });
      expect(await run("Declined")).toMatchObject({ status: "FAILED", error: "Payment.Declined", cause: "insufficient funds" });
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });
});
