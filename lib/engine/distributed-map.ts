// Distributed Map: items from an ItemReader (through the injected ItemSource) or the input,
// ItemBatcher, child executions run as their own executions (own histories) under a map run,
// ToleratedFailurePercentage/Count, ResultWriter. The parent history records only
// MapStateStarted, MapRunStarted and MapRunSucceeded/MapRunFailed.
import type { Json, StateMachineType } from "../history/types";
import { type MapState, type QueryLanguage, type StateMachineDefinition, itemProcessorOf } from "../asl/model";
import { StatesError, STATES_ERRORS } from "../asl/errors";
import type { EvalEnv } from "../asl/context";
import { batchItems, exceedsToleratedFailure, mapItemInputs, mapItems, mapMaxConcurrency, toleratedFailure } from "../asl/dataflow";
import { evaluatePayloadTemplate, evaluateRequiredPath } from "../asl/paths";
import { evaluateJsonata, evaluateJsonataTemplate, isJsonataExpression } from "../asl/jsonata";
import { uuidV4 } from "../asl/intrinsics";
import type { Clock } from "./clock";
import { itemsFromSource } from "./item-reader";
import { resultWriterFiles } from "./result-writer";
import type { Frame, MapRun } from "./threads";
import type { ExecutionHandle, ItemSource, MapRunRecord, ResultSink } from "./types";

/** A child execution, started by the host and awaited here. */
export type ChildExecution = ExecutionHandle;

/** What a distributed Map needs from the execution that runs it. */
export interface DistributedMapHost {
  readonly clock: Clock;
  readonly random: () => number;
  readonly queryLanguage?: QueryLanguage;
  readonly itemSource?: ItemSource;
  readonly resultSink?: ResultSink;
  emit(type: string, prev: number, key?: string, details?: Record<string, unknown>): number;
  /** Notes the MapStateStarted of the attempt that began at `prev` (later failures point there). */
  mapStarted(prev: number, startedId: number): void;
  mapRunArn(label: string, runId: string): string;
  addMapRun(record: MapRunRecord): void;
  /** Starts a child execution of the item processor. */
  startChild(definition: StateMachineDefinition, input: Json, name: string, type: StateMachineType, label: string, mapRunArn: string): ChildExecution;
}

async function readItems(host: DistributedMapHost, state: MapState, input: Json, env: EvalEnv): Promise<Json[]> {
  const reader = state.ItemReader;
  if (!reader) return (await mapItems(state, input, env)).items;
  const source = host.itemSource;
  if (!source) throw new StatesError(STATES_ERRORS.ItemReaderFailed, "No item source is configured for ItemReader (pass itemSource, or --items-dir on the CLI).");
  const jsonata = env.queryLanguage === "JSONata";
  const params = jsonata
    ? reader.Arguments !== undefined ? await evaluateJsonataTemplate(reader.Arguments, { input, context: env.context }, env.variables, { field: "Arguments" }) : {}
    : reader.Parameters !== undefined ? evaluatePayloadTemplate(reader.Parameters, input, env) : {};
  const config = reader.ReaderConfig;
  let maxItems: number | undefined;
  if (config?.MaxItemsPath !== undefined) maxItems = Number(evaluateRequiredPath(config.MaxItemsPath, input, env));
  else if (typeof config?.MaxItems === "string" && isJsonataExpression(config.MaxItems)) maxItems = Number(await evaluateJsonata(config.MaxItems, { input, context: env.context }, env.variables, { field: "MaxItems" }));
  else if (typeof config?.MaxItems === "number") maxItems = config.MaxItems;
  const content = await host.clock.track(Promise.resolve(source.read(reader.Resource, params)));
  let items = itemsFromSource(content, config, maxItems);
  if (state.ItemsPath !== undefined && state.ItemsPath !== "$" && !jsonata) {
    const selected = evaluateRequiredPath(state.ItemsPath, items, env);
    if (!Array.isArray(selected)) throw new StatesError(STATES_ERRORS.Runtime, `Invalid path '${state.ItemsPath}': the ItemReader result at this path is not an array.`);
    items = selected;
  }
  return items;
}

