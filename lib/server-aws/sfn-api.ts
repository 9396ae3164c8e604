// The Step Functions operations of the local endpoint. Requests arrive as parsed JSON (AWS JSON
// 1.0 bodies); answers are plain objects with dates as epoch seconds, errors AwsApiErrors with
// AWS's names. Executions run in lib/engine; Express executions write their history to the logs
// service like Step Functions writes to CloudWatch Logs.
import crypto from "node:crypto";
import { validateDefinition } from "@/lib/asl/validate";
import {
  type ExecutionDescription, InvalidExecutionInputError, mockConfigResolver, type MockConfig, startExecution, type TaskInvocation, type TaskOutcome, type TaskResolver, TaskTokenError,
} from "@/lib/engine";
import type { HistoryEvent, Json, StateMachineType } from "@/lib/history/types";
import { mapRunConfig, mapRunCounts, mapRunTimes } from "@/lib/engine/map-runs";
import { isLoggedAt, type LogLevel, toLogRecord } from "@/lib/sources/cloudwatch-logs/record";
import { AwsApiError, invalidArn, validation } from "./errors";
import { logStreamNameFor, type LogsService } from "./logs";
import {
  describeEntry, eventsOf, type ExecutionEntry, type MapRunView, listingTime, type LoggingConfiguration, Registry, type StateMachineEntry, type StateMachineSnapshot,
} from "./registry";
import type { EndpointPersistence } from "./persistence";
import { decodeToken, encodeToken, pageSize } from "./tokens";

type Req = Record<string, unknown>;

export interface MapRunCounts {
  pending: number; running: number; succeeded: number; failed: number; timedOut: number; aborted: number; total: number; resultsWritten: number;
  failuresNotRedrivable: number; pendingRedrive: number;
}

export interface MapRunDescription {
  mapRunArn: string;
  executionArn: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
  redriveCount: number;
}

export interface StepFunctionsOptions {
  region: string;
  accountId: string;
  /** Step Functions Local mock configuration: select a test case with `<stateMachineArn>#<TestCase>`. */
  mockConfig?: MockConfig;
  /** Resolves tasks no mock handles (tests). */
  taskResolver?: TaskResolver;
  /** "real" (default, like Step Functions Local) or "virtual" (Wait states end at once). */
  clock?: "real" | "virtual";
  /** Called once per execution when it ends. */
  onExecutionEnd?: (entry: ExecutionEntry) => void;
  /** Keeps state machines and finished executions (in the store). */
  persistence?: EndpointPersistence;
}

const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^~$&,;:/|`]/;
/** AWS's name rules: 1-80 characters, no whitespace, brackets, wildcards, specials or control characters. */
function isValidName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
}
const sec = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function requireString(req: Req, field: string): string {
  const v = req[field];
  if (typeof v !== "string" || v === "") throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function checkName(name: string): void {
  if (!isValidName(name)) throw new AwsApiError("InvalidName", `Invalid Name: '${name}'`);
}

function checkDefinition(definition: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (err) {
    throw new AwsApiError("InvalidDefinition", `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${(err as Error).message}'`);
  }
  const problems = validateDefinition(parsed);
  if (problems.length) throw new AwsApiError("InvalidDefinition", `Invalid State Machine Definition: '${problems.map((p) => `${p.code.toUpperCase().replace(/-/g, "_")}: ${p.message} at /${p.pointer}`).join(", ")}'`);
}

function readLogging(raw: unknown): LoggingConfiguration {
  if (raw === undefined || raw === null) return { level: "OFF", includeExecutionData: false };
  if (typeof raw !== "object") throw validation("loggingConfiguration must be an object");
  const r = raw as Req;
  const level = (r.level ?? "OFF") as LogLevel;
  if (!["ALL", "ERROR", "FATAL", "OFF"].includes(level)) throw validation(`Invalid logging level: ${String(r.level)}`);
  const destinations = Array.isArray(r.destinations) ? (r.destinations as LoggingConfiguration["destinations"]) : undefined;
  if (level !== "OFF") {
    const arn = destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
    if (!destinations || destinations.length !== 1 || !arn) throw new AwsApiError("InvalidLoggingConfiguration", "Invalid Logging Configuration: Exactly one destination is required unless the level is OFF.");
    if (!arn.endsWith(":*")) throw new AwsApiError("InvalidLoggingConfiguration", "Invalid Logging Configuration: Log Destination ARN must end with ':*'.");
  }
  return { level, includeExecutionData: r.includeExecutionData === true, ...(destinations ? { destinations } : {}) };
}

