import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../../..");
let dir: string;

/** Writes a definition file and runs `statelens validate` on it. */
function validate(contents: string | object, ...flags: string[]): { status: number | null; stdout: string; stderr: string } {
  const file = path.join(dir, `def-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof contents === "string" ? contents : JSON.stringify(contents, null, 2));
  return run(file, ...flags);
}

function run(file: string, ...flags: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("node", [path.join(root, "bin/statelens"), "validate", ...flags, file], { cwd: root, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  execFileSync("node", ["scripts/build-cli.mjs"], { cwd: root, stdio: "pipe" });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-validate-"));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const validDefinition = {
  StartAt: "Work",
  States: {
    Work: { Type: "Parallel", Branches: [{ StartAt: "Inner", States: { Inner: { Type: "Pass", End: true } } }], Next: "Done" },
    Done: { Type: "Succeed" },
  },
};

const invalidDefinition = { StartAt: "A", States: { A: { Type: "Pass", Next: "Missing" }, B: { Type: "Succeed" } } };

describe("statelens validate", () => {
  it("prints valid and the state count, and exits 0, for a valid definition", () => {
    const { status, stdout } = validate(validDefinition);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe("valid (3 states)");
  });

  it("prints one line per problem, pointer first, and exits 1 for an invalid definition", () => {
    const { status, stdout } = validate(invalidDefinition);
    expect(status).toBe(1);
    const lines = stdout.trim().split("\n");
    expect(lines).toContain('/States/A/Next: Next names "Missing", but there is no state of that name in the top-level state machine');
    expect(lines.some((l) => l.startsWith("/States/B: "))).toBe(true);
  });

  it("prints { valid, problems } with --json and keeps the exit codes", () => {
    const bad = validate(invalidDefinition, "--json");
    expect(bad.status).toBe(1);
    const report = JSON.parse(bad.stdout) as { valid: boolean; problems: Array<{ pointer: string; message: string; code: string }> };
    expect(report.valid).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ pointer: "/States/A/Next", code: "dangling-next" }));
    expect(report.problems).toContainEqual(expect.objectContaining({ pointer: "/States/B", code: "unreachable-state" }));

    const good = validate(validDefinition, "--json");
    expect(good.status).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({ valid: true, problems: [] });
  });

  it("exits 2 and names the file and the position when the file is not JSON", () => {
    const { status, stderr, stdout } = validate('{\n  "StartAt": "A",\n  "States": }\n');
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/def-.*\.json is not valid JSON: line 3, column 13 \(position \d+\)/);
  });

  it("exits 2 and names the file when it cannot be read", () => {
    const missing = path.join(dir, "missing.json");
    const { status, stderr } = run(missing);
    expect(status).toBe(2);
    expect(stderr).toContain(`cannot read ${missing}`);
  });
});
