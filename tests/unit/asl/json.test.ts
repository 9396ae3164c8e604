import { describe, expect, it } from "vitest";
import { jsonEquals, jsonTypeName, seededRandom, uuidV4 } from "@/lib/asl/json";

describe("jsonEquals", () => {
  it("ignores object key order", () => {
    expect(jsonEquals({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
  });

  it("distinguishes an array from an object with index keys", () => {
    expect(jsonEquals([1], { 0: 1 })).toBe(false);
  });

  it("distinguishes a missing key from a null one", () => {
    expect(jsonEquals({ a: null }, { b: null })).toBe(false);
  });

  it("distinguishes 1 from \"1\"", () => {
    expect(jsonEquals(1, "1")).toBe(false);
  });
});

describe("jsonTypeName", () => {
  it("names arrays, objects and null as AWS does", () => {
    expect([jsonTypeName([]), jsonTypeName({}), jsonTypeName(null), jsonTypeName("s"), jsonTypeName(true)]).toEqual([
      "array", "object", "null", "string", "boolean",
    ]);
  });
});

describe("seededRandom", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a()]).toEqual([b(), b()]);
  });

  it("draws in [0, 1)", () => {
    const r = seededRandom(7);
    const draws = Array.from({ length: 100 }, () => r());
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
  });
});

describe("uuidV4", () => {
  it("sets the version and variant bits", () => {
    expect(uuidV4(() => 0.999)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
