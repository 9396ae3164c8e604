// `statelens serve-aws`: a local AWS-compatible Step Functions endpoint (AWS JSON 1.0) with a
// CloudWatch Logs endpoint for Express logs on the same port, running definitions with the
// statelens engine. Point the AWS CLI or an SDK at it with --endpoint-url.
// The implementation (bin/actions/serve-aws.ts) is loaded only when the command runs.
import type { Command } from "commander";
import type { ServeAwsOptions } from "../actions/serve-aws";

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
    .action(async (options: ServeAwsOptions) => (await import("../actions/serve-aws")).serveAwsAction(options));
}
