import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readReconstructInputs, reconstructFiles } from "@/bin/actions/reconstruct";
import { toCliHistory } from "@/lib/history";
import { edit, nth, orderScenario } from "./scenarios";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-reconstruct-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, value: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
};

describe("statelens reconstruct (files)", () => {
  it("reads `aws stepfunctions get-execution-history` output and reconstructs it", async () => {
    const { definition, events } = orderScenario();
    const model = await reconstructFiles(write("def.json", definition), write("history.json", toCliHistory(events)));
    expect(model.divergences).toEqual([]);
    expect(model.visits).toHaveLength(5);
  });

  it("reports a divergence for an edited record", async () => {
    const { definition, events } = orderScenario();
    const damaged = edit(events, nth(events, "TaskStateExited"), (d) => { (d.output as Record<string, unknown>).x = 1; });
    const model = await reconstructFiles(write("def2.json", definition), write("history2.json", toCliHistory(damaged)));
    expect(model.divergences.length).toBeGreaterThan(0);
  });

  it.each([
    ["a missing definition file", () => [path.join(dir, "nope.json"), write("h3.json", { events: [] })]],
    ["a definition that is not ASL", () => [write("bad-def.json", { StartAt: 1 }), write("h4.json", toCliHistory(orderScenario().events))]],
    ["a history that is not JSON", () => [write("def5.json", orderScenario().definition), write("h5.json", "{nope")]],
    ["a history without events", () => [write("def6.json", orderScenario().definition), write("h6.json", { events: [] })]],
  ])("rejects %s as bad input (exit code 2)", (_name, files) => {
    const [def, hist] = files();
    expect(() => readReconstructInputs(def, hist)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
