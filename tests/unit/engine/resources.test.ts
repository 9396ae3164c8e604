import { describe, expect, it } from "vitest";
import { classifyResource } from "../../../lib/engine/resources";

describe("classifyResource", () => {
  it("a bare Lambda function ARN uses the LambdaFunction family", () => {
    expect(classifyResource("arn:aws:lambda:us-east-1:123456789012:function:f")).toEqual({ kind: "lambda", arn: "arn:aws:lambda:us-east-1:123456789012:function:f" });
  });
  it("an activity ARN uses the Activity family", () => {
    expect(classifyResource("arn:aws:states:us-east-1:123456789012:activity:a").kind).toBe("activity");
  });
  it("splits an optimized integration into resourceType and resource", () => {
    expect(classifyResource("arn:aws:states:::lambda:invoke")).toMatchObject({ kind: "service", resourceType: "lambda", resource: "invoke", pattern: "requestResponse" });
  });
  it("keeps the aws-sdk service in resourceType", () => {
    expect(classifyResource("arn:aws:states:::aws-sdk:s3:getObject")).toMatchObject({ resourceType: "aws-sdk:s3", resource: "getObject" });
  });
  it("recognises .sync, .sync:2 and .waitForTaskToken", () => {
    expect(classifyResource("arn:aws:states:::states:startExecution.sync:2")).toMatchObject({ resourceType: "states", resource: "startExecution.sync:2", pattern: "sync" });
    expect(classifyResource("arn:aws:states:::ecs:runTask.sync")).toMatchObject({ resourceType: "ecs", resource: "runTask.sync", pattern: "sync" });
    expect(classifyResource("arn:aws:states:::sqs:sendMessage.waitForTaskToken")).toMatchObject({ resourceType: "sqs", resource: "sendMessage.waitForTaskToken", pattern: "waitForTaskToken" });
  });
  it("treats any other resource as an activity (the only family left on AWS)", () => {
    expect(classifyResource("activity_arn")).toEqual({ kind: "activity", arn: "activity_arn" });
    expect(classifyResource("arn:aws:ecs:us-east-1:123456789012:cluster/c").kind).toBe("activity");
    expect(classifyResource("arn:aws:lambda:us-east-1:123456789012:function:f").kind).toBe("lambda");
  });
});
