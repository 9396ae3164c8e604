// Developer check (not part of npm test; it reads ../shared, which a user's clone lacks):
// imports every recorded AWS history of ../shared/conformance into a scratch SQLite database with
// `bin/statelens import`, exports each with `bin/statelens export`, and compares event for event.
// Usage: node scripts/conformance-roundtrip.mjs [cases-dir]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const casesDir = path.resolve(process.argv[2] ?? "../shared/conformance/cases");
const { toApiHistory } = await import(path.join(casesDir, "..", "run.mjs"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "roundtrip-"));
const env = { ...process.env, DATABASE_URL: `file:${path.join(tmp, "rt.db")}` };
const files = [];
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (p.endsWith(".json")) files.push(p); } };
walk(casesDir);
const canon = (v) => (Array.isArray(v) ? v.map(canon) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v);
const norm = (events) => canon(events.map((e) => ({ ...e, timestamp: Date.parse(e.timestamp) })));
let equal = 0, different = 0, rejected = 0;
const types = new Set();
for (const [i, file] of files.entries()) {
  const api = toApiHistory(JSON.parse(fs.readFileSync(file, "utf8")).history);
  const historyFile = path.join(tmp, `case${i}.json`);
  fs.writeFileSync(historyFile, JSON.stringify(api));
  let arn;
  try {
    arn = execFileSync("bin/statelens", ["import", historyFile], { env, stdio: ["ignore", "pipe", "pipe"] }).toString().split(" ")[2];
  } catch (err) {
    rejected++;
    console.log(`rejected ${path.relative(casesDir, file)}: ${String(err.stderr).trim().slice(0, 160)}`);
    continue;
  }
  const exported = JSON.parse(execFileSync("bin/statelens", ["export", arn], { env }).toString());
  api.events.forEach((e) => types.add(e.type));
  if (JSON.stringify(norm(exported.events)) === JSON.stringify(norm(api.events))) equal++;
  else { different++; console.log(`DIFFERENT ${path.relative(casesDir, file)}`); }
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`round-trip: ${equal} equal, ${different} different, ${rejected} rejected; ${types.size} event types covered`);
