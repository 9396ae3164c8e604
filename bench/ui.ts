// UI benchmark: the execution page for a 25,000-event execution and for a 10,000-iteration Map,
// from a cold production server. Prints, per page: the server's time to the full HTML, the
// browser's time until the timeline is drawn, and the time until the raw event table has loaded.
//   npm run bench:ui
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { demoDocuments } from "../tests/fixtures/demo-histories";
import { ensureBuild, importDocuments, launchChromium, startNext } from "../tests/e2e/server";

const log = (s: string) => process.stdout.write(`${s}\n`);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-bench-ui-"));
  const docs = demoDocuments({ orders: 0, nightly: 0, thumbnails: 0, big: true });
  const [dbFile, importMs] = await timed(async () => importDocuments(docs, dir));
  log(`import: ${docs.length} histories (${docs.reduce((s, d) => s + d.document.events.length, 0).toLocaleString("en-US")} events) in ${importMs.toFixed(0)} ms`);
  ensureBuild(log);
  const db = new Database(dbFile, { readonly: true });
  const targets = ["poll-job-7781", "catalog-sync-10k"].map((name) => db.prepare(`SELECT "id", "name", "eventCount" FROM "Execution" WHERE "name" = ?`).get(name) as { id: number; name: string; eventCount: number });
  db.close();
  const { url, child } = await startNext(dbFile);
  const browser = await launchChromium();
  try {
    const rows: string[] = [];
    for (const t of targets) {
      // Cold: the first request the server sees for this execution.
      const [html, serverMs] = await timed(async () => (await fetch(`${url}/executions/${t.id}`)).text());
      const [, warmMs] = await timed(async () => (await fetch(`${url}/executions/${t.id}`)).text());
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const [, drawMs] = await timed(async () => {
        await page.goto(`${url}/executions/${t.id}`, { waitUntil: "domcontentloaded" });
        await page.waitForSelector("[data-testid=timeline] [data-row]");
      });
      const [, eventsMs] = await timed(async () => {
        await page.goto(`${url}/executions/${t.id}?tab=events`, { waitUntil: "domcontentloaded" });
        await page.waitForFunction(() => /of [\d,]+ events/.test(document.querySelector("[data-testid=events-table]")?.textContent ?? ""), undefined, { timeout: 120_000 });
      });
      const [, scrollMs] = await timed(async () => {
        await page.evaluate(async () => {
          const el = document.querySelector("[data-testid=events-table] .overflow-auto") as HTMLElement;
          for (let i = 1; i <= 20; i++) {
            el.scrollTop = (el.scrollHeight * i) / 20;
            await new Promise((r) => requestAnimationFrame(() => r(null)));
          }
        });
      });
      const domRows = await page.locator("[data-testid=events-table] [data-row]").count();
      // The Map's iterations expanded into one row each (the catalog sync's Map is visit 0).
      let expanded = "";
      if (t.name === "catalog-sync-10k") {
        const [, expandMs] = await timed(async () => {
          await page.goto(`${url}/executions/${t.id}?expand=0`, { waitUntil: "domcontentloaded" });
          await page.waitForSelector("[data-testid=timeline-row-iteration]");
        });
        expanded = ` | 10,000 iteration rows drawn ${expandMs.toFixed(0)} ms`;
      }
      await page.close();
      rows.push(`${t.name.padEnd(18)} ${t.eventCount.toLocaleString("en-US").padStart(7)} events | HTML cold ${serverMs.toFixed(0).padStart(5)} ms, warm ${warmMs.toFixed(0).padStart(5)} ms (${(html.length / 1024).toFixed(0)} KB) | timeline drawn ${drawMs.toFixed(0).padStart(5)} ms | event table ${eventsMs.toFixed(0).padStart(5)} ms, 20 scroll frames ${scrollMs.toFixed(0)} ms, ${domRows} rows in the DOM${expanded}`);
    }
    log("");
    for (const r of rows) log(r);
  } finally {
    await browser.close();
    child.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
