// The local endpoint seen through the unmodified AWS SDK: operations, paging and AWS's errors.
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, SendTaskSuccessCommand, SFNClient,
  StartExecutionCommand, StartSyncExecutionCommand, StopExecutionCommand, UpdateStateMachineCommand, DeleteStateMachineCommand,
  ListMapRunsCommand, DescribeMapRunCommand,
} from "@aws-sdk/client-sfn";
import { DescribeLogGroupsCommand, FilterLogEventsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFaultSpec } from "@/lib/server-aws/faults";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { logsClient, passDefinition, ROLE_ARN, sfnClient, waitFor } from "./helpers";

let endpoint: AwsEndpoint;
let sfn: SFNClient;

beforeAll(async () => {
  endpoint = await startAwsEndpoint({ port: 0 });
  sfn = sfnClient(endpoint.url);
});
afterAll(async () => {
  sfn?.destroy();
  await endpoint?.close();
});

async function createMachine(name: string, definition = passDefinition(), extra: Record<string, unknown> = {}): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN, ...extra }));
  return out.stateMachineArn!;
}

async function finished(executionArn: string) {
  return waitFor(async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status !== "RUNNING" && d;
  });
}

describe("state machines", () => {
  it("creates, describes, lists, updates and deletes a state machine", async () => {
    const arn = await createMachine("crud");
    expect(arn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:crud");
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described).toMatchObject({ name: "crud", type: "STANDARD", status: "ACTIVE", roleArn: ROLE_ARN, definition: passDefinition() });
    expect(described.creationDate).toBeInstanceOf(Date);
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((s) => s.name)).toContain("crud");
    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passDefinition(2) }));
    expect(updated.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toMatchObject({ name: "StateMachineDoesNotExist", $metadata: { httpStatusCode: 400 } });
  });

  it("rejects an invalid definition with InvalidDefinition", async () => {
    await expect(createMachine("bad", JSON.stringify({ StartAt: "Nowhere", States: {} }))).rejects.toMatchObject({ name: "InvalidDefinition" });
  });

  it("rejects a name AWS would reject with InvalidName", async () => {
    await expect(createMachine("has space")).rejects.toMatchObject({ name: "InvalidName" });
  });
});

describe("executions", () => {
  it("runs an execution and serves its history in pages, forwards and backwards", async () => {
    const arn = await createMachine("paging", passDefinition(30));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "e1", input: JSON.stringify({ a: 1 }) }));
    expect(executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:paging:e1");
    const d = await finished(executionArn!);
    expect(d.status).toBe("SUCCEEDED");
    const pages: number[] = [];
    let token: string | undefined;
    const ids: number[] = [];
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 25, nextToken: token }));
      pages.push(page.events!.length);
      ids.push(...page.events!.map((e) => e.id!));
      token = page.nextToken;
    } while (token);
    expect(ids).toEqual(Array.from({ length: 62 }, (_, i) => i + 1));
    expect(pages).toEqual([25, 25, 12]);
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3 }));
    expect(reversed.events!.map((e) => e.type)).toEqual(["ExecutionSucceeded", "PassStateExited", "PassStateEntered"]);
  });

  it("lists executions newest first and pages them", async () => {
    const arn = await createMachine("listing");
    for (let i = 0; i < 5; i++) {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: `run-${i}` }));
      await finished(executionArn!);
    }
    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }));
    const second = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: first.nextToken }));
    const third = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: second.nextToken }));
    expect([...first.executions!, ...second.executions!, ...third.executions!].map((e) => e.name)).toEqual(["run-4", "run-3", "run-2", "run-1", "run-0"]);
    expect(third.nextToken).toBeUndefined();
  });

  it("answers a token issued for other arguments with InvalidToken", async () => {
    const arn = await createMachine("tokens");
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await finished(executionArn!);
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1 }));
    await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1, reverseOrder: true, nextToken: page.nextToken }))).rejects.toMatchObject({ name: "InvalidToken" });
  });

  it("reports unknown executions as ExecutionDoesNotExist and bad ARNs as InvalidArn", async () => {
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:nope:nope" }))).rejects.toMatchObject({ name: "ExecutionDoesNotExist" });
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: "not-an-arn" }))).rejects.toMatchObject({ name: "InvalidArn" });
  });

  it("completes a callback task with SendTaskSuccess", async () => {
    const definition = JSON.stringify({ StartAt: "Wait for approval", States: { "Wait for approval": { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { QueueUrl: "q", MessageBody: { "token.$": "$$.Task.Token" } }, End: true } } });
    const local = await startAwsEndpoint({ taskResolver: () => ({ pending: true, submitted: { MessageId: "m-1" } }) });
    const client = sfnClient(local.url);
    try {
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "callback", definition, roleArn: ROLE_ARN }));
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn }));
      const token = await waitFor(async () => local.sfn.registry.executions.get(executionArn!)?.handle?.pendingTaskTokens()[0]);
      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }));
      const d = await waitFor(async () => {
        const x = await client.send(new DescribeExecutionCommand({ executionArn }));
        return x.status !== "RUNNING" && x;
      });
      expect(d).toMatchObject({ status: "SUCCEEDED", output: JSON.stringify({ approved: true }) });
      await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }))).rejects.toMatchObject({ name: "TaskDoesNotExist" });
    } finally {
      client.destroy();
      await local.close();
    }
  });

  it("stops a running execution", async () => {
    const arn = await createMachine("stoppable", JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 600, End: true } } }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await sfn.send(new StopExecutionCommand({ executionArn, error: "Operator", cause: "test" }));
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: "ABORTED" });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events!.at(-1)?.type).toBe("ExecutionAborted");
  });

  it("describes the state machine an execution ran with, not the updated one", async () => {
    const arn = await createMachine("versioned", passDefinition(1));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await finished(executionArn!);
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passDefinition(2) }));
    const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(forExecution.definition).toBe(passDefinition(1));
  });
});

