// `statelens serve-aws`: a local AWS-compatible Step Functions endpoint (AWS JSON 1.0) with a
// CloudWatch Logs endpoint for Express logs on the same port, running definitions with the
// statelens engine. Point the AWS CLI or an SDK at it with --endpoint-url.
import fs from "node:fs";
import type { Command } from "commander";
import { MockConfigError, parseMockConfig, type MockConfig } from "@/lib/engine";
import { parseFaultSpec } from "@/lib/server-aws/faults";
import { startAwsEndpoint } from "@/lib/server-aws/server";
import { describeDatabase, openStore } from "@/lib/store";
import { CliError } from "./util";

interface ServeAwsOptions {
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

export function registerServeAws(program: Command): void {
  program
    .command("serve-aws")
    .description("serve a local AWS-compatible Step Functions API (and CloudWatch Logs for Express) backed by the statelens engine")
    .option("-p, --port <port>", "port", "8083")
    .option("-H, --host <host>", "address to bind", "127.0.0.1")
    .option("--region <region>", "region in ARNs", "us-east-1")
    .option("--account <id>", "account id in ARNs", "123456789012")
    .option("--mock-config <file>", "Step Functions Local mock configuration (start executions with <stateMachineArn>#<TestCase>)", process.env.SFN_MOCK_CONFIG)
    .option("--clock <clock>", "real (Wait states take their time) or virtual (they end at once; for machines without callback tasks)", "real")
    .option("--faults <spec>", "inject faults, e.g. throttle=0.1,error=0.05,drop=0.02,slow=0.1,slowMs=300,expireToken=0.1,seed=7 (also STATELENS_AWS_FAULTS)")
    .option("--log", "print one line per request")
    .option("--no-store", "keep state machines and executions in memory only (default: in the store, DATABASE_URL)")
    .action(async (options: ServeAwsOptions) => {
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
    });
}
