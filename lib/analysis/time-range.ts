// The time range every page shares through the URL: `range=24h` (a preset ending now) or
// `range=custom&from=<ISO>&to=<ISO>`. Also picks the bucket size for charts over that range.
export const RANGE_PRESETS = [
  { key: "1h", label: "Last hour", ms: 3_600_000 },
  { key: "6h", label: "Last 6 hours", ms: 6 * 3_600_000 },
  { key: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { key: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { key: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { key: "90d", label: "Last 90 days", ms: 90 * 86_400_000 },
] as const;
export type RangeKey = (typeof RANGE_PRESETS)[number]["key"] | "custom";
export const DEFAULT_RANGE: RangeKey = "7d";

export interface TimeRange {
  key: RangeKey;
  from: number;
  to: number;
  label: string;
}

const BUCKETS_MS = [60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];

function parseInstant(text: string | undefined): number | null {
  if (!text) return null;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** Reads the range from URL parameters; unknown values fall back to the default preset. */
export function parseTimeRange(params: { range?: string; from?: string; to?: string }, now: number): TimeRange {
  if (params.range === "custom") {
    const from = parseInstant(params.from);
    const to = parseInstant(params.to) ?? now;
    if (from !== null && from < to) return { key: "custom", from, to, label: `${new Date(from).toISOString().slice(0, 16)} – ${new Date(to).toISOString().slice(0, 16)} UTC` };
  }
  const preset = RANGE_PRESETS.find((p) => p.key === params.range) ?? RANGE_PRESETS.find((p) => p.key === DEFAULT_RANGE)!;
  return { key: preset.key, from: now - preset.ms, to: now, label: preset.label };
}

/** The URL parameters that reproduce a range. */
export function rangeParams(range: TimeRange): Record<string, string> {
  return range.key === "custom" ? { range: "custom", from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() } : { range: range.key };
}

/** The smallest bucket that keeps the number of buckets at or under `maxBuckets`. */
export function bucketSizeFor(spanMs: number, maxBuckets = 60): number {
  return BUCKETS_MS.find((b) => spanMs / b <= maxBuckets) ?? BUCKETS_MS[BUCKETS_MS.length - 1];
}

/** Bucket starts covering [from, to), aligned to the bucket size (UTC). */
export function bucketStarts(from: number, to: number, size: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(from / size) * size; t < to; t += size) out.push(t);
  return out;
}

/** Rows of (bucket, series, value) as one chart row per bucket (every bucket present, zeros omitted). */
export function bucketSeries(rows: ReadonlyArray<{ bucket: number; series: string; value: number }>, buckets: readonly number[]): Array<Record<string, number>> {
  const byBucket = new Map<number, Record<string, number>>(buckets.map((b) => [b, { t: b }]));
  for (const r of rows) {
    const row = byBucket.get(r.bucket) ?? { t: r.bucket };
    row[r.series] = (row[r.series] ?? 0) + r.value;
    byBucket.set(r.bucket, row);
  }
  return [...byBucket.values()].sort((a, b) => a.t - b.t);
}
