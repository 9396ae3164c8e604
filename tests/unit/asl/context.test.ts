import { describe, expect, it } from "vitest";
import { buildContextObject, withMapItem } from "@/lib/asl/context";

const fields = {
  execution: { id: "arn:exec", input: { message: "TestMessage" }, name: "e1", roleArn: "arn:role", startTime: "2024-01-01T00:00:00.000Z", redriveCount: 0 },
  stateMachine: { id: "arn:sm", name: "sm" },
  state: { name: "QueryValues1", enteredTime: "2024-01-01T00:00:01.000Z" },
};

describe("buildContextObject", () => {
  it("builds AWS's shape for a Pass state (recorded)", () => {
    expect(buildContextObject(fields)).toEqual({
      Execution: { Id: "arn:exec", Input: { message: "TestMessage" }, StartTime: "2024-01-01T00:00:00.000Z", Name: "e1", RoleArn: "arn:role", RedriveCount: 0 },
      StateMachine: { Id: "arn:sm", Name: "sm" },
      State: { Name: "QueryValues1", EnteredTime: "2024-01-01T00:00:01.000Z" },
    });
  });

  it("keeps AWS's key order in Execution (recorded)", () => {
    const context = buildContextObject(fields) as { Execution: object };
    expect(Object.keys(context.Execution)).toEqual(["Id", "Input", "StartTime", "Name", "RoleArn", "RedriveCount"]);
  });

  it("adds State.RetryCount for a Task (recorded)", () => {
    const context = buildContextObject({ ...fields, state: { ...fields.state, retryCount: 2 } }) as { State: object };
    expect(context.State).toEqual({ Name: "QueryValues1", EnteredTime: "2024-01-01T00:00:01.000Z", RetryCount: 2 });
  });

  it("adds Task.Token for a callback task", () => {
    expect((buildContextObject({ ...fields, task: { token: "t" } }) as { Task: object }).Task).toEqual({ Token: "t" });
  });
});

describe("withMapItem", () => {
  it("adds Map.Item.Index and Map.Item.Value to the context", () => {
    expect(withMapItem({ State: { Name: "M" } }, 1, "b")).toEqual({ State: { Name: "M" }, Map: { Item: { Index: 1, Value: "b" } } });
  });
});
