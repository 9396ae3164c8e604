import { describe, expect, it } from "vitest";
import { jsonEquals, unknownMarker } from "../../../lib/reconstruct/compare";

describe("a computed value with unknowns matches the recorded value", () => {
  const u = (name: string) => unknownMarker(name);
  it("when the literal parts stand in order around anything", () => {
    expect(jsonEquals("id-123-end", `id-${u("uuid")}-end`)).toBe(true);
    expect(jsonEquals("a1b22c", `a${u("x")}b${u("y")}c`)).toBe(true);
    expect(jsonEquals("abc", `${u("x")}`)).toBe(true);
    expect(jsonEquals("", `${u("x")}`)).toBe(true);
  });
  it("not when a part is missing, out of order, or overlaps the suffix", () => {
    expect(jsonEquals("id-123-END", `id-${u("uuid")}-end`)).toBe(false);
    expect(jsonEquals("a2c1b", `a${u("x")}b${u("y")}c`)).toBe(false);
    expect(jsonEquals("ab", `ab${u("x")}b`)).toBe(false);
    expect(jsonEquals("abb", `ab${u("x")}b`)).toBe(true);
  });
  it("without backtracking: many unknowns against a long value that almost matches", () => {
    const computed = Array.from({ length: 12 }, (_, i) => `x${u(`v${i}`)}`).join("") + "y";
    const recorded = "x".repeat(200_000); // no final "y": a backtracking regex would not return
    expect(jsonEquals(recorded, computed)).toBe(false);
    expect(jsonEquals(recorded + "y", computed)).toBe(true);
  });
});
