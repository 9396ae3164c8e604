// End-to-end: a production build of the dashboard over a fresh database of generated histories,
// driven in Chromium. Each test follows one task an on-call engineer or a cost reviewer does.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { standardCost } from "@/lib/analysis/pricing";
import { demoDocuments } from "../fixtures/demo-histories";
import { lambdaRetryCatchFail } from "../fixtures/histories";
import { ROOT, startTestServer, type TestServer } from "./server";

const SHOTS = path.join(ROOT, "artifacts", "screenshots");
let server: TestServer;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const db = () => new Database(server.dbFile, { readonly: true });
const idOf = (name: string) => {
  const d = db();
  try {
    return (d.prepare(`SELECT "id" FROM "Execution" WHERE "name" = ?`).get(name) as { id: number }).id;
  } finally {
    d.close();
  }
};

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer(demoDocuments({ orders: 120, nightly: 30, thumbnails: 60, days: 7 }), (s) => process.stdout.write(`[e2e] ${s}\n`));
  page = await server.browser.newPage({ viewport: { width: 1440, height: 900 } });
}, 900_000);

afterAll(async () => {
  await server?.stop();
});

describe("dashboard", () => {
  test("finds a failed execution from the overview in three clicks and sees its failing state's input and error", async () => {
    await page.goto(`${server.url}/?range=7d`);
    await shot("overview");
    await page.click("[data-testid=kpi-failed]"); // 1
    await page.waitForURL(/\/executions\?.*status=FAILED/);
    await page.locator("[data-testid=executions-table] tbody tr a").first().click(); // 2
    await page.waitForURL(/\/executions\/\d+/);
    await page.click("[data-testid=jump-failure]"); // 3
    const inspector = page.locator("[data-testid=inspector]");
    await expect.poll(() => inspector.locator("[data-testid=inspector-error]").count()).toBe(1);
    const flow = await inspector.locator("[data-testid=data-flow]").textContent();
    expect(flow).toContain("1. Input");
    expect(flow).toContain('"orderId"');
    await shot("execution-failed");
  });

  test("opens the failing state of a known failure: its input and its error", async () => {
    await page.goto(`${server.url}/executions/${idOf("order-A-17-retry")}`);
    expect(await page.textContent("[data-testid=failure-banner]")).toContain("PaymentDeclined in ChargeCard");
    // What changed since the last good run, without leaving the page.
    const since = await page.textContent("[data-testid=since-last-success]");
    expect(since).toContain("Reserve[1]/ChargeCard: SUCCEEDED → FAILED PaymentDeclined");
    expect(since).toContain("input is the same");
    await page.click("[data-testid=jump-failure]");
    await expect.poll(() => page.textContent("[data-testid=inspector-state]")).toBe("ChargeCard");
    expect(await page.textContent("[data-testid=inspector-error]")).toContain("insufficient funds");
    expect(await page.locator("[data-testid=inspector] pre").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('"orderId": "A-17"')]));
    // The run model (lib/reconstruct) fills in the steps the history does not record.
    expect(await page.textContent("[data-testid=data-flow]")).toContain("After Parameters (the request)");
    await shot("execution-timeline");
    await page.goto(`${server.url}/executions/${idOf("order-A-17-retry")}?tab=graph`);
    await page.waitForSelector("[data-testid=graph-node-ChargeCard][data-failed]");
    await shot("execution-graph");
    await page.goto(`${server.url}/executions/${idOf("order-A-17-retry")}?tab=cost`);
    expect(await page.textContent("[data-testid=cost-ledger]")).toContain("billable transitions");
    await shot("execution-cost");
    await page.goto(`${server.url}/executions/${idOf("order-A-17-retry")}?tab=events`);
    await expect.poll(() => page.textContent("[data-testid=events-table]")).toContain("TaskFailed");
    await shot("execution-events");
  });

  test("compares a failure with the last success of the same version and finds where they part", async () => {
    await page.goto(`${server.url}/executions/${idOf("order-A-17-retry")}`);
    await page.click("[data-testid=compare-last-success]");
    await page.waitForURL(/\/compare\?/);
    expect(await page.textContent("[data-testid=divergence]")).toContain("First divergence");
    expect(await page.textContent("[data-testid=divergence]")).toContain("Reserve");
    expect(await page.textContent("[data-testid=json-diff]")).toContain("$.error");
    await shot("compare");
  });

  test("opens the executions behind a heatmap cell", async () => {
    await page.goto(`${server.url}/heatmaps?range=7d`);
    await shot("heatmaps");
    const cell = page.locator("[data-testid=heat-cell]").first();
    const title = (await cell.getAttribute("title")) ?? "";
    const state = title.split(" · ")[0];
    await cell.click();
    await page.waitForURL(/visitState=/);
    expect(new URL(page.url()).searchParams.get("visitState")).toBe(state);
    const count = Number((await page.textContent("[data-testid=result-count]"))?.match(/^[\d,]+/)?.[0].replace(/,/g, ""));
    expect(count).toBeGreaterThan(0);
    await shot("executions-from-heatmap");
  });

  test("reads the cost of a state machine, matching the transitions stored", async () => {
    // 30 days holds every generated execution, so the page and the database see the same set.
    await page.goto(`${server.url}/cost?range=30d`);
    const d = db();
    const { t } = d.prepare(`SELECT SUM(e."transitions") AS t FROM "Execution" e JOIN "StateMachine" m ON m."id" = e."stateMachineId" WHERE m."name" = 'orders'`).get() as { t: number };
    d.close();
    const shown = await page.textContent("[data-testid=cost-row-orders] [data-testid=cost-dollars]");
    expect(shown).toBe(`$${standardCost(t).toFixed(4)}`);
    await shot("cost");
    await page.goto(`${server.url}/state-machines?range=30d`);
    expect(await page.textContent("[data-testid=machine-cost-orders]")).toBe(shown);
    await shot("state-machines");
    await page.goto(`${server.url}/state-machines/orders?range=7d&metric=failure`);
    await page.waitForSelector("[data-testid=graph-node-ChargeCard]");
    await shot("state-machine");
  });

  test("keeps filters in the URL: a deep link reproduces the same list", async () => {
    const link = `${server.url}/executions?range=7d&status=FAILED&stateMachine=orders&sort=durationMs&dir=asc`;
    await page.goto(link);
    expect(await page.locator("select[name=status]").inputValue()).toBe("FAILED");
    expect(await page.locator("select[name=stateMachine]").inputValue()).toBe("orders");
    const first = await page.locator("[data-testid=executions-table] tbody tr").first().textContent();
    await page.locator("input[name=q]").fill("PaymentDeclined");
    await page.click("text=Apply");
    await page.waitForURL(/q=PaymentDeclined/);
    const filtered = new URL(page.url());
    expect(filtered.searchParams.get("status")).toBe("FAILED");
    expect(filtered.searchParams.get("sort")).toBe("durationMs");
    await page.goto(link);
    expect(await page.locator("[data-testid=executions-table] tbody tr").first().textContent()).toBe(first);
    await page.goto(`${server.url}/executions?q=${encodeURIComponent('$.orderId = "A-17"')}`);
    expect(await page.textContent("[data-testid=result-count]")).toMatch(/^2 executions/);
    await shot("executions");
    // A selected state survives a reload.
    const id = idOf("order-A-17-first");
    await page.goto(`${server.url}/executions/${id}?state=1&tab=timeline`);
    expect(await page.textContent("[data-testid=inspector-state]")).toBe("IsPriority");
  });

  test("shows HTML in an execution's input as text and never runs it", async () => {
    await page.goto(`${server.url}/executions/${idOf("order-X-1-html")}?tab=io`);
    const text = await page.locator("[data-testid=json-view] pre").first().textContent();
    expect(text).toContain("<script>window.__xss = 1</script>");
    expect(text).toContain("<img src=x onerror=");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("[data-testid=json-view] img, [data-testid=json-view] script, [data-testid=json-view] b").count()).toBe(0);
    await shot("xss-as-text");
  });

  test("warns when a running execution is on course for the 25,000-event limit", async () => {
    await page.goto(`${server.url}/executions/${idOf("poll-job-9001-running")}`);
    const meter = await page.textContent("[data-testid=event-meter]");
    expect(meter).toMatch(/reaches 25,000 at ~\d{4}-\d\d-\d\d/);
    expect(meter).toContain("Poll");
    expect(await page.textContent("main")).toContain("live");
    await shot("execution-running");
  });

  test("gates a 300 KB payload behind a preview and a download", async () => {
    await page.goto(`${server.url}/executions/${idOf("order-BIG-1-payload")}?tab=io`);
    expect(await page.textContent("[data-testid=json-view]")).toContain("Large payload");
    const res = await page.request.get(`${server.url}/api/executions/${idOf("order-BIG-1-payload")}/payload?field=input`);
    expect((await res.text()).length).toBeGreaterThan(300_000);
  });

  test("imports a dropped history file and opens it", async () => {
    await page.goto(`${server.url}/upload`);
    const history = { ...lambdaRetryCatchFail().cli(), execution: { name: "uploaded-charge" }, stateMachine: { name: "payments", type: "STANDARD" } };
    await page.setInputFiles("[data-testid=file-input]", { name: "uploaded-charge.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(history)) });
    await page.click("[data-testid=import-button]");
    await expect.poll(() => page.textContent("[data-testid=import-result]")).toContain("created");
    await shot("upload-done");
    await page.locator("[data-testid=import-result] a").click();
    await page.waitForURL(/\/executions\/\d+/);
    expect(await page.textContent("[data-testid=execution-name]")).toBe("uploaded-charge");
    expect(await page.textContent("[data-testid=failure-banner]")).toContain("PaymentDeclined in Charge");
  });

  test("moves through rows with j/k, opens one with Enter, and n finds the next failed state", async () => {
    await page.goto(`${server.url}/executions?range=7d`, { waitUntil: "networkidle" });
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    const selected = page.locator("[data-row][data-selected]");
    expect(await selected.count()).toBe(1);
    const name = (await selected.locator("a").first().textContent()) ?? "";
    expect(name).toBe(await page.locator("[data-testid=executions-table] tbody tr").first().locator("a").first().textContent());
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/executions\/\d+/);
    expect(await page.textContent("[data-testid=execution-name]")).toBe(name);
    await page.goto(`${server.url}/executions/${idOf("order-A-17-retry")}?state=0`, { waitUntil: "networkidle" });
    await page.keyboard.press("n");
    await expect.poll(() => page.textContent("[data-testid=inspector-state]")).toBe("ChargeCard");
    // Shortcuts work once the page is hydrated.
    await page.goto(`${server.url}/executions`, { waitUntil: "networkidle" });
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("q");
  });

  test("rejects a bad history upload with the file and the event named", async () => {
    await page.goto(`${server.url}/upload`);
    await shot("upload");
    const res = await page.request.post(`${server.url}/api/import`, {
      multipart: { file: { name: "broken.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ events: [{ id: 1, type: "ExecutionStarted", timestamp: "2026-01-01T00:00:00Z", previousEventId: 0 }, { id: 2, type: "PassStateEntered", previousEventId: 1 }] })) } },
    });
    expect(res.status()).toBe(422);
    const body = (await res.json()) as { error: string };
    expect(body.error).toContain("broken.json");
    expect(body.error).toContain("event #1");
  });

  test("shows the incidents, the heavy pages and the dark theme", async () => {
    await page.goto(`${server.url}/incidents?range=7d`);
    expect(await page.textContent("[data-testid=incidents-table]")).toContain("PaymentDeclined");
    await shot("incidents");
    await page.keyboard.press("?");
    await page.waitForSelector("[role=dialog]");
    await shot("keyboard-help");
    await page.keyboard.press("Escape");
    await page.click("[data-testid=theme-toggle]");
    await page.goto(`${server.url}/executions/${idOf("order-A-17-retry")}`);
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await shot("execution-dark");
    await page.click("[data-testid=theme-toggle]");
    await page.goto(`${server.url}/executions/999999`);
    // The loading skeleton streams first, so the not-found page arrives a moment later.
    await expect.poll(() => page.textContent("main")).toContain("Not found");
  });
});
