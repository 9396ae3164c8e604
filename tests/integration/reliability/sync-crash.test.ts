// Crash safety of `statelens sync`: the CLI process is killed with SIGKILL at random points (during
// start-up and migrations, between executions, inside an execution's write transaction) again and
// again. After every kill the database passes integrity_check (SQLite) and holds no partial
// execution: each stored execution has all its events and state visits, the same as a sync that
// was never interrupted. The kills go on on one database until a run gets to finish, then on a
// fresh one; each database is then synced once more without interruption and must equal the
// uninterrupted reference: nothing lost, nothing stored twice.
// STATELENS_CRASH_SEED replays the kill points of a failed run.
import fs from "node:fs";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { openStore, type Store } from "@/lib/store";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import { bundleCli, runSync } from "../aws/cli-process";
import { sfnClient, TEST_CREDENTIALS } from "../aws/helpers";
import { partialExecutions, startWorkload, storedExecutions, type StoredExecution, syncSnapshot } from "./sync-workload";
import { seededRandom } from "@/lib/sources/demo/generate";

const pgReason = await postgresUnavailable();

/** kills per backend */
const KILLS = { SQLite: 24, PostgreSQL: 20 };
/** 16 + 10 + 10 + 1 Distributed Map with 8 children: 45 executions. */
const WORKLOAD = { short: 16, long: 10, flow: 10, fans: 1, fanItems: 8 };
const SYNC_ARGS = ["--concurrency", "2", "-q"];

