// The demo workflows: five state machines of the kinds teams run in production, with task
// behaviour (durations, transient errors, outages) that gives the dashboard something true to
// show. Deterministic for a given random source.
import type { Json } from "@/lib/history/types";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
export const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const stateMachineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

/** What one task attempt does in the demo world. */
/** `output` must be JSON-serialisable. */
export type Behaviour = (ctx: BehaviourContext) => { output?: unknown; error?: string; cause?: string; durationMs: number; callbackAfterMs?: number };

export interface BehaviourContext {
  input: Json;
  random: () => number;
  /** 0..1 over the simulated month; lets an outage hit a window of days. */
  dayIndex: number;
  retryCount: number;
  /** Which definition version runs (versions change mid-month). */
  version: number;
}

export interface DemoWorkflow {
  name: string;
  type: "STANDARD" | "EXPRESS";
  /** Definition by version: the month starts on version 1; `versionFromDay` switches later. */
  definitions: Array<{ fromDay: number; definition: object }>;
  /** Executions per day (before the weekday/hour shaping). */
  perDay: number;
  input: (random: () => number, n: number) => Json;
  /** Behaviour per Task state name. */
  tasks: Record<string, Behaviour>;
}

const pick = <T,>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const between = (random: () => number, lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
const lambdaError = (type: string, message: string) => ({ error: type, cause: JSON.stringify({ errorMessage: message, errorType: type, stackTrace: [`at handler (/var/task/index.js:${40 + message.length % 20}:11)`] }) });

// ---------------------------------------------------------------- order processing
const orderV1 = {
  Comment: "Validate an order, reserve inventory, charge the card, notify the customer",
  StartAt: "Validate order",
  States: {
    "Validate order": {
      Type: "Task", Resource: lambdaArn("validate-order"), Next: "Check inventory",
      Catch: [{ ErrorEquals: ["ValidationError"], ResultPath: "$.error", Next: "Reject order" }],
    },
    "Check inventory": {
      Type: "Task", Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: lambdaArn("check-inventory"), "Payload.$": "$" },
      ResultSelector: { "available.$": "$.Payload.available", "warehouse.$": "$.Payload.warehouse" },
      ResultPath: "$.inventory",
      Retry: [{ ErrorEquals: ["InventoryServiceBusy"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handle failure" }],
      Next: "In stock?",
    },
    "In stock?": {
      Type: "Choice",
      Choices: [
        { Variable: "$.inventory.available", BooleanEquals: true, Next: "Charge payment" },
      ],
      Default: "Backorder",
    },
    Backorder: { Type: "Pass", Result: { backordered: true }, ResultPath: "$.backorder", Next: "Notify customer" },
    "Charge payment": {
      Type: "Task", Resource: lambdaArn("charge-card"), ResultPath: "$.payment", TimeoutSeconds: 30,
      Retry: [{ ErrorEquals: ["PaymentGatewayTimeout", "States.Timeout"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ["PaymentDeclined"], ResultPath: "$.error", Next: "Reject order" }, { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handle failure" }],
      Next: "Notify customer",
    },
    "Notify customer": {
      Type: "Task", Resource: "arn:aws:states:::sns:publish",
      Parameters: { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:order-events`, "Message.$": "States.Format('Order {} confirmed', $.orderId)" },
      ResultPath: null, End: true,
    },
    "Reject order": {
      Type: "Task", Resource: "arn:aws:states:::sns:publish",
      Parameters: { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:order-events`, "Message.$": "States.Format('Order {} rejected', $.orderId)" },
      ResultPath: null, Next: "Order rejected",
    },
    "Order rejected": { Type: "Fail", Error: "OrderRejected", Cause: "The order failed validation or payment was declined" },
    "Handle failure": {
      Type: "Task", Resource: lambdaArn("order-failure-handler"), ResultPath: "$.handled", Next: "Order failed",
    },
    "Order failed": { Type: "Fail", Error: "OrderProcessingFailed", Cause: "Inventory or payment service unavailable" },
  },
};
// Version 2 (mid-month): inventory retries longer, with jitter, after the outage.
const orderV2 = structuredClone(orderV1) as typeof orderV1;
orderV2.States["Check inventory"].Retry = [{ ErrorEquals: ["InventoryServiceBusy"], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 20, JitterStrategy: "FULL" } as never];

const orderProcessing: DemoWorkflow = {
  name: "order-processing",
  type: "STANDARD",
  definitions: [{ fromDay: 0, definition: orderV1 }, { fromDay: 18, definition: orderV2 }],
  perDay: 45,
  input: (random, n) => ({
    orderId: `A-${10_000 + n}`,
    customer: { id: `C-${between(random, 100, 999)}`, email: `customer${between(random, 1, 500)}@example.com` },
    items: Array.from({ length: between(random, 1, 4) }, () => ({ sku: pick(random, ["SKU-RED-1", "SKU-BLU-2", "SKU-GRN-3", "SKU-BLK-9"]), qty: between(random, 1, 3) })),
    amount: between(random, 12, 480),
    currency: "USD",
  }),
  tasks: {
    "Validate order": ({ input, random }) =>
      random() < 0.02 ? { ...lambdaError("ValidationError", "shipping address is missing a postal code"), durationMs: between(random, 40, 90) } : { output: input, durationMs: between(random, 30, 120) },
    "Check inventory": ({ random, dayIndex, retryCount }) => {
      // An outage of the inventory service on days 15-17 makes it busy far more often.
      const outage = dayIndex >= 15 / 30 && dayIndex < 17.5 / 30;
      const busy = random() < (outage ? 0.62 : 0.08 / (retryCount + 1));
      if (busy) return { ...lambdaError("InventoryServiceBusy", "inventory service is throttling requests (429)"), durationMs: between(random, 200, 900) };
      return { output: { Payload: { available: random() > 0.07, warehouse: pick(random, ["IAD-1", "PDX-2", "FRA-1"]) }, StatusCode: 200 }, durationMs: between(random, 120, 600) };
    },
    "Charge payment": ({ random, input }) => {
      const r = random();
      if (r < 0.03) return { ...lambdaError("PaymentDeclined", "card declined: insufficient funds"), durationMs: between(random, 300, 800) };
      if (r < 0.05) return { ...lambdaError("PaymentGatewayTimeout", "gateway did not answer within 10 s"), durationMs: 10_000 };
      return { output: { chargeId: `ch_${Math.floor(random() * 1e9).toString(36)}`, amount: (input as { amount?: number }).amount ?? 0 }, durationMs: between(random, 400, 1800) };
    },
    "Notify customer": ({ random }) => ({ output: { MessageId: `m-${Math.floor(random() * 1e9)}` }, durationMs: between(random, 40, 140) }),
    "Reject order": ({ random }) => ({ output: { MessageId: `m-${Math.floor(random() * 1e9)}` }, durationMs: between(random, 40, 140) }),
    "Handle failure": ({ random }) => ({ output: { ticket: `INC-${between(random, 1000, 9999)}` }, durationMs: between(random, 80, 200) }),
  },
};

// ---------------------------------------------------------------- ETL pipeline
const etl = {
  Comment: "Nightly ETL: extract, transform and load as three Glue jobs",
  StartAt: "Extract",
  States: {
    Extract: {
      Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "extract-orders", "Arguments": { "--date.$": "$.date" } },
      ResultPath: "$.extract", TimeoutSeconds: 3600,
      Retry: [{ ErrorEquals: ["Glue.ConcurrentRunsExceededException"], IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 }],
      Next: "Transform",
    },
    Transform: {
      Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "transform-orders" },
      ResultPath: "$.transform", TimeoutSeconds: 5400,
      Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 120, MaxAttempts: 1 }],
      Next: "Load",
    },
    Load: {
      Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "load-warehouse" },
      ResultPath: "$.load", TimeoutSeconds: 1800, End: true,
    },
  },
};
const etlPipeline: DemoWorkflow = {
  name: "etl-pipeline",
  type: "STANDARD",
  definitions: [{ fromDay: 0, definition: etl }],
  perDay: 6,
  input: (_random, n) => ({ date: new Date(Date.UTC(2026, 9, 1) + n * 3_600_000 * 4).toISOString().slice(0, 10), source: "s3://orders-raw/" }),
  tasks: {
    Extract: ({ random }) => (random() < 0.05 ? { error: "Glue.ConcurrentRunsExceededException", cause: "Concurrent runs exceeded for extract-orders", durationMs: 1500 } : { output: { JobRunState: "SUCCEEDED", rows: between(random, 80_000, 120_000) }, durationMs: between(random, 240_000, 600_000) }),
    Transform: ({ random }) => (random() < 0.06 ? { error: "States.TaskFailed", cause: "Glue job transform-orders failed: OutOfMemoryError on executor 7", durationMs: between(random, 300_000, 900_000) } : { output: { JobRunState: "SUCCEEDED" }, durationMs: between(random, 600_000, 1_500_000) }),
    Load: ({ random }) => (random() < 0.03 ? { error: "States.Timeout", cause: "Load did not finish within 1800 s", durationMs: 1_800_000 } : { output: { JobRunState: "SUCCEEDED", loaded: true }, durationMs: between(random, 120_000, 400_000) }),
  },
};

// ---------------------------------------------------------------- image processing (Parallel)
const images = {
  Comment: "Resize and compress an uploaded image in parallel, then record its metadata",
  StartAt: "Process image",
  States: {
    "Process image": {
      Type: "Parallel",
      Branches: [
        { StartAt: "Resize thumbnail", States: { "Resize thumbnail": { Type: "Task", Resource: lambdaArn("resize"), Parameters: { "key.$": "$.key", width: 200 }, ResultPath: "$.thumbnail", Next: "Resize large" }, "Resize large": { Type: "Task", Resource: lambdaArn("resize"), Parameters: { "key.$": "$.key", width: 1600 }, ResultPath: "$.large", End: true } } },
        { StartAt: "Compress", States: { Compress: { Type: "Task", Resource: lambdaArn("compress"), Parameters: { "key.$": "$.key", quality: 82 }, Retry: [{ ErrorEquals: ["Lambda.TooManyRequestsException"], IntervalSeconds: 1, MaxAttempts: 4, BackoffRate: 2 }], End: true } } },
      ],
      ResultSelector: { "thumbnail.$": "$[0].thumbnail.url", "large.$": "$[0].large.url", "compressed.$": "$[1].url" },
      ResultPath: "$.renditions",
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Mark failed" }],
      Next: "Store metadata",
    },
    "Store metadata": {
      Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem",
      Parameters: { TableName: "images", Item: { key: { "S.$": "$.key" }, thumbnail: { "S.$": "$.renditions.thumbnail" } } },
      ResultPath: null, End: true,
    },
    "Mark failed": { Type: "Fail", Error: "ImageProcessingFailed", Cause: "A rendition could not be produced" },
  },
};
const imageProcessing: DemoWorkflow = {
  name: "image-processing",
  type: "STANDARD",
  definitions: [{ fromDay: 0, definition: images }],
  perDay: 30,
  input: (random, n) => ({ key: `uploads/2026/${n}-${pick(random, ["cat", "beach", "receipt", "profile"])}.jpg`, bytes: between(random, 80_000, 9_000_000) }),
  tasks: {
    "Resize thumbnail": ({ random, input }) => ({ output: { url: `s3://renditions/thumb/${(input as { key: string }).key}` }, durationMs: between(random, 150, 700) }),
    "Resize large": ({ random, input }) => (random() < 0.02 ? { ...lambdaError("ImageTooLarge", "decoded image exceeds 40 megapixels"), durationMs: between(random, 500, 1500) } : { output: { url: `s3://renditions/large/${(input as { key: string }).key}` }, durationMs: between(random, 600, 2500) }),
    Compress: ({ random, input }) => (random() < 0.1 ? { ...lambdaError("Lambda.TooManyRequestsException", "Rate Exceeded."), durationMs: 30 } : { output: { url: `s3://renditions/q82/${(input as { key: string }).key}` }, durationMs: between(random, 400, 1900) }),
    "Store metadata": ({ random }) => ({ output: {}, durationMs: between(random, 15, 60) }),
  },
};

// ---------------------------------------------------------------- Map-heavy enrichment
const enrichment = {
  Comment: "Enrich every record of a batch with a geocoding call, then aggregate",
  StartAt: "Enrich records",
  States: {
    "Enrich records": {
      Type: "Map", ItemsPath: "$.records", MaxConcurrency: 10,
      ItemSelector: { "record.$": "$$.Map.Item.Value", "batch.$": "$.batchId" },
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Geocode",
        States: {
          Geocode: {
            Type: "Task", Resource: lambdaArn("geocode"), Parameters: { "address.$": "$.record.address" }, ResultPath: "$.geo",
            Retry: [{ ErrorEquals: ["GeocoderThrottled"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1.5 }],
            Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.geoError", Next: "Unresolved" }],
            End: true,
          },
          Unresolved: { Type: "Pass", Result: { resolved: false }, ResultPath: "$.geo", End: true },
        },
      },
      ResultPath: "$.enriched",
      Next: "Aggregate",
    },
    Aggregate: { Type: "Pass", Parameters: { "batchId.$": "$.batchId", "count.$": "States.ArrayLength($.enriched)" }, End: true },
  },
};
const batchEnrichment: DemoWorkflow = {
  name: "batch-enrichment",
  type: "STANDARD",
  definitions: [{ fromDay: 0, definition: enrichment }],
  perDay: 4,
  input: (random, n) => ({
    batchId: `B-${n}`,
    records: Array.from({ length: between(random, 20, 120) }, (_, i) => ({ id: i, address: `${between(random, 1, 999)} ${pick(random, ["Main St", "Oak Ave", "Pine Rd", "Elm St"])}` })),
  }),
  tasks: {
    Geocode: ({ random }) => {
      const r = random();
      if (r < 0.06) return { ...lambdaError("GeocoderThrottled", "quota exceeded for geocoder"), durationMs: between(random, 20, 80) };
      if (r < 0.075) return { ...lambdaError("AddressNotFound", "no match for address"), durationMs: between(random, 60, 200) };
      return { output: { lat: 40 + random(), lng: -74 + random() }, durationMs: between(random, 60, 350) };
    },
  },
};

// ---------------------------------------------------------------- callback approval (Express-free, Standard)
const approval = {
  Comment: "Ask a human to approve a deployment; wait for the callback",
  StartAt: "Request approval",
  States: {
    "Request approval": {
      Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      Parameters: { QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/approvals`, MessageBody: { "change.$": "$.change", "token.$": "$$.Task.Token" } },
      TimeoutSeconds: 14400, ResultPath: "$.decision",
      Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "Expired" }],
      Next: "Approved?",
    },
    "Approved?": { Type: "Choice", Choices: [{ Variable: "$.decision.approved", BooleanEquals: true, Next: "Deploy" }], Default: "Rejected" },
    Deploy: { Type: "Task", Resource: lambdaArn("deploy"), ResultPath: "$.deployment", Next: "Settle" },
    Settle: { Type: "Wait", Seconds: 300, Next: "Done" },
    Done: { Type: "Succeed" },
    Rejected: { Type: "Fail", Error: "ChangeRejected", Cause: "The approver rejected the change" },
    Expired: { Type: "Fail", Error: "ApprovalExpired", Cause: "Nobody answered within 4 hours" },
  },
};
const deploymentApproval: DemoWorkflow = {
  name: "deployment-approval",
  type: "STANDARD",
  definitions: [{ fromDay: 0, definition: approval }],
  perDay: 5,
  input: (random, n) => ({ change: { id: `CHG-${2000 + n}`, service: pick(random, ["checkout", "search", "payments"]), author: pick(random, ["ana", "ben", "chen"]) } }),
  tasks: {
    "Request approval": ({ random }) => {
      const r = random();
      if (r < 0.05) return { durationMs: 50, callbackAfterMs: 14_400_000 + 1000, output: { approved: false } }; // nobody answers: the task times out
      return { durationMs: 50, callbackAfterMs: between(random, 120_000, 5_400_000), output: { approved: r > 0.15, approver: pick(random, ["dana", "eli"]) } };
    },
    Deploy: ({ random }) => (random() < 0.04 ? { ...lambdaError("DeploymentFailed", "health check failed after rollout"), durationMs: between(random, 20_000, 60_000) } : { output: { version: `v${between(random, 100, 300)}` }, durationMs: between(random, 30_000, 120_000) }),
  },
};

export const DEMO_WORKFLOWS: readonly DemoWorkflow[] = [orderProcessing, etlPipeline, imageProcessing, batchEnrichment, deploymentApproval];
