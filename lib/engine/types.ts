// The engine's public contract: what a caller passes to startExecution and what it gets back.
// Designed for three callers: the CLI (`statelens run`), tests, and later the server (which
// needs the callback API: sendTaskSuccess/Failure/Heartbeat and stop).
import type { ExecutionStatus, HistoryEvent, Json, StateMachineType } from "../history/types";
import type { StateMachineDefinition } from "../asl/model";
import type { Clock } from "./clock";
import type { TaskResource } from "./resources";

/** What a task resolver is asked: one invocation (attempt) of one Task state. */
export interface TaskInvocation {
  /** The Task state's name. */
  stateName: string;
  /** The Task's Resource, verbatim. */
  resource: string;
  /** Resource classified: Lambda function, service integration (with pattern) or activity. */
  target: TaskResource;
  /** The request: the state input after InputPath and Parameters (or Arguments). */
  input: Json;
  /** 0 for the first attempt of this state entry, then 1, 2, ... for its retries. */
  retryCount: number;
  /** 0-based count of invocations of this state in the execution (retries and loops included). */
  invocationIndex: number;
  /** The task token for `.waitForTaskToken` and activities (also in `$$.Task.Token`). */
  taskToken?: string;
  /** The context object the state saw. */
  context: Json;
  executionArn: string;
  /** The state machine name (for mock config lookups). */
  stateMachineName: string;
}

/** How a task attempt ended. */
export type TaskOutcome =
  /**
   * `durationMs`: how long the attempt ran, in clock time. The engine records the outcome that
   * much later (on the virtual clock, instantly), so histories show realistic task times; a
   * duration past TimeoutSeconds ends the attempt with States.Timeout, as on AWS.
   */
  | { output: Json; durationMs?: number }
  /** `heartbeatTimeout` is set by the engine when HeartbeatSeconds expired (retriers and catchers may name it States.HeartbeatTimeout). */
  | { error: string; cause?: string; heartbeatTimeout?: boolean; durationMs?: number }
  /**
   * Callback tasks and activities only: the work was handed out and the engine waits for
   * sendTaskSuccess / sendTaskFailure (heartbeats via sendTaskHeartbeat). `submitted` is what the
   * service answered when the task was submitted (TaskSubmitted.output).
   */
  | { pending: true; submitted?: Json };

/**
 * Resolves task invocations. Returns undefined when it does not handle this invocation (the
 * next resolver is asked); throwing an Error fails the attempt with `States.TaskFailed`.
 * A StatesError thrown keeps its own error name.
 */
export type TaskResolver = (invocation: TaskInvocation) => TaskOutcome | undefined | Promise<TaskOutcome | undefined>;

/** Reads the items of a Distributed Map's ItemReader (a local file or directory standing in for S3). */
export interface ItemSource {
  /**
   * `resource` is the ItemReader's Resource (e.g. arn:aws:states:::s3:getObject), `parameters`
   * its evaluated Parameters/Arguments ({Bucket, Key} or {Bucket, Prefix}). Returns the object's
   * text for getObject, or the object list for listObjectsV2.
   */
  read(resource: string, parameters: Json): Promise<string | Json[]> | string | Json[];
}

/** Receives a Distributed Map's ResultWriter output (manifest and result files). */
export type ResultSink = (files: Array<{ key: string; body: string }>, parameters: Json) => Promise<void> | void;

export interface StartExecutionOptions {
  /** The definition: parsed, or its JSON text. */
  definition: StateMachineDefinition | string;
  /** Execution input; default {}. */
  input?: Json;
  /** Execution name; default a UUID. */
  name?: string;
  /** Default arn:aws:states:<region>:<account>:stateMachine:<stateMachineName>. */
  stateMachineArn?: string;
  /** Default "statelens-local" (or the last part of stateMachineArn). */
  stateMachineName?: string;
  type?: StateMachineType;
  region?: string;
  accountId?: string;
  roleArn?: string;
  /**
   * The activity ARNs that exist (have been created) in this local account. A Task naming any
   * other activity fails with States.Runtime "The activity ... does not exist.", as on AWS.
   * Default: every activity exists and waits for a worker (sendTaskSuccess/Failure).
   */
  activities?: readonly string[];
  /** Task resolution; an unresolved task fails the execution with States.Runtime. */
  taskResolver?: TaskResolver;
  /** "virtual" (default: a discrete-event clock), "real", or a Clock. */
  clock?: "virtual" | "real" | Clock;
  /** Virtual clock start, epoch ms; default Date.now(). */
  startTime?: number;
  /** Randomness (jitter, UUIDs, States.MathRandom); default Math.random. */
  random?: () => number;
  itemSource?: ItemSource;
  resultSink?: ResultSink;
  /** Called for every event as it is recorded. */
  onEvent?: (event: HistoryEvent) => void;
  /** Default 25,000 for STANDARD (AWS's quota), unlimited for EXPRESS. */
  maxHistoryEvents?: number;
  /** Set when this execution is a Distributed Map child. */
  mapRunArn?: string;
  /** Internal: shared by a parent and its Distributed Map children. */
  taskTokenPrefix?: string;
}

/** What DescribeExecution says (plus billing for Express). */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  inputDetails: { included: boolean };
  output?: string;
  outputDetails?: { included: boolean };
  error?: string;
  cause?: string;
  mapRunArn?: string;
  /** Express only: as StartSyncExecution reports it. */
  billingDetails?: { billedMemoryUsedInMB: number; billedDurationInMilliseconds: number };
}

export interface ExecutionResult {
  status: ExecutionStatus;
  output?: Json;
  error?: string;
  cause?: string;
}

/** A Distributed Map run with its child executions. */
export interface MapRunRecord {
  mapRunArn: string;
  stateName: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";
  itemCounts: { total: number; succeeded: number; failed: number; aborted: number };
  executions: ExecutionHandle[];
  results?: Json[];
}

export interface ExecutionHandle {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly type: StateMachineType;
  /** The history so far, in id order (AWS's GetExecutionHistory shape, timestamps in epoch ms). */
  readonly events: readonly HistoryEvent[];
  readonly status: ExecutionStatus;
  /** Resolves when the execution ends (whatever its status). */
  result(): Promise<ExecutionResult>;
  describe(): ExecutionDescription;
  /** Distributed Map runs started by this execution (their children are executions too). */
  readonly mapRuns: readonly MapRunRecord[];
  /** Task tokens currently waiting for a callback. */
  pendingTaskTokens(): string[];
  sendTaskSuccess(taskToken: string, output: Json): void;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: string): void;
  /** StopExecution: ends a running execution as ABORTED. */
  stop(error?: string, cause?: string): void;
}

/** Thrown by the callback API for an unknown or finished token (AWS: TaskDoesNotExist / TaskTimedOut). */
export class TaskTokenError extends Error {
  constructor(readonly code: "TaskDoesNotExist" | "InvalidToken" | "TaskTimedOut", message: string) {
    super(message);
    this.name = "TaskTokenError";
  }
}
