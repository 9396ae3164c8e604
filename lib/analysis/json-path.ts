// The small JSONPath subset the UI reads itself ($.a.b[0]): Choice variables, Map item keys.
/** Reads a simple JSONPath ($.a.b[0]) from a value; undefined when it is not there. */
export function resolveSimplePath(value: unknown, path: string): unknown {
  if (!path.startsWith("$")) return undefined;
  let cur: unknown = value;
  for (const part of path.slice(1).match(/\.[^.[]+|\[\d+\]/g) ?? []) {
    if (cur === null || typeof cur !== "object") return undefined;
    const key = part.startsWith("[") ? Number(part.slice(1, -1)) : part.slice(1);
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

