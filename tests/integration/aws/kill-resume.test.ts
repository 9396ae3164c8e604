// Killing `statelens sync` (SIGKILL) at random points and starting it again ends with the same
// database as one uninterrupted run: nothing lost, nothing duplicated.
import fs from "node:fs";
import { CreateStateMachineCommand,  SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCliHistory } from "@/lib/history/parse";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { loadHistory, openStore } from "@/lib/store";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import { passDefinition, ROLE_ARN, sfnClient, TEST_CREDENTIALS, waitUntilClosed } from "./helpers";
import { bundleCli, runSync } from "./cli-process";

const pgReason = await postgresUnavailable();

const DMAP = JSON.stringify({
  StartAt: "Fan out",
  States: { "Fan out": { Type: "Map", Label: "fan", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Pass", End: true } } }, End: true } },
});

/** Everything a sync decides, per execution: identity, status, links, definition and the history itself. */
async function snapshot(url: string) {
  const store = await openStore({ url });
  try {
    const rows = await store.prisma.execution.findMany({ include: { version: true, stateMachine: true }, orderBy: { arn: "asc" } });
    const out = [];
    for (const r of rows) {
      out.push({
        arn: r.arn, status: r.status, stateMachine: r.stateMachine.arn, parentArn: r.parentArn, mapRunArn: r.mapRunArn, eventCount: r.eventCount,
        definition: r.version?.definition ?? null, history: toCliHistory(await loadHistory(store.driver, r.id)),
      });
    }
    return { executions: out, events: await store.prisma.historyEvent.count(), visits: await store.prisma.stateVisit.count() };
  } finally {
    await store.close();
  }
}

describe("sync killed at random points", () => {
  let endpoint: AwsEndpoint;
  let admin: SFNClient;
  let bundle: string;
  const dbs: TestDatabase[] = [];
  const env = () => ({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: endpoint.url });

  beforeAll(async () => {
    [endpoint, bundle] = await Promise.all([startAwsEndpoint(), bundleCli()]);
    admin = sfnClient(endpoint.url);
    const started: string[] = [];
    for (const [name, definition, count] of [["a", passDefinition(5), 30], ["b", passDefinition(40), 20], ["fan", DMAP, 2]] as const) {
      const arn = (await admin.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN }))).stateMachineArn!;
      for (let i = 0; i < count; i++) started.push((await admin.send(new StartExecutionCommand({ stateMachineArn: arn, name: `${name}-${i}`, input: name === "fan" ? JSON.stringify(Array.from({ length: 8 }, (_, k) => k)) : "{}" }))).executionArn!);
    }
    await waitUntilClosed(admin, started);
  });
  afterAll(async () => {
    admin?.destroy();
    await endpoint?.close();
    for (const db of dbs) await db.drop();
    if (bundle) fs.rmSync(bundle, { force: true });
    fs.rmSync(`${bundle}.map`, { force: true });
  });

  let reference: { url: string; wholeMs: number } | undefined;

  /** One uninterrupted sync into SQLite, shared by the interrupted runs below. */
  async function uninterrupted(): Promise<{ url: string; wholeMs: number }> {
    if (reference) return reference;
    const db = sqliteDatabase();
    dbs.push(db);
    const t0 = Date.now();
    const whole = await runSync(bundle, ["--concurrency", "2", "-q"], { ...env(), DATABASE_URL: db.url }).done;
    expect(whole.code, whole.stderr).toBe(0);
    reference = { url: db.url, wholeMs: Date.now() - t0 };
    return reference;
  }

  const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
    ["SQLite", async () => sqliteDatabase(), null],
    ["PostgreSQL", postgresDatabase, pgReason],
  ];
  for (const [name, makeDb, skipReason] of backends) it.skipIf(skipReason !== null)(`into ${name} ends with the same database as an uninterrupted sync${skipReason ? ` (skipped: ${skipReason})` : ""}`, async () => {
    // Slow answers so that kills land in the middle of the work.
    endpoint.faults.configure({ slow: 1, slowMs: 15, operations: ["GetExecutionHistory", "ListExecutions", "DescribeStateMachineForExecution"] });
    const { url: referenceUrl, wholeMs: sqliteMs } = await uninterrupted();
    // How long one uninterrupted run takes on this backend (start-up and migrations included).
    let wholeMs = sqliteMs;
    if (name !== "SQLite") {
      const timing = await makeDb();
      dbs.push(timing);
      const t0 = Date.now();
      const whole = await runSync(bundle, ["--concurrency", "2", "-q"], { ...env(), DATABASE_URL: timing.url }).done;
      expect(whole.code, whole.stderr).toBe(0);
      wholeMs = Date.now() - t0;
    }
    const interrupted = await makeDb();
    dbs.push(interrupted);

    let random = 7;
    const next = () => (random = (random * 48271) % 2147483647) / 2147483647;
    let kills = 0;
    const storedAtKill: number[] = [];
    const watcher = await openStore({ url: interrupted.url });
    const stored = () => watcher.prisma.execution.count();
    try {
      for (let attempt = 0; attempt < 6; attempt++) {
        const before = await stored();
        const run = runSync(bundle, ["--concurrency", "2", "-q"], { ...env(), DATABASE_URL: interrupted.url });
        let timer: NodeJS.Timeout | undefined;
        if (attempt % 2 === 0) {
          // Kill at a random moment of a run as long as an uninterrupted one...
          timer = setTimeout(() => run.child.kill("SIGKILL"), Math.floor(wholeMs * (0.3 + 0.65 * next())));
        } else {
          // ...or once a random number of further executions is stored.
          const target = before + 1 + Math.floor(next() * Math.max(1, Math.min(15, 68 - before - 2)));
          const poll = async (): Promise<void> => {
            if (run.child.exitCode !== null || run.child.signalCode !== null) return;
            if ((await stored()) >= target) run.child.kill("SIGKILL");
            else timer = setTimeout(() => void poll(), 20);
          };
          void poll();
        }
        const result = await run.done;
        clearTimeout(timer);
        if (result.signal === "SIGKILL") {
          kills++;
          storedAtKill.push(await stored());
        } else expect(result.code, result.stderr).toBe(0);
      }
    } finally {
      await watcher.close();
    }
    expect(kills).toBeGreaterThan(0);
    // At least one kill landed mid-sync: some executions stored, not all.
    expect(storedAtKill.some((n) => n > 0 && n < 68), `stored at each kill: ${storedAtKill.join(", ")} (whole run ${wholeMs} ms)`).toBe(true);
    const last = await runSync(bundle, ["-q"], { ...env(), DATABASE_URL: interrupted.url }).done;
    expect(last.code, last.stderr).toBe(0);
    endpoint.faults.configure({});

    const [a, b] = await Promise.all([snapshot(referenceUrl), snapshot(interrupted.url)]);
    expect(a.executions.length).toBe(30 + 20 + 2 + 16);
    expect(b.events).toBe(a.events);
    expect(b.visits).toBe(a.visits);
    expect(b.executions).toEqual(a.executions);
  }, 180_000);
});
