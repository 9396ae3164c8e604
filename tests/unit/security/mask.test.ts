import { describe, expect, test } from "vitest";
import type { Json } from "@/lib/history/types";
import { MASK, MaskConfigError, maskJsonText, parseMaskPaths } from "@/lib/security/mask";

const paths = (list: string) => parseMaskPaths(list, []);
const masked = (list: string, value: Json) => JSON.parse(maskJsonText(JSON.stringify(value), paths(list))) as Json;

describe("mask paths", () => {
  test("masks a definite path", () => {
    expect(masked("$.card.number", { card: { number: "4111", exp: "12/30" } })).toEqual({ card: { number: MASK, exp: "12/30" } });
  });

  test("masks a field at any depth with ..", () => {
    expect(masked("$..password", { password: "a", user: { password: "b", list: [{ password: "c" }] } })).toEqual({ password: MASK, user: { password: MASK, list: [{ password: MASK }] } });
  });

  test("masks through wildcards, indices and slices", () => {
    expect(masked("$.items[*].ssn", { items: [{ ssn: 1 }, { ssn: 2 }] })).toEqual({ items: [{ ssn: MASK }, { ssn: MASK }] });
    expect(masked("$.items[1].ssn", { items: [{ ssn: 1 }, { ssn: 2 }] })).toEqual({ items: [{ ssn: 1 }, { ssn: MASK }] });
    expect(masked("$.items[0:1]", { items: [1, 2] })).toEqual({ items: [MASK, 2] });
  });

  test("masks objects whole, not only scalars", () => {
    expect(masked("$.card", { card: { number: "4111" } })).toEqual({ card: MASK });
  });

  test("leaves text without a match byte for byte unchanged", () => {
    const text = '{ "a" : 1,  "b": [1, 2] }';
    expect(maskJsonText(text, paths("$..password"))).toBe(text);
  });

  test("finds fields spelled with \\u escapes", () => {
    expect(JSON.parse(maskJsonText('{"pass\\u0077ord":"x"}', paths("$..password")))).toEqual({ password: MASK });
  });

  test("masks named fields in truncated JSON text", () => {
    const out = maskJsonText('{"user":"a","password":"hunter2","card":{"number":4111', paths("$..password,$.card.number"));
    expect(out).not.toContain("hunter2");
    expect(out).not.toContain("4111");
    expect(out).toContain('"user":"a"');
  });

  test("masks a string value cut off by truncation", () => {
    expect(maskJsonText('{"password":"hunter', paths("$..password"))).not.toContain("hunter");
  });

  test("always masks AWS secret keys and session tokens", () => {
    const out = maskJsonText(JSON.stringify({ Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "s3cr3t", SessionToken: "tok" } }), parseMaskPaths(undefined));
    expect(out).not.toContain("s3cr3t");
    expect(out).not.toContain("tok");
  });

  test("rejects paths that are not payload JSONPaths, naming them", () => {
    expect(() => paths("$.ok,card.number")).toThrow(MaskConfigError);
    expect(() => paths("$$.Execution.Input")).toThrow(/\$\$\.Execution\.Input/);
    expect(() => paths("$")).toThrow(/whole payloads/);
    expect(() => paths("$.a[?(@.b)]")).toThrow(/filter/);
  });
});
