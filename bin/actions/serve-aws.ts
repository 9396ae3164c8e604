// The implementation of `statelens serve-aws` (options and help: bin/commands/serve-aws.ts, which
// loads this module only when the command runs): a local AWS-compatible Step Functions endpoint
// (AWS JSON 1.0) with a CloudWatch Logs endpoint for Express logs on the same port, running
// definitions with the statelens engine. Point the AWS CLI or an SDK at it with --endpoint-url.
import fs from "node:fs";
import { MockConfigError, parseMockConfig, type MockConfig } from "@/lib/engine";
import { parseFaultSpec } from "@/lib/server-aws/faults";
import { startAwsEndpoint } from "@/lib/server-aws/server";
import { describeDatabase, openStore } from "@/lib/store";
import { CliError } from "../commands/util";

export interface ServeAwsOptions {
  port: string;
  host: string;
  region: string;
  account: string;
  mockConfig?: string;
  clock: string;
  faults?: string;
  log?: boolean;
  store: boolean;
}

/** The action of `statelens serve-aws`. */
export async function serveAwsAction(options: ServeAwsOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: not a port: ${options.port}`, 2);
  if (options.clock !== "real" && options.clock !== "virtual") throw new CliError("--clock: expected real or virtual", 2);
  let mockConfig: MockConfig | undefined;
  if (options.mockConfig) {
    try {
      mockConfig = parseMockConfig(fs.readFileSync(options.mockConfig, "utf8"));
    } catch (err) {
      throw new CliError(`${options.mockConfig}: ${err instanceof MockConfigError ? err.message : (err as Error).message}`, 2);
    }
  }
  let faults;
  try {
    faults = options.faults ? parseFaultSpec(options.faults) : undefined;
  } catch (err) {
    throw new CliError(`--faults: ${(err as Error).message}`, 2);
  }
  const store = options.store ? await openStore() : undefined;
  const endpoint = await startAwsEndpoint({
    store, port, host: options.host, region: options.region, accountId: options.account, mockConfig, faults, clock: options.clock,
    onRequest: options.log ? (l) => process.stderr.write(`${l.status || "drop"} ${l.operation} ${l.ms}ms${l.fault ? ` [fault: ${l.fault}]` : ""}\n`) : undefined,
  }).catch(async (err: Error) => {
    await store?.close();
    throw new CliError(`cannot listen on ${options.host}:${port}: ${err.message}`);
  });
  process.stdout.write(`Step Functions and CloudWatch Logs API on ${endpoint.url}${store ? ` (state kept in ${describeDatabase(store.config)})` : ""}\n  aws stepfunctions --endpoint-url ${endpoint.url} list-state-machines\n  statelens sync --endpoint-url ${endpoint.url}\n`);
  if (endpoint.faults.enabled) process.stdout.write("  fault injection is on\n");
  await new Promise<void>((resolve) => {
    const stop = () => void endpoint.close().then(() => store?.close()).then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
