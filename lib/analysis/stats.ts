// Small statistics over numbers (durations): nearest-rank percentiles.
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function percentiles(values: readonly number[], ps: readonly number[]): Array<number | null> {
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map((p) => percentile(sorted, p));
}
