// `statelens serve`: the dashboard. The implementation (bin/actions/serve.ts) is loaded only when
// the command runs.
import type { Command } from "commander";
import type { ServeOptions } from "../actions/serve";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the dashboard (builds it first when needed)")
    .option("-p, --port <port>", "port", process.env.PORT ?? "3000")
    .option("-H, --host <host>", "address to bind (default 127.0.0.1: only this machine)", process.env.HOST ?? "127.0.0.1")
    .action(async (options: ServeOptions) => (await import("../actions/serve")).serveAction(options));
}