export async function runDistributedMap(host: DistributedMapHost, frame: Frame, name: string, state: MapState, input: Json, env: EvalEnv, prev: number): Promise<MapRun> {
  const items = await readItems(host, state, input, env);
  let childInputs = await mapItemInputs(state, input, items, env);
  if (state.ItemBatcher) childInputs = await batchItems(state, input, childInputs, env);
  const maxConcurrency = state.MaxConcurrency !== undefined || state.MaxConcurrencyPath !== undefined ? await mapMaxConcurrency(state, input, env) : 0;
  frame.cancel.throwIfCancelled();
  const startedId = host.emit("MapStateStarted", prev, "mapStateStartedEventDetails", { length: items.length });
  host.mapStarted(prev, startedId);
  const tolerance = await toleratedFailure(state, input, env);
  const processor = itemProcessorOf(state);
  const label = state.Label ?? name;
  const runId = uuidV4(host.random);
  const mapRunArn = host.mapRunArn(label, runId);
  const runStartedId = host.emit("MapRunStarted", startedId, "mapRunStartedEventDetails", { mapRunArn });
  const record: MapRunRecord = { mapRunArn, stateName: name, status: "RUNNING", itemCounts: { total: childInputs.length, succeeded: 0, failed: 0, aborted: 0 }, executions: [] };
  host.addMapRun(record);
  const childDefinition: StateMachineDefinition = { StartAt: processor.StartAt, States: processor.States };
  if (host.queryLanguage) childDefinition.QueryLanguage = host.queryLanguage;
  const childType = processor.ProcessorConfig?.ExecutionType ?? "STANDARD";
  const outputs: Json[] = new Array(childInputs.length);
  let failed = 0;
  let next = 0;
  let exceeded = false;
  const limit = maxConcurrency > 0 ? maxConcurrency : childInputs.length;
  const children: ChildExecution[] = [];
  await new Promise<void>((resolve) => {
    let running = 0;
    // A failure past the tolerance, or an abort of the Map, stops the children still running.
    const stopRunning = () => {
      for (const c of children) if (c.status === "RUNNING") c.stop();
    };
    const unsubscribe = frame.cancel.onCancel(stopRunning);
    const done = () => {
      unsubscribe();
      resolve();
    };
    const launch = () => {
      if (exceeded || frame.cancel.reason || next >= childInputs.length) {
        if (running === 0) done();
        return;
      }
      const index = next++;
      running++;
      const child = host.startChild(childDefinition, childInputs[index], `${runId}:${index}`, childType, label, mapRunArn);
      children.push(child);
      record.executions.push(child);
      void child.result().then((r) => {
        running--;
        if (r.status === "SUCCEEDED") {
          record.itemCounts.succeeded++;
          outputs[index] = r.output === undefined ? null : r.output;
        } else if (r.status === "ABORTED") {
          record.itemCounts.aborted++;
        } else {
          failed++;
          record.itemCounts.failed++;
          if (!exceeded && exceedsToleratedFailure(tolerance, failed, childInputs.length)) {
            exceeded = true;
            stopRunning();
          }
        }
        launch();
      });
    };
    if (childInputs.length === 0) done();
    else for (let i = 0; i < limit && i < childInputs.length; i++) launch();
  });
  if (frame.cancel.reason) {
    record.status = "ABORTED";
    return { t: "aborted" };
  }
  if (exceeded) {
    record.status = "FAILED";
    const error = STATES_ERRORS.ExceedToleratedFailureThreshold;
    const cause = "The specified tolerated failure threshold was exceeded";
    const runFailedId = host.emit("MapRunFailed", runStartedId, "mapRunFailedEventDetails", { error, cause });
    return { t: "fail", failure: { error, cause, prev: runFailedId }, stateFailed: true };
  }
  record.status = "SUCCEEDED";
  record.results = outputs;
  let output: Json = outputs;
  if (state.ResultWriter) output = await writeResults(host, state, input, env, mapRunArn, children);
  const runSucceededId = host.emit("MapRunSucceeded", runStartedId);
  host.emit("MapStateSucceeded", runSucceededId);
  return { t: "ok", output, prev: runSucceededId };
}

/** ResultWriter: the manifest and result files go to the result sink; the state gets their location. */
async function writeResults(host: DistributedMapHost, state: MapState, input: Json, env: EvalEnv, mapRunArn: string, children: ChildExecution[]): Promise<Json> {
  const writer = state.ResultWriter ?? {};
  const params = env.queryLanguage === "JSONata"
    ? writer.Arguments !== undefined ? await evaluateJsonataTemplate(writer.Arguments, { input, context: env.context }, env.variables, { field: "Arguments" }) : {}
    : writer.Parameters !== undefined ? evaluatePayloadTemplate(writer.Parameters, input, env) : {};
  const { files, output } = resultWriterFiles(mapRunArn, params, children.map((c) => c.describe()));
  if (host.resultSink) await host.clock.track(Promise.resolve(host.resultSink(files, params)));
  return output;
}