describe("Distributed Map", () => {
  it("lists and describes a Map Run and its child executions", async () => {
    const definition = JSON.stringify({
      StartAt: "Fan out",
      States: { "Fan out": { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Pass", End: true } } }, Label: "fan", MaxConcurrency: 2, ToleratedFailureCount: 1, End: true } },
    });
    const arn = await createMachine("dmap", definition);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify([1, 2, 3]) }));
    expect((await finished(executionArn!)).status).toBe("SUCCEEDED");
    const runs = await sfn.send(new ListMapRunsCommand({ executionArn }));
    expect(runs.mapRuns).toHaveLength(1);
    const mapRunArn = runs.mapRuns![0].mapRunArn!;
    const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(run).toMatchObject({ status: "SUCCEEDED", itemCounts: { total: 3, succeeded: 3 }, maxConcurrency: 2, toleratedFailureCount: 1 });
    const children = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
    expect(children.executions).toHaveLength(3);
    const child = children.executions![0].executionArn!;
    const childMachine = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: child }));
    expect(childMachine).toMatchObject({ mapRunArn, label: "fan", stateMachineArn: `${arn}/fan` });
    const childHistory = await sfn.send(new GetExecutionHistoryCommand({ executionArn: child }));
    expect(childHistory.events![0].type).toBe("ExecutionStarted");
  });
});

describe("Express", () => {
  it("runs StartSyncExecution and writes every event to the log group", async () => {
    const logGroupArn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/express-test:*";
    const arn = await createMachine("express-test", passDefinition(2), { type: "EXPRESS", loggingConfiguration: { level: "ALL", includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] } });
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: "{}" }));
    expect(out.status).toBe("SUCCEEDED");
    expect(out.executionArn).toMatch(/:express:express-test:/);
    const logs = logsClient(endpoint.url);
    try {
      const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/vendedlogs/states/" }));
      expect(groups.logGroups?.map((g) => g.logGroupName)).toContain("/aws/vendedlogs/states/express-test");
      const events = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/vendedlogs/states/express-test" }));
      const records = events.events!.map((e) => JSON.parse(e.message!) as Record<string, unknown>);
      expect(records.map((r) => r.type)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
      expect(records[0]).toMatchObject({ id: "1", previous_event_id: "0", execution_arn: out.executionArn, redrive_count: "0" });
      await expect(sfn.send(new DescribeExecutionCommand({ executionArn: out.executionArn }))).rejects.toMatchObject({ name: "InvalidArn" });
      const stream = events.events![0].logStreamName!;
      expect(stream).toMatch(/^states\/express-test\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\/[0-9a-f]{8}$/);
      // Streams are per minute: the run may straddle two, so compare with this stream's records.
      const inStream = events.events!.filter((e) => e.logStreamName === stream).map((e) => (JSON.parse(e.message!) as { id: string }).id);
      const head = await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/vendedlogs/states/express-test", logStreamName: stream, startFromHead: true, limit: 4 }));
      const rest = await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/vendedlogs/states/express-test", logStreamName: stream, nextToken: head.nextForwardToken }));
      const ids = (r: typeof head) => r.events!.map((e) => (JSON.parse(e.message!) as { id: string }).id);
      expect(ids(head)).toEqual(inStream.slice(0, 4));
      expect(ids(rest)).toEqual(inStream.slice(4));
    } finally {
      logs.destroy();
    }
  });
});

describe("fault injection", () => {
  it("reads a fault spec", () => {
    expect(parseFaultSpec("throttle=0.2,error=0.1,slow=0.1,slowMs=300,drop=0.05,expireToken=0.1,seed=7,operations=GetExecutionHistory+ListExecutions")).toEqual({
      throttle: 0.2, error: 0.1, slow: 0.1, slowMs: 300, drop: 0.05, expireToken: 0.1, seed: 7, operations: ["GetExecutionHistory", "ListExecutions"],
    });
    expect(() => parseFaultSpec("explode=1")).toThrow(/unknown fault 'explode'/);
  });

  it("answers ThrottlingException with status 400 when throttling is injected", async () => {
    const local = await startAwsEndpoint({ faults: { throttle: 1, operations: ["ListStateMachines"] } });
    const client = sfnClient(local.url);
    try {
      await expect(client.send(new ListStateMachinesCommand({}))).rejects.toMatchObject({ name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
    } finally {
      client.destroy();
      await local.close();
    }
  });
});
