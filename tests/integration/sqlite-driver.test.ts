// The SQLite driver has one connection: concurrent transactions take turns (none is refused or
// mixed with another), and a transaction opened inside another is refused.
import { afterAll, expect, test } from "vitest";
import { openDriver } from "@/lib/store/driver";
import { sqliteDatabase } from "../helpers/databases";

const db = sqliteDatabase();
const driver = openDriver({ kind: "sqlite", file: db.url.slice("file:".length), url: db.url });
afterAll(async () => {
  await driver.close();
  await db.drop();
});

test("concurrent transactions run one after another, each whole", async () => {
  await driver.exec(`CREATE TABLE t (writer INTEGER, step INTEGER)`);
  const order: string[] = [];
  const writer = (w: number) => driver.transaction(async (tx) => {
    order.push(`begin ${w}`);
    for (let step = 0; step < 3; step++) {
      await tx.run(`INSERT INTO t VALUES (?, ?)`, [w, step]);
      await new Promise((r) => setTimeout(r, 2)); // yield to the other writers
    }
    if (w === 2) throw new Error("writer 2 fails");
    order.push(`end ${w}`);
    return w;
  });
  const results = await Promise.allSettled([writer(1), writer(2), writer(3)]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  // no interleaving: each transaction ran from begin to end alone
  expect(order).toEqual(["begin 1", "end 1", "begin 2", "begin 3", "end 3"]);
  // the failed one rolled back alone
  const rows = await driver.all<{ writer: number; n: number }>(`SELECT writer, COUNT(*) AS n FROM t GROUP BY writer ORDER BY writer`);
  expect(rows).toEqual([{ writer: 1, n: 3 }, { writer: 3, n: 3 }]);
});

test("a transaction inside another is refused, and the outer one goes on", async () => {
  const outer = await driver.transaction(async (tx) => {
    await expect(driver.transaction(async () => 1)).rejects.toThrow(/nested transactions/);
    await tx.run(`INSERT INTO t VALUES (9, 0)`);
    return "outer done";
  });
  expect(outer).toBe("outer done");
  expect(await driver.all(`SELECT * FROM t WHERE writer = 9`)).toHaveLength(1);
});