describe("statelens sync killed with SIGKILL at random points", () => {
  let endpoint: AwsEndpoint;
  let admin: SFNClient;
  let bundle: string;
  let total: number;
  const dbs: TestDatabase[] = [];
  let reference: { rows: Map<string, StoredExecution>; snapshot: Awaited<ReturnType<typeof syncSnapshot>>; wholeMs: number };
  const env = (url: string) => ({
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: endpoint.url, DATABASE_URL: url,
  });

  beforeAll(async () => {
    [endpoint, bundle] = await Promise.all([startAwsEndpoint(), bundleCli()]);
    admin = sfnClient(endpoint.url);
    total = (await startWorkload(admin, WORKLOAD)).executions;
    // Slightly slow answers, so that a run spends most of its time between and inside writes
    // rather than finishing before a kill lands.
    endpoint.faults.configure({ slow: 1, slowMs: 15, operations: ["GetExecutionHistory", "ListExecutions", "DescribeStateMachineForExecution", "DescribeMapRun"] });
    const db = sqliteDatabase();
    dbs.push(db);
    const t0 = Date.now();
    const whole = await runSync(bundle, SYNC_ARGS, env(db.url)).done;
    expect(whole.code, whole.stderr).toBe(0);
    const wholeMs = Date.now() - t0;
    const stored = await storedExecutions(db.url);
    expect(stored.integrity).toBe("ok");
    expect(stored.executions.size).toBe(total);
    expect(partialExecutions(stored.executions)).toEqual([]);
    reference = { rows: stored.executions, snapshot: await syncSnapshot(db.url), wholeMs };
  }, 120_000);
  afterAll(async () => {
    admin?.destroy();
    await endpoint?.close();
    for (const db of dbs) await db.drop();
    if (bundle) fs.rmSync(bundle, { force: true });
  });

  const backends: Array<[keyof typeof KILLS, () => Promise<TestDatabase>, string | null]> = [
    ["SQLite", async () => sqliteDatabase(), null],
    ["PostgreSQL", postgresDatabase, pgReason],
  ];
  for (const [name, makeDb, skipReason] of backends) {
    it.skipIf(skipReason !== null)(`into ${name}: ${KILLS[name]} kills leave no partial execution, and the next run completes the work${skipReason ? ` (skipped: ${skipReason})` : ""}`, async () => {
      const seed = Number(process.env.STATELENS_CRASH_SEED ?? Date.now() % 100_000);
      const random = seededRandom(seed);
      const storedAtKill: number[][] = [];
      let kills = 0;
      while (kills < KILLS[name]) {
        const db = await makeDb();
        dbs.push(db);
        const perDb: number[] = [];
        storedAtKill.push(perDb);
        // How many executions are stored, polled from the test while the sync writes.
        const watcher: Store = await openStore({ url: db.url, migrate: false });
        const stored = async () => {
          try {
            return Number((await watcher.driver.all<{ n: unknown }>(`SELECT COUNT(*) AS n FROM "Execution"`))[0].n);
          } catch {
            return 0; // no tables yet: the first migration has not committed
          }
        };
        let finished = false;
        try {
          // Runs killed on this database until one gets to finish (or enough kills were made).
          for (;;) {
            const before = await stored();
            const run = runSync(bundle, SYNC_ARGS, env(db.url));
            const exited = () => run.child.exitCode !== null || run.child.signalCode !== null;
            let timer: NodeJS.Timeout | undefined;
            let how: string;
            if (random() < 0.3) {
              // At a random moment of a run as long as an uninterrupted one: often during
              // start-up, migrations and listing.
              const ms = Math.floor(reference.wholeMs * 0.9 * random());
              how = `after ${ms} ms`;
              timer = setTimeout(() => run.child.kill("SIGKILL"), ms);
            } else {
              // Once a random number of further executions is stored, plus a few milliseconds so
              // that the kill lands inside the next execution's work or write transaction.
              const target = before + 1 + Math.floor(random() * Math.min(10, Math.max(1, total - before - 1)));
              const jitter = Math.floor(random() * 12);
              how = `once ${target} stored + ${jitter} ms`;
              const poll = async (): Promise<void> => {
                if (exited()) return;
                if ((await stored()) >= target) timer = setTimeout(() => run.child.kill("SIGKILL"), jitter);
                else timer = setTimeout(() => void poll(), 10);
              };
              void poll();
            }
            const result = await run.done;
            clearTimeout(timer);
            if (result.signal !== "SIGKILL") {
              // The kill came too late: this run, started on whatever the kills left, finished.
              expect(result.code, result.stderr).toBe(0);
              finished = true;
              break;
            }
            kills++;
            const where = `seed ${seed}, kill ${kills} (${how}) on ${name} database ${storedAtKill.length}`;
            const after = await storedExecutions(db.url);
            if (name === "SQLite") expect(after.integrity, where).toBe("ok");
            expect(partialExecutions(after.executions), where).toEqual([]);
            for (const [arn, row] of after.executions) expect(row, `${arn}: differs from the uninterrupted sync (${where})`).toEqual(reference.rows.get(arn));
            perDb.push(after.executions.size);
            if (kills >= KILLS[name]) break;
          }
        } finally {
          await watcher.close();
        }
        // The next run, not interrupted, completes the work.
        if (!finished) {
          const last = await runSync(bundle, SYNC_ARGS, env(db.url)).done;
          expect(last.code, last.stderr).toBe(0);
        }
        const final = await storedExecutions(db.url);
        if (name === "SQLite") expect(final.integrity).toBe("ok");
        expect(final.executions.size).toBe(total);
        expect(await syncSnapshot(db.url), `seed ${seed}, ${name} database ${storedAtKill.length}`).toEqual(reference.snapshot);
      }
      process.stdout.write(`[sync-crash] ${name}: seed ${seed}; uninterrupted sync ${reference.wholeMs} ms for ${total} executions; executions stored at each kill, per database: ${storedAtKill.map((d) => d.join(",")).join(" | ")}\n`);
      // The kills landed at different points of the work: some mid-way, not all before or after it.
      const all = storedAtKill.flat();
      expect(all.filter((n) => n > 0 && n < total).length, all.join(",")).toBeGreaterThanOrEqual(KILLS[name] / 3);
    }, 240_000);
  }
});