function wireDescription(d: ExecutionDescription) {
  return {
    executionArn: d.executionArn, stateMachineArn: d.stateMachineArn, name: d.name, status: d.status,
    startDate: sec(d.startDate), stopDate: sec(d.stopDate), input: d.input, inputDetails: d.inputDetails,
    output: d.output, outputDetails: d.outputDetails, error: d.error, cause: d.cause, mapRunArn: d.mapRunArn,
    redriveCount: 0, redriveStatus: d.status === "RUNNING" || d.status === "SUCCEEDED" ? "NOT_REDRIVABLE" : "REDRIVABLE",
  };
}

/** An event on the wire: timestamp in epoch seconds; payloads dropped when includeExecutionData is false. */
function wireEvent(e: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { timestamp: e.timestamp / 1000, type: e.type, id: e.id, previousEventId: e.previousEventId };
  for (const [key, value] of Object.entries(e)) {
    if (!key.endsWith("EventDetails") || value === undefined) continue;
    if (includeData) out[key] = value;
    else {
      const { input: _i, output: _o, ...rest } = value as Record<string, unknown>;
      void _i;
      void _o;
      out[key] = rest;
    }
  }
  if (e.unknownDetails) out[e.unknownDetails.key] = e.unknownDetails.value;
  return out;
}

export class StepFunctionsService {
  readonly registry = new Registry();

  constructor(private readonly options: StepFunctionsOptions, private readonly logs: LogsService) {}

  private arn(kind: string, ...parts: string[]): string {
    return `arn:aws:states:${this.options.region}:${this.options.accountId}:${kind}:${parts.join(":")}`;
  }

