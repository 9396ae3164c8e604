// ISO-8601 "extended offset date-time" as AWS parses it (Java's ISO_OFFSET_DATE_TIME, strict):
// `2016-03-14T01:59:00Z`, `2016-03-14T01:59:00.123456789+01:00`, seconds optional, up to nine
// fraction digits, an uppercase `T`, and a `Z` or `±HH:MM[:SS]` offset. Used by Wait
// (Timestamp/TimestampPath) and Choice (Timestamp* operators, IsTimestamp).

export interface ParsedTimestamp {
  /** Nanoseconds since the epoch (exact, so fractions beyond milliseconds compare correctly). */
  epochNanos: bigint;
  /** Milliseconds since the epoch (rounded down). */
  epochMs: number;
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses a timestamp; returns null when AWS would reject it. */
export function parseTimestamp(text: string): ParsedTimestamp | null {
  const m = PATTERN.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] !== undefined ? Number(m[6]) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetSeconds = 0;
  if (m[8] !== "Z") {
    const sign = m[8][0] === "-" ? -1 : 1;
    const [oh, om, os] = m[8].slice(1).split(":").map(Number);
    if (oh > 18 || om > 59 || (os ?? 0) > 59) return null;
    offsetSeconds = sign * (oh * 3600 + om * 60 + (os ?? 0));
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // (Date.UTC maps years 0-99 to 1900-1999)
  date.setUTCHours(hour, minute, second, 0);
  const utcSeconds = date.getTime() / 1000 - offsetSeconds;
  const fraction = BigInt((m[7] ?? "").padEnd(9, "0"));
  const epochNanos = BigInt(utcSeconds) * 1_000_000_000n + fraction;
  return { epochNanos, epochMs: Number(epochNanos / 1_000_000n) };
}

/** True when the text is a timestamp AWS accepts. */
export function isTimestamp(text: string): boolean {
  return parseTimestamp(text) !== null;
}
