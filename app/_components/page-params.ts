// Reading URL search params in server pages (typed, one value per key).
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;
export type Params = Record<string, string | string[] | undefined>;

export const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v) || undefined;
export const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? v.split(",") : []).filter(Boolean);
export const int = (v: string | string[] | undefined): number | undefined => {
  const n = Number(one(v));
  // a safe integer: "1e21" is an integer too, but no id column holds it (Prisma would throw)
  return Number.isSafeInteger(n) ? n : undefined;
};

/** A query string from params with a patch applied (undefined/"" removes a key). */
export function withParams(sp: Params, patch: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) {
    if (k in patch) continue;
    for (const x of Array.isArray(v) ? v : v !== undefined ? [v] : []) p.append(k, x);
  }
  for (const [k, v] of Object.entries(patch)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}
