// The implementation of `statelens run` (options and help: bin/commands/run.ts, which loads this
// module only when the command runs): runs a definition on the local engine, prints
// {"status","output","error","cause"} and optionally writes the history as
// `aws stepfunctions get-execution-history` prints it. Exit 0 whatever the execution status;
// exit 2 for bad arguments or an invalid definition.
import fs from "node:fs";
import path from "node:path";
import type { Json } from "../../lib/history/types";
import { toCliHistory } from "../../lib/history/parse";
import { allStates, type StateMachineDefinition } from "../../lib/asl/model";
import { classifyResource } from "../../lib/engine/resources";
import { checkDefinition, InvalidDefinitionError, InvalidExecutionInputError } from "../../lib/engine/definition";
import { MockConfigError, mockConfigResolver, parseMockConfig } from "../../lib/engine/mock-config";
import { runExecution } from "../../lib/engine/execution";
import type { ExecutionHandle, ItemSource, ResultSink, TaskResolver } from "../../lib/engine/types";
import { CliError } from "../commands/util";

export interface RunOptions {
  input?: string;
  inputJson?: string;
  mockConfig?: string;
  stateMachine?: string;
  testCase?: string;
  express?: boolean;
  historyOut?: string;
  name?: string;
  itemsDir?: string;
  realTime?: boolean;
  /** Also store the run in the database named by DATABASE_URL (it then appears in the dashboard). */
  db?: boolean;
}

function usage(message: string): CliError {
  return new CliError(message, 2);
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw usage(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function parseJsonText(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw usage(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/** A local directory standing in for S3: s3://<Bucket>/<Key> is <dir>/<Bucket>/<Key>. */
function directoryItemSource(dir: string): ItemSource {
  return {
    read(resource, parameters) {
      const p = (parameters && typeof parameters === "object" && !Array.isArray(parameters) ? parameters : {}) as Record<string, Json>;
      const bucket = String(p.Bucket ?? "");
      if (resource.endsWith("listObjectsV2")) {
        const prefix = String(p.Prefix ?? "");
        const root = path.join(dir, bucket);
        const out: Json[] = [];
        const walk = (d: string) => {
          if (!fs.existsSync(d)) return;
          for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const full = path.join(d, e.name);
            if (e.isDirectory()) walk(full);
            else {
              const key = path.relative(root, full).split(path.sep).join("/");
              if (!key.startsWith(prefix)) continue;
              const st = fs.statSync(full);
              out.push({ Etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`, Key: key, LastModified: st.mtime.toISOString(), Size: st.size, StorageClass: "STANDARD" });
            }
          }
        };
        walk(root);
        return out.sort((a, b) => String((a as Record<string, Json>).Key).localeCompare(String((b as Record<string, Json>).Key)));
      }
      return fs.readFileSync(path.join(dir, bucket, String(p.Key ?? "")), "utf8");
    },
  };
}

function directoryResultSink(dir: string): ResultSink {
  return (files, parameters) => {
    const p = (parameters && typeof parameters === "object" && !Array.isArray(parameters) ? parameters : {}) as Record<string, Json>;
    for (const f of files) {
      const target = path.join(dir, String(p.Bucket ?? ""), f.key);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.body);
    }
  };
}

/**
 * The activities that "exist" for a local run: those of the Task states the mock config answers.
 * No worker can reach the CLI, so any other activity fails as a missing activity does on AWS.
 */
function mockedActivities(definition: StateMachineDefinition, mockedStates: ReadonlySet<string>): string[] {
  const arns: string[] = [];
  for (const { name, state } of allStates(definition)) {
    if (state.Type === "Task" && mockedStates.has(name) && classifyResource(state.Resource).kind === "activity") arns.push(state.Resource);
  }
  return arns;
}

export async function runCommand(definitionFile: string, options: RunOptions): Promise<{ status: string; output: Json; error: string | null; cause: string | null }> {
  let definition: StateMachineDefinition;
  try {
    definition = checkDefinition(readText(definitionFile, "definition"), options.express ? "EXPRESS" : "STANDARD");
  } catch (err) {
    if (err instanceof InvalidDefinitionError) throw usage(`invalid definition ${definitionFile}: ${err.message}`);
    throw err;
  }
  if (options.input !== undefined && options.inputJson !== undefined) throw usage("use --input or --input-json, not both");
  const input: Json = options.inputJson !== undefined
    ? parseJsonText(options.inputJson, "--input-json")
    : options.input !== undefined ? parseJsonText(readText(options.input, "input"), `input file ${options.input}`) : {};

  let taskResolver: TaskResolver | undefined;
  let mockedStates: ReadonlySet<string> = new Set();
  if (options.mockConfig !== undefined) {
    if (!options.stateMachine || !options.testCase) throw usage("--mock-config needs --state-machine NAME and --test-case NAME");
    try {
      const config = parseMockConfig(readText(options.mockConfig, "mock config"));
      taskResolver = mockConfigResolver(config, options.stateMachine, options.testCase);
      mockedStates = new Set(Object.keys(config.StateMachines[options.stateMachine]?.TestCases[options.testCase] ?? {}));
    } catch (err) {
      if (err instanceof MockConfigError) throw usage(`invalid mock config ${options.mockConfig}: ${err.message}`);
      throw err;
    }
  } else if (options.stateMachine || options.testCase) {
    throw usage("--state-machine and --test-case need --mock-config FILE");
  }

  let execution: ExecutionHandle;
  try {
    execution = await runExecution({
      definition,
      activities: mockedActivities(definition, mockedStates),
      input,
      name: options.name,
      stateMachineName: options.stateMachine,
      type: options.express ? "EXPRESS" : "STANDARD",
      taskResolver,
      clock: options.realTime ? "real" : "virtual",
      itemSource: options.itemsDir ? directoryItemSource(options.itemsDir) : undefined,
      resultSink: options.itemsDir ? directoryResultSink(options.itemsDir) : undefined,
    });
  } catch (err) {
    // Input AWS would refuse at StartExecution (not JSON-writable, over 256 KiB): a bad argument.
    if (err instanceof InvalidExecutionInputError) throw usage(`invalid input: ${err.message}`);
    throw err;
  }

  if (options.historyOut !== undefined) {
    fs.writeFileSync(options.historyOut, JSON.stringify(toCliHistory([...execution.events])) + "\n");
  }
  if (options.db) await storeRun(execution, readText(definitionFile, "definition"));
  const result = await execution.result();
  return { status: result.status, output: result.output === undefined ? null : result.output, error: result.error ?? null, cause: result.cause ?? null };
}

/** `--db`: the run, its Distributed Map children and Map Runs go through the ordinary ingestion. */
async function storeRun(execution: ExecutionHandle, definitionText: string): Promise<void> {
  const [{ openStore }, { storeEngineRun }] = await Promise.all([import("../../lib/store"), import("../../lib/sources/engine/store-run")]);
  const store = await openStore();
  try {
    await storeEngineRun(store, execution, definitionText);
  } finally {
    await store.close();
  }
}

/** The action of `statelens run`. */
export async function runAction(definitionFile: string, options: RunOptions): Promise<void> {
  const summary = await runCommand(definitionFile, options);
  process.stdout.write(JSON.stringify(summary) + "\n");
}
