// STATELENS_MASK_PATHS: masked values never reach the database. Histories carrying secrets in
// every payload field are ingested (by the store and by `bin/statelens import`), then every text
// column of every table is read back directly.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { parseHistoryDocument } from "@/lib/history/parse";
import { ingestExecution, openStore, type Store } from "@/lib/store";
import { ROOT } from "../../e2e/server";
import { HistoryBuilder } from "../../fixtures/histories";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../../helpers/databases";

const MASK_PATHS = "$.card.number,$..password,$.apiKey";
const SECRETS = ["4111111111111111", "hunter2-pw", "sk-live-abc123", "wJalrXUtnFEMI-secret", "FwoGZXIvYXdzE-session"];
const j = (v: unknown) => JSON.stringify(v);

/** One history with a secret in every payload field AWS has, plus an event type we do not know. */
function secretHistory(name: string) {
  const b = new HistoryBuilder();
  const input = { card: { number: "4111111111111111", exp: "12/30" }, user: { password: "hunter2-pw" }, apiKey: "sk-live-abc123", orderId: name };
  b.add("ExecutionStarted", { executionStartedEventDetails: { input: j(input), inputDetails: { truncated: false }, roleArn: "arn:aws:iam::123456789012:role/sfn" } }, 0);
  b.add("TaskStateEntered", { stateEnteredEventDetails: { name: "Charge", input: j(input) } });
  b.add("TaskScheduled", { taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke", region: "us-east-1", parameters: j({ Payload: { password: "hunter2-pw" }, FunctionName: "f" }) } });
  b.add("TaskStarted", { taskStartedEventDetails: { resourceType: "lambda", resource: "invoke" } });
  b.add("TaskSucceeded", { taskSucceededEventDetails: { resourceType: "lambda", resource: "invoke", output: j({ Credentials: { AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI-secret", SessionToken: "FwoGZXIvYXdzE-session" } }) } });
  b.add("TaskStateExited", {
    stateExitedEventDetails: { name: "Charge", output: j({ ok: true, card: { number: "4111111111111111" } }), assignedVariables: { password: j("hunter2-pw"), login: j({ user: "a", password: "hunter2-pw" }), count: "1" } },
  });
  b.add("LambdaFunctionScheduled", { lambdaFunctionScheduledEventDetails: { resource: "arn:aws:lambda:us-east-1:123456789012:function:f", input: j({ password: "hunter2-pw" }) } });
  b.add("FutureThingHappened", { futureThingHappenedEventDetails: { input: j({ apiKey: "sk-live-abc123" }), output: '{"card":{"number":"4111111111111111","exp":"1' } });
  b.add("ExecutionSucceeded", { executionSucceededEventDetails: { output: '{"ok":true,"password":"hunter2-pw","note":"cut off by trunc' } });
  return {
    execution: { executionArn: `arn:aws:states:us-east-1:123456789012:execution:pay:${name}`, status: "SUCCEEDED", input: j(input), output: j({ apiKey: "sk-live-abc123" }) },
    events: b.cli().events,
  };
}

async function everyStoredText(store: Store): Promise<string> {
  const tables =
    store.driver.kind === "sqlite"
      ? await store.driver.all<{ name: string }>(`SELECT "name" FROM sqlite_master WHERE "type" = 'table'`)
      : await store.driver.all<{ name: string }>(`SELECT table_name AS "name" FROM information_schema.tables WHERE table_schema = current_schema()`);
  const parts: string[] = [];
  for (const { name } of tables) for (const row of await store.driver.all(`SELECT * FROM "${name.replace(/"/g, '""')}"`)) parts.push(JSON.stringify(row));
  return parts.join("\n");
}

const pgReason = await postgresUnavailable();
const previous = process.env.STATELENS_MASK_PATHS;
beforeAll(() => {
  process.env.STATELENS_MASK_PATHS = MASK_PATHS;
});
afterAll(() => {
  if (previous === undefined) delete process.env.STATELENS_MASK_PATHS;
  else process.env.STATELENS_MASK_PATHS = previous;
});

for (const [name, open, skip] of [
  ["SQLite", async () => sqliteDatabase(), null],
  ["PostgreSQL", postgresDatabase, pgReason],
] as const) {
  describe.skipIf(skip !== null)(`masking on ${name}${skip ? ` (skipped: ${skip})` : ""}`, () => {
    let db: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      db = await open();
      store = await openStore({ url: db.url });
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    test("no masked value is stored in any table", async () => {
      const parsed = parseHistoryDocument(JSON.stringify(secretHistory("m-1")), "m-1.json");
      await ingestExecution(store.driver, { events: parsed.events, execution: parsed.execution, source: "file" });
      const stored = await everyStoredText(store);
      expect(stored).toContain("m-1"); // the execution is there
      expect(stored).toContain("***MASKED***");
      for (const secret of SECRETS) expect(stored).not.toContain(secret);
    });

    test("unmasked fields keep their values", async () => {
      const rows = await store.driver.all<{ input: string }>(`SELECT "input" FROM "Execution" WHERE "name" = ?`, ["m-1"]);
      expect(JSON.parse(rows[0].input)).toEqual({ card: { number: "***MASKED***", exp: "12/30" }, user: { password: "***MASKED***" }, apiKey: "***MASKED***", orderId: "m-1" });
    });
  });
}

describe("bin/statelens import", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  test("masks before storing, and does not print the secrets", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-mask-"));
    dirs.push(dir);
    const files = ["c-1", "c-2"].map((n) => {
      const f = path.join(dir, `${n}.json`);
      fs.writeFileSync(f, JSON.stringify(secretHistory(n)));
      return f;
    });
    const dbFile = path.join(dir, "cli.db");
    const out = execFileSync(process.execPath, [path.join(ROOT, "bin", "statelens"), "import", ...files], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${dbFile}`, STATELENS_MASK_PATHS: MASK_PATHS }, encoding: "utf8" });
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    const store = await openStore({ url: `file:${dbFile}` });
    try {
      const stored = await everyStoredText(store);
      expect(stored).toContain("c-2");
      for (const secret of SECRETS) expect(stored).not.toContain(secret);
    } finally {
      await store.close();
    }
    // the raw file bytes of the database too (a value could sit in a free page or the WAL)
    for (const f of fs.readdirSync(dir).filter((n) => n.startsWith("cli.db"))) {
      const bytes = fs.readFileSync(path.join(dir, f)).toString("latin1");
      for (const secret of SECRETS) expect(bytes, f).not.toContain(secret);
    }
  });

  test("a bad STATELENS_MASK_PATHS stops the import instead of storing unmasked data", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-mask-"));
    dirs.push(dir);
    const f = path.join(dir, "c.json");
    fs.writeFileSync(f, JSON.stringify(secretHistory("c")));
    let stderr = "";
    try {
      execFileSync(process.execPath, [path.join(ROOT, "bin", "statelens"), "import", f], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${path.join(dir, "x.db")}`, STATELENS_MASK_PATHS: "card.number" }, encoding: "utf8", stdio: "pipe" });
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr);
    }
    expect(stderr).toContain("STATELENS_MASK_PATHS");
  });
});
