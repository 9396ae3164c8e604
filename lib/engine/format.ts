// Text formats the engine writes: ISO timestamps in the context object.

// Context timestamps are formatted per state entered; the text up to the second is cached.
let isoSecond = NaN;
let isoPrefix = "";
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const frac = ms - second * 1000;
  return `${isoPrefix}${frac < 10 ? "00" : frac < 100 ? "0" : ""}${frac}Z`;
}
