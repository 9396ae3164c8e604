// The local AWS-compatible endpoint: one HTTP server speaking AWS JSON 1.0 for Step Functions
// (`X-Amz-Target: AWSStepFunctions.<Op>`) and JSON 1.1 for CloudWatch Logs
// (`X-Amz-Target: Logs_20140328.<Op>`), so unmodified AWS SDK clients and the AWS CLI can point
// at it with --endpoint-url. Binds 127.0.0.1 unless told otherwise. Requests are not signed-
// checked: any credentials are accepted.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { MockConfig, TaskResolver } from "@/lib/engine";
import { AwsApiError } from "./errors";
import { type FaultConfig, FaultInjector, parseFaultSpec } from "./faults";
import { LogsService } from "./logs";
import { restoreEndpoint, storePersistence } from "./persistence";
import type { ExecutionEntry } from "./registry";
import type { Store } from "@/lib/store";
import { StepFunctionsService } from "./sfn-api";

export interface AwsEndpointOptions {
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  mockConfig?: MockConfig;
  taskResolver?: TaskResolver;
  clock?: "real" | "virtual";
  /** Faults to inject; default from STATELENS_AWS_FAULTS. */
  faults?: FaultConfig;
  onExecutionEnd?: (entry: ExecutionEntry) => void;
  /** Keep state machines and finished executions in this store, and restore them at start. */
  store?: Store;
  /** Called per request (for a request log). */
  onRequest?: (line: { operation: string; status: number; ms: number; fault?: string }) => void;
}

export interface AwsEndpoint {
  url: string;
  port: number;
  sfn: StepFunctionsService;
  logs: LogsService;
  faults: FaultInjector;
  /** Requests answered, by operation. */
  requestCounts: Map<string, number>;
  close(): Promise<void>;
}

const SFN_PREFIX = "AWSStepFunctions.";
/** AWS's hard limit on an API request (aws-facts §6). */
const MAX_REQUEST_BYTES = 1024 * 1024;
const LOGS_PREFIX = "Logs_20140328.";

function send(res: http.ServerResponse, status: number, body: unknown, contentType: string): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (v === null ? undefined : v));
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), "x-amzn-RequestId": crypto.randomUUID() });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: AwsApiError, contentType: string): void {
  res.setHeader("x-amzn-ErrorType", err.type);
  send(res, err.status, { __type: err.type, message: err.message }, contentType);
}

export async function startAwsEndpoint(options: AwsEndpointOptions = {}): Promise<AwsEndpoint> {
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "123456789012";
  const logs = new LogsService(region, accountId);
  const persistence = options.store ? storePersistence(options.store, (err) => process.stderr.write(`statelens serve-aws: could not save to the store: ${(err as Error).message}\n`)) : undefined;
  const sfn = new StepFunctionsService({ region, accountId, mockConfig: options.mockConfig, taskResolver: options.taskResolver, clock: options.clock, onExecutionEnd: options.onExecutionEnd, persistence }, logs);
  if (options.store) await restoreEndpoint(options.store, sfn);
  const envFaults = process.env.STATELENS_AWS_FAULTS;
  const faults = new FaultInjector(options.faults ?? (envFaults ? parseFaultSpec(envFaults) : {}));
  const requestCounts = new Map<string, number>();
  const sockets = new Set<import("node:net").Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_REQUEST_BYTES) sendError(res, new AwsApiError("ValidationException", "Request size exceeds the 1 MB limit"), "application/x-amz-json-1.0");
      else void answer(req, res, Buffer.concat(chunks).toString("utf8"));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function answer(req: http.IncomingMessage, res: http.ServerResponse, text: string): Promise<void> {
    const started = Date.now();
    const target = String(req.headers["x-amz-target"] ?? "");
    const isLogs = target.startsWith(LOGS_PREFIX);
    const contentType = isLogs ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
    const operation = target.slice(isLogs ? LOGS_PREFIX.length : SFN_PREFIX.length);
    let status = 200;
    let faultKind: string | undefined;
    try {
      if (req.method !== "POST" || (!isLogs && !target.startsWith(SFN_PREFIX))) throw new AwsApiError("UnknownOperationException", `Unknown operation ${target || "(no X-Amz-Target)"}`);
      let body: Record<string, unknown>;
      try {
        body = text.trim() === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        throw new AwsApiError("SerializationException", "Request body is not valid JSON");
      }
      requestCounts.set(operation, (requestCounts.get(operation) ?? 0) + 1);
      const fault = faults.draw(operation, typeof body.nextToken === "string");
      faultKind = fault?.kind;
      if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.ms));
      if (fault?.kind === "throttle") throw new AwsApiError("ThrottlingException", "Rate exceeded");
      if (fault?.kind === "error") throw new AwsApiError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
      if (fault?.kind === "expireToken") throw new AwsApiError("InvalidToken", "Invalid token: the token has expired");
      const result = await (isLogs ? logs.handle(operation, body) : sfn.handle(operation, body));
      if (fault?.kind === "drop") {
        // Cut the connection half-way through the body: the client sees a truncated response.
        const payload = JSON.stringify(result ?? {});
        res.writeHead(200, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) });
        res.write(payload.slice(0, Math.floor(payload.length / 2)));
        setTimeout(() => req.socket.destroy(), 5);
        status = 0;
        return;
      }
      send(res, 200, result ?? {}, contentType);
    } catch (err) {
      const apiErr = err instanceof AwsApiError ? err : new AwsApiError("InternalFailure", err instanceof Error ? err.message : String(err), 500);
      status = apiErr.status;
      sendError(res, apiErr, contentType);
    } finally {
      options.onRequest?.({ operation, status, ms: Date.now() - started, ...(faultKind ? { fault: faultKind } : {}) });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    sfn,
    logs,
    faults,
    requestCounts,
    async close() {
      const running = [...sfn.registry.executions.values()].flatMap((e) => (e.handle?.status === "RUNNING" ? [e.handle] : []));
      for (const handle of running) handle.stop("States.Aborted", "The endpoint stopped");
      await Promise.all(running.map((h) => h.result()));
      await new Promise((r) => setImmediate(r));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await persistence?.flush();
    },
  };
}
