// `statelens sync`: pull executions from Step Functions (Standard: the API; Express: CloudWatch
// Logs) into the store, once or every --watch interval. Credentials and region come from the AWS
// SDK's default chain; --endpoint-url (or AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL) points it at
// another endpoint such as `statelens serve-aws`.
// The implementation (bin/actions/sync.ts) is loaded only when the command runs.
import type { Command } from "commander";
import type { SyncOptions } from "../actions/sync";

export function registerSync(program: Command): void {
  program
    .command("sync")
    .description("pull execution histories from AWS Step Functions (and Express executions from CloudWatch Logs) into the store")
    .option("--region <region>", "AWS region (default: the SDK's default chain: AWS_REGION, profile)")
    .option("--endpoint-url <url>", "another endpoint, e.g. statelens serve-aws (default AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL)")
    .option("--state-machine <arn-or-name...>", "only these state machines (repeatable)")
    .option("--since <duration>", "only executions started within this long, e.g. 7d (first sync)")
    .option("--watch [interval]", "keep syncing every interval (default 60s)")
    .option("--concurrency <n>", "AWS requests in flight at once", "4")
    .option("--no-logs", "skip Express state machines' CloudWatch Logs")
    .option("-q, --quiet", "print only the summary")
    .action(async (options: SyncOptions) => (await import("../actions/sync")).syncAction(options));
}
