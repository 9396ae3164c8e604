import { describe, expect, it } from "vitest";
import { isTimestamp, parseTimestamp } from "@/lib/asl/timestamp";

describe("parseTimestamp", () => {
  it("parses a UTC timestamp", () => {
    expect(parseTimestamp("2016-03-14T01:59:00Z")?.epochMs).toBe(Date.UTC(2016, 2, 14, 1, 59));
  });

  it("applies a positive offset", () => {
    expect(parseTimestamp("2016-03-14T02:59:00+01:00")?.epochMs).toBe(Date.UTC(2016, 2, 14, 1, 59));
  });

  it("applies a negative offset", () => {
    expect(parseTimestamp("2016-03-13T20:59:00-05:00")?.epochMs).toBe(Date.UTC(2016, 2, 14, 1, 59));
  });

  it("keeps nanoseconds exactly (recorded: .243167252)", () => {
    expect(parseTimestamp("2016-03-05T21:29:29.243167252Z")?.epochNanos).toBe(1457213369243167252n);
  });

  it("accepts a timestamp without seconds, as Java does", () => {
    expect(isTimestamp("2016-03-14T01:59Z")).toBe(true);
  });

  it("rejects hour 25 (recorded)", () => {
    expect(isTimestamp("2016-12-05T25:29:29Z")).toBe(false);
  });

  it("rejects a space instead of T (recorded)", () => {
    expect(isTimestamp("2016-12-05 21:29:29Z")).toBe(false);
  });

  it("rejects a day-first date (recorded)", () => {
    expect(isTimestamp("05-12-2016T21:29:29Z")).toBe(false);
  });

  it("rejects a missing offset", () => {
    expect(isTimestamp("2016-12-05T21:29:29")).toBe(false);
  });

  it("rejects February 30", () => {
    expect(isTimestamp("2016-02-30T00:00:00Z")).toBe(false);
  });

  it("accepts February 29 of a leap year", () => {
    expect(isTimestamp("2016-02-29T00:00:00Z")).toBe(true);
  });

  it("rejects a lowercase t", () => {
    expect(isTimestamp("2016-12-05t21:29:29Z")).toBe(false);
  });
});
