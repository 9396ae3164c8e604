// The context object (`$$` in JSONPath, `$states.context` in JSONata) a state saw, rebuilt from
// the history. What the history does not hold (the execution ARN unless the caller knows it, a
// task token) is an unknown marker, so it can never cause a divergence.
import type { Json } from "@/lib/history";
import { optionalMarker, unknownMarker } from "./compare";

/** What the caller may know about the execution beyond its history (DescribeExecution, bundles). */
export interface ExecutionFacts {
  executionArn?: string;
  name?: string;
  stateMachineArn?: string;
  stateMachineName?: string;
  roleArn?: string;
  type?: "STANDARD" | "EXPRESS";
  redriveCount?: number;
}

export interface ContextBase {
  executionInput: Json | undefined;
  startedAt: number | null;
  roleArn: string | undefined;
  facts: ExecutionFacts;
}

export function contextObject(
  base: ContextBase,
  state: { name: string; type: string; retryCount: number; resource?: string },
): Json {
  const f = base.facts;
  const execution: Record<string, Json> = {
    Id: f.executionArn ?? unknownMarker("$$.Execution.Id"),
    Input: base.executionInput ?? unknownMarker("$$.Execution.Input"),
    Name: f.name ?? unknownMarker("$$.Execution.Name"),
    RoleArn: f.roleArn ?? base.roleArn ?? unknownMarker("$$.Execution.RoleArn"),
    // The event timestamps are when AWS wrote the events, not necessarily the context's times.
    StartTime: unknownMarker("$$.Execution.StartTime"),
    // Recorded since AWS added redrive (2023); older histories' contexts do not have it.
    RedriveCount: f.redriveCount !== undefined ? f.redriveCount : optionalMarker("$$.Execution.RedriveCount"),
  };
  // AWS's contexts show RetryCount for Task states and none for Pass states (recorded); for
  // the other types the recordings do not tell.
  const stateContext: Record<string, Json> = { Name: state.name, EnteredTime: unknownMarker("$$.State.EnteredTime") };
  if (state.type === "Task") stateContext.RetryCount = state.retryCount;
  else if (state.type !== "Pass") stateContext.RetryCount = optionalMarker("$$.State.RetryCount");
  const context: Record<string, Json> = {
    Execution: execution,
    State: stateContext,
    StateMachine: {
      Id: f.stateMachineArn ?? unknownMarker("$$.StateMachine.Id"),
      Name: f.stateMachineName ?? unknownMarker("$$.StateMachine.Name"),
    },
  };
  // Only callback tasks and activities get a task token.
  if (state.resource !== undefined && (state.resource.endsWith(".waitForTaskToken") || state.resource.includes(":activity:"))) {
    context.Task = { Token: unknownMarker("$$.Task.Token") };
  }
  return context;
}