  private machine(arnRaw: unknown): StateMachineEntry {
    const arn = str(arnRaw);
    if (!arn || !arn.startsWith("arn:")) throw invalidArn(arnRaw);
    const sm = this.registry.stateMachines.get(arn.split("#")[0]);
    if (!sm) throw new AwsApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  private execution(arnRaw: unknown, allowExpress = false): ExecutionEntry {
    const arn = str(arnRaw);
    if (!arn || !/^arn:[^:]+:states:/.test(arn)) throw invalidArn(arnRaw);
    const entry = this.registry.findExecution(arn);
    if (!entry) throw new AwsApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    // Express executions are only visible through the API when a Map Run dispatched them.
    if (entry.type === "EXPRESS" && !entry.machine.mapRunArn && !allowExpress) throw invalidArn(arn);
    return entry;
  }

  handle(operation: string, req: Req): unknown | Promise<unknown> {
    switch (operation) {
      case "CreateStateMachine": return this.createStateMachine(req);
      case "UpdateStateMachine": return this.updateStateMachine(req);
      case "DescribeStateMachine": return this.describeStateMachine(req);
      case "ListStateMachines": return this.listStateMachines(req);
      case "DeleteStateMachine": return this.deleteStateMachine(req);
      case "StartExecution": return this.startExecution(req, false);
      case "StartSyncExecution": return this.startExecution(req, true);
      case "StopExecution": return this.stopExecution(req);
      case "DescribeExecution": return wireDescription(describeEntry(this.execution(req.executionArn)));
      case "ListExecutions": return this.listExecutions(req);
      case "GetExecutionHistory": return this.getExecutionHistory(req);
      case "DescribeStateMachineForExecution": return this.describeStateMachineForExecution(req);
      case "ListMapRuns": return this.listMapRuns(req);
      case "DescribeMapRun": return this.describeMapRun(req);
      case "SendTaskSuccess": return this.sendTask(req, "success");
      case "SendTaskFailure": return this.sendTask(req, "failure");
      case "SendTaskHeartbeat": return this.sendTask(req, "heartbeat");
      default:
        throw new AwsApiError("UnknownOperationException", `Operation ${operation} is not supported by this endpoint`);
    }
  }

  // ---- state machines ----------------------------------------------------------------------

  private createStateMachine(req: Req) {
    const name = requireString(req, "name");
    checkName(name);
    const definition = requireString(req, "definition");
    const roleArn = requireString(req, "roleArn");
    const type = (req.type ?? "STANDARD") as StateMachineType;
    if (type !== "STANDARD" && type !== "EXPRESS") throw validation(`Invalid type: ${String(req.type)}`);
    checkDefinition(definition);
    const loggingConfiguration = readLogging(req.loggingConfiguration);
    const arn = this.arn("stateMachine", name);
    const existing = this.registry.stateMachines.get(arn);
    if (existing) {
      // AWS: idempotent when everything is the same, StateMachineAlreadyExists otherwise.
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) return { stateMachineArn: arn, creationDate: sec(existing.creationDate) };
      throw new AwsApiError("StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`);
    }
    const entry: StateMachineEntry = {
      arn, name, type, definition, roleArn, loggingConfiguration,
      tracingConfiguration: { enabled: (req.tracingConfiguration as { enabled?: boolean } | undefined)?.enabled === true },
      creationDate: Date.now(), revisionId: null,
      ...(typeof req.description === "string" ? { description: req.description } : {}),
    };
    this.registry.stateMachines.set(arn, entry);
    this.options.persistence?.saveStateMachine(entry);
    this.createLogGroupFor(entry);
    return { stateMachineArn: arn, creationDate: sec(entry.creationDate) };
  }

  private createLogGroupFor(sm: StateMachineEntry): void {
    const arn = sm.loggingConfiguration.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
    if (sm.loggingConfiguration.level !== "OFF" && arn) this.logs.ensureLogGroup(arn);
  }

  private updateStateMachine(req: Req) {
    const sm = this.machine(req.stateMachineArn);
    if (req.definition === undefined && req.roleArn === undefined && req.loggingConfiguration === undefined && req.tracingConfiguration === undefined) {
      throw new AwsApiError("MissingRequiredParameter", "Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified");
    }
    if (typeof req.definition === "string") {
      checkDefinition(req.definition);
      sm.definition = req.definition;
    }
    if (typeof req.roleArn === "string") sm.roleArn = req.roleArn;
    if (req.loggingConfiguration !== undefined) sm.loggingConfiguration = readLogging(req.loggingConfiguration);
    if (req.tracingConfiguration !== undefined) sm.tracingConfiguration = { enabled: (req.tracingConfiguration as { enabled?: boolean }).enabled === true };
    sm.updateDate = Date.now();
    sm.revisionId = crypto.randomUUID();
    this.options.persistence?.saveStateMachine(sm);
    this.createLogGroupFor(sm);
    return { updateDate: sec(sm.updateDate), revisionId: sm.revisionId };
  }

  private describeStateMachine(req: Req) {
    const sm = this.machine(req.stateMachineArn);
    return {
      stateMachineArn: sm.arn, name: sm.name, status: "ACTIVE", definition: req.includedData === "METADATA_ONLY" ? "{}" : sm.definition,
      roleArn: sm.roleArn, type: sm.type, creationDate: sec(sm.creationDate), loggingConfiguration: sm.loggingConfiguration,
      tracingConfiguration: sm.tracingConfiguration, description: sm.description, revisionId: sm.revisionId ?? undefined,
    };
  }

  private listStateMachines(req: Req) {
    const all = [...this.registry.stateMachines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const size = pageSize(req.maxResults);
    const start = req.nextToken !== undefined ? decodeToken<number>(req.nextToken, { op: "ListStateMachines" }) : 0;
    const page = all.slice(start, start + size);
    return {
      stateMachines: page.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: sm.type, creationDate: sec(sm.creationDate) })),
      nextToken: start + size < all.length ? encodeToken(start + size, { op: "ListStateMachines" }) : undefined,
    };
  }

  private deleteStateMachine(req: Req) {
    const arn = str(req.stateMachineArn);
    if (!arn?.startsWith("arn:")) throw invalidArn(req.stateMachineArn);
    const sm = this.registry.stateMachines.get(arn);
    if (sm) {
      this.registry.stateMachines.delete(arn);
      this.options.persistence?.deleteStateMachine(arn);
      for (const entry of this.registry.executions.values()) if (entry.machine.stateMachineArn === arn && entry.handle?.status === "RUNNING") entry.handle.stop("States.Aborted", "State machine deleted");
    }
    return {};
  }

  private snapshot(sm: StateMachineEntry): StateMachineSnapshot {
    return {
      stateMachineArn: sm.arn, name: sm.name, definition: sm.definition, roleArn: sm.roleArn, loggingConfiguration: sm.loggingConfiguration,
      tracingConfiguration: sm.tracingConfiguration, updateDate: sm.updateDate ?? sm.creationDate, revisionId: sm.revisionId,
    };
  }

  // ---- executions --------------------------------------------------------------------------

  private taskResolver(sm: StateMachineEntry, testCase: string | undefined): TaskResolver {
    const mock = this.options.mockConfig && testCase ? mockConfigResolver(this.options.mockConfig, sm.name, testCase) : undefined;
    if (testCase && this.options.mockConfig && !this.options.mockConfig.StateMachines[sm.name]?.TestCases[testCase]) {
      throw validation(`No test case '${testCase}' for state machine '${sm.name}' in the mock configuration`);
    }
    const fallback = this.options.taskResolver;
    // A mock answers first; then states:startExecution runs the child here; then the caller's resolver.
    return async (inv) => (mock ? await mock(inv) : undefined) ?? (await this.startChildExecution(inv)) ?? (fallback ? await fallback(inv) : undefined);
  }

  /**
   * The states:startExecution integration against this endpoint's own state machines: request-
   * response answers with the ExecutionArn, .sync / .sync:2 wait for the child and answer with its
   * description (Output parsed for :2); a failed child fails the task with States.TaskFailed.
   */
  private async startChildExecution(inv: TaskInvocation): Promise<TaskOutcome | undefined> {
    const t = inv.target;
    if (t.kind !== "service" || t.resourceType !== "states" || !t.resource.startsWith("startExecution")) return undefined;
    const req = (inv.input ?? {}) as Record<string, Json>;
    const input = req.Input === undefined ? "{}" : typeof req.Input === "string" ? req.Input : JSON.stringify(req.Input);
    let entry: ExecutionEntry;
    try {
      const sm = this.machine(req.StateMachineArn);
      entry = this.launch(sm, typeof req.Name === "string" ? req.Name : crypto.randomUUID(), input, undefined);
    } catch (err) {
      return { error: err instanceof AwsApiError ? `StepFunctions.${err.type}Exception` : "States.TaskFailed", cause: (err as Error).message };
    }
    const started = describeEntry(entry);
    if (t.pattern === "requestResponse") return { output: { ExecutionArn: entry.executionArn, StartDate: new Date(started.startDate).toISOString() } };
    await entry.handle?.result();
    const d = describeEntry(entry);
    const description: Record<string, Json> = {
      ExecutionArn: d.executionArn, Input: t.resource.endsWith(":2") ? (JSON.parse(d.input) as Json) : d.input, InputDetails: { Included: true }, Name: d.name,
      StartDate: d.startDate, StateMachineArn: d.stateMachineArn, Status: d.status, StopDate: d.stopDate ?? null,
    };
    if (d.status === "SUCCEEDED") {
      description.Output = d.output === undefined ? null : t.resource.endsWith(":2") ? (JSON.parse(d.output) as Json) : d.output;
      description.OutputDetails = { Included: true };
      return { output: description };
    }
    if (d.error !== undefined) description.Error = d.error;
    if (d.cause !== undefined) description.Cause = d.cause;
    return { error: "States.TaskFailed", cause: JSON.stringify(description) };
  }

  private async startExecution(req: Req, sync: boolean) {
    const requested = requireString(req, "stateMachineArn");
    const [smArn, testCase] = requested.split("#");
    const sm = this.machine(smArn);
    if (sync && sm.type !== "EXPRESS") throw new AwsApiError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
    const name = str(req.name) ?? crypto.randomUUID();
    const inputText = str(req.input) ?? "{}";
    if (sm.type === "STANDARD") {
      const existing = this.registry.executions.get(this.arn("execution", sm.name, name));
      // StartExecution is idempotent for a running execution with the same input.
      if (existing && existing.inputText === inputText && describeEntry(existing).status === "RUNNING") return { executionArn: existing.executionArn, startDate: sec(describeEntry(existing).startDate) };
    }
    const entry = this.launch(sm, name, inputText, testCase);
    const handle = entry.handle!;
    if (!sync) return { executionArn: handle.executionArn, startDate: sec(handle.describe().startDate) };
    await handle.result();
    const d = handle.describe();
    return {
      executionArn: d.executionArn, stateMachineArn: d.stateMachineArn, name, startDate: sec(d.startDate), stopDate: sec(d.stopDate),
      status: d.status, input: d.input, inputDetails: d.inputDetails, output: d.output, outputDetails: d.outputDetails,
      error: d.error, cause: d.cause, billingDetails: d.billingDetails,
    };
  }

  /** Starts an execution of a state machine with the engine and registers it. */
  private launch(sm: StateMachineEntry, name: string, inputText: string, testCase: string | undefined): ExecutionEntry {
    checkName(name);
    let input: Json;
    try {
      input = JSON.parse(inputText) as Json;
    } catch {
      throw new AwsApiError("InvalidExecutionInput", `Invalid execution input: ${inputText.slice(0, 200)}`);
    }
    const existing = sm.type === "STANDARD" ? this.registry.executions.get(this.arn("execution", sm.name, name)) : undefined;
    if (existing) throw new AwsApiError("ExecutionAlreadyExists", `Execution Already Exists: '${existing.executionArn}'`);
    const machine = this.snapshot(sm);
    const entryRef: { entry?: ExecutionEntry } = {};
    const log = this.logWriter(sm);
    let handle: ReturnType<typeof startExecution>;
    try {
      handle = startExecution({
        definition: sm.definition, input, name: sm.type === "EXPRESS" ? `${name}:${crypto.randomUUID()}` : name,
        stateMachineArn: sm.arn, stateMachineName: sm.name, type: sm.type, region: this.options.region, accountId: this.options.accountId,
        roleArn: sm.roleArn, clock: this.options.clock ?? "real", taskResolver: this.taskResolver(sm, testCase),
        onEvent: log ? (event) => entryRef.entry && log(event, entryRef.entry.executionArn) : undefined,
      });
    } catch (err) {
      // over 256 KiB, or nested too deeply to record
      if (err instanceof InvalidExecutionInputError) throw new AwsApiError("InvalidExecutionInput", `Invalid execution input: ${err.message}`);
      throw err;
    }
    const entry: ExecutionEntry = { executionArn: handle.executionArn, type: sm.type, machine, inputText, handle };
    entryRef.entry = entry;
    // Events recorded before the entry existed (the engine may record ExecutionStarted synchronously).
    if (log) for (const event of handle.events) log(event, entry.executionArn);
    this.registry.executions.set(entry.executionArn, entry);
    void handle.result().then(() => {
      this.options.persistence?.saveExecution(entry, this.registry.mapRunsOf(entry).map((run) => ({ description: this.mapRunDescription(run), stateMachineArn: run.children[0]?.machine.stateMachineArn ?? "", children: run.children })));
      this.options.onExecutionEnd?.(entry);
    });
    return entry;
  }

  /** Writes each event as a log record when the machine logs (Express and Standard alike). */
  private logWriter(sm: StateMachineEntry): ((event: HistoryEvent, executionArn: string) => void) | undefined {
    const cfg = sm.loggingConfiguration;
    const group = cfg.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
    if (cfg.level === "OFF" || !group) return undefined;
    const written = new Set<string>();
    return (event, executionArn) => {
      const key = `${executionArn}#${event.id}`;
      if (written.has(key) || !isLoggedAt(cfg.level, event.type)) return;
      written.add(key);
      const record = toLogRecord(event, executionArn, { includeExecutionData: cfg.includeExecutionData });
      this.logs.putLogEvent(group, logStreamNameFor(sm.name, event.timestamp), event.timestamp, JSON.stringify(record));
    };
  }

  private stopExecution(req: Req) {
    const entry = this.execution(req.executionArn);
    const handle = entry.handle;
    if (!handle || handle.status !== "RUNNING") throw new AwsApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${entry.executionArn}' is not running`);
    handle.stop(str(req.error), str(req.cause));
    return { stopDate: sec(handle.describe().stopDate ?? Date.now()) };
  }

  private listExecutions(req: Req) {
    const smArn = str(req.stateMachineArn);
    const mapRunArn = str(req.mapRunArn);
    if (smArn && mapRunArn) throw validation("Only one of stateMachineArn and mapRunArn may be given");
    let candidates: ExecutionEntry[];
    if (mapRunArn) {
      const run = this.registry.findMapRun(mapRunArn);
      if (!run) throw new AwsApiError("ResourceNotFound", `Resource not found: '${mapRunArn}'`);
      candidates = run.children;
    } else {
      const sm = this.machine(smArn);
      if (sm.type === "EXPRESS") throw new AwsApiError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
      candidates = [...this.registry.executions.values()].filter((e) => e.machine.stateMachineArn === sm.arn);
    }
    const statusFilter = str(req.statusFilter);
    const rows = candidates
      .map((e) => describeEntry(e))
      .filter((d) => !statusFilter || d.status === statusFilter)
      .map((d) => ({ d, key: [listingTime(d), d.executionArn] as [number, string] }))
      .sort((a, b) => b.key[0] - a.key[0] || (a.key[1] < b.key[1] ? 1 : a.key[1] > b.key[1] ? -1 : 0));
    const size = pageSize(req.maxResults);
    const args = { smArn, mapRunArn, statusFilter };
    // The token remembers the last row's sort key, so executions starting meanwhile do not shift pages.
    const after = req.nextToken !== undefined ? decodeToken<[number, string]>(req.nextToken, args) : null;
    const remaining = after ? rows.filter((r) => r.key[0] < after[0] || (r.key[0] === after[0] && r.key[1] < after[1])) : rows;
    const page = remaining.slice(0, size);
    const last = page[page.length - 1];
    return {
      executions: page.map(({ d }) => ({
        executionArn: d.executionArn, stateMachineArn: d.stateMachineArn, name: d.name, status: d.status, startDate: sec(d.startDate), stopDate: sec(d.stopDate),
        ...(mapRunArn ? { mapRunArn, itemCount: 1 } : {}), redriveCount: 0,
      })),
      nextToken: remaining.length > size && last ? encodeToken(last.key, args) : undefined,
    };
  }

  private getExecutionHistory(req: Req) {
    const entry = this.execution(req.executionArn);
    const events = eventsOf(entry);
    const size = pageSize(req.maxResults);
    const reverse = req.reverseOrder === true;
    const includeData = req.includeExecutionData !== false;
    const args = { arn: entry.executionArn, reverse, includeData };
    const start = req.nextToken !== undefined ? decodeToken<number>(req.nextToken, args) : 0;
    const ordered = reverse ? [...events].reverse() : events;
    const page = ordered.slice(start, start + size);
    return {
      events: page.map((e) => wireEvent(e, includeData)),
      nextToken: start + size < ordered.length ? encodeToken(start + size, args) : undefined,
    };
  }

  private describeStateMachineForExecution(req: Req) {
    const entry = this.execution(req.executionArn);
    const m = entry.machine;
    return {
      stateMachineArn: m.stateMachineArn, name: m.name, definition: req.includedData === "METADATA_ONLY" ? "{}" : m.definition, roleArn: m.roleArn,
      updateDate: sec(m.updateDate), loggingConfiguration: m.loggingConfiguration, tracingConfiguration: m.tracingConfiguration,
      mapRunArn: m.mapRunArn, label: m.label, revisionId: m.revisionId ?? undefined,
    };
  }

  private listMapRuns(req: Req) {
    const entry = this.execution(req.executionArn);
    const runs = this.registry.mapRunsOf(entry);
    const size = pageSize(req.maxResults);
    const args = { arn: entry.executionArn };
    const start = req.nextToken !== undefined ? decodeToken<number>(req.nextToken, args) : 0;
    const page = runs.slice(start, start + size);
    return {
      mapRuns: page.map((run) => {
        const t = this.mapRunTimes(run.record.mapRunArn, entry, run.children);
        return { executionArn: entry.executionArn, mapRunArn: run.record.mapRunArn, stateMachineArn: run.children[0]?.machine.stateMachineArn ?? `${entry.machine.stateMachineArn}/${run.record.stateName}`, startDate: sec(t.start), stopDate: sec(t.stop) };
      }),
      nextToken: start + size < runs.length ? encodeToken(start + size, args) : undefined,
    };
  }

  private mapRunTimes(mapRunArn: string, parent: ExecutionEntry, children: ExecutionEntry[]): { start: number; stop?: number } {
    return mapRunTimes(eventsOf(parent), mapRunArn, children.map((c) => describeEntry(c).startDate));
  }

  private describeMapRun(req: Req) {
    const arn = str(req.mapRunArn);
    if (!arn?.startsWith("arn:")) throw invalidArn(req.mapRunArn);
    const run = this.registry.findMapRun(arn);
    if (!run) throw new AwsApiError("ResourceNotFound", `Resource not found: '${arn}'`);
    const d = this.mapRunDescription(run);
    return { ...d, startDate: sec(d.startDate), stopDate: sec(d.stopDate) };
  }

  /** What DescribeMapRun says of a Map Run (dates in epoch ms). */
  mapRunDescription(run: MapRunView): MapRunDescription {
    const counts = mapRunCounts(run.record.itemCounts.total, run.children.map((c) => describeEntry(c).status));
    const t = this.mapRunTimes(run.record.mapRunArn, run.parent, run.children);
    return {
      mapRunArn: run.record.mapRunArn, executionArn: run.parent.executionArn, status: run.record.status, startDate: t.start, stopDate: t.stop,
      ...mapRunConfig(run.parent.machine.definition, run.record.stateName),
      itemCounts: counts, executionCounts: counts, redriveCount: 0,
    };
  }

  private sendTask(req: Req, kind: "success" | "failure" | "heartbeat") {
    const token = requireString(req, "taskToken");
    let output: Json = null;
    if (kind === "success") {
      const text = requireString(req, "output");
      try {
        output = JSON.parse(text) as Json;
      } catch {
        throw new AwsApiError("InvalidOutput", `Invalid output: ${text.slice(0, 200)}`);
      }
    }
    for (const entry of this.registry.executions.values()) {
      const handle = entry.handle;
      if (!handle || !handle.pendingTaskTokens().includes(token)) continue;
      try {
        if (kind === "success") handle.sendTaskSuccess(token, output);
        else if (kind === "failure") handle.sendTaskFailure(token, str(req.error), str(req.cause));
        else handle.sendTaskHeartbeat(token);
      } catch (err) {
        if (err instanceof TaskTokenError) throw new AwsApiError(err.code, err.message);
        throw err;
      }
      return {};
    }
    throw new AwsApiError("TaskDoesNotExist", "Task Does Not Exist");
  }

  /** Serves an execution that ran elsewhere: its history and description (tests, benchmarks, demos). */
  importExecution(input: { stateMachineArn: string; type?: StateMachineType; definition: string; events: HistoryEvent[]; description: ExecutionDescription }): ExecutionEntry {
    const sm = this.registry.stateMachines.get(input.stateMachineArn);
    const entry: ExecutionEntry = {
      executionArn: input.description.executionArn,
      type: input.type ?? sm?.type ?? "STANDARD",
      inputText: input.description.input,
      machine: sm ? { ...this.snapshot(sm), definition: input.definition } : {
        stateMachineArn: input.stateMachineArn, name: input.stateMachineArn.split(":").pop() ?? "", definition: input.definition,
        roleArn: `arn:aws:iam::${this.options.accountId}:role/statelens-local`, loggingConfiguration: { level: "OFF", includeExecutionData: false },
        tracingConfiguration: { enabled: false }, updateDate: input.description.startDate, revisionId: null,
      },
      imported: { events: input.events, description: input.description },
    };
    this.registry.executions.set(entry.executionArn, entry);
    return entry;
  }
}
