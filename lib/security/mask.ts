// Masking sensitive values in JSON payloads by JSONPath (STATELENS_MASK_PATHS). Pure: the store
// applies it to every payload before anything is written (lib/store/mask.ts).
import { parseJsonPath, type PathSegment } from "@/lib/asl/paths";
import type { Json } from "@/lib/history/types";

export const MASK = "***MASKED***";

/**
 * Always masked, whatever the configuration: the secret parts of AWS credentials as STS, the SDK
 * and `aws configure export-credentials` name them (an sts:AssumeRole task result, for one).
 */
export const BUILT_IN_MASK_PATHS = ["$..SecretAccessKey", "$..SessionToken", "$..secretAccessKey", "$..sessionToken", "$..aws_secret_access_key", "$..aws_session_token"];

export interface MaskPath {
  text: string;
  segments: PathSegment[];
}

export class MaskConfigError extends Error {
  constructor(message: string) {
    super(`STATELENS_MASK_PATHS: ${message}`);
    this.name = "MaskConfigError";
  }
}

/** Parses a comma-separated list of JSONPaths; throws a MaskConfigError naming the bad one. */
export function parseMaskPaths(list: string | undefined, builtIn: readonly string[] = BUILT_IN_MASK_PATHS): MaskPath[] {
  const texts = [...builtIn, ...(list ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "")];
  return [...new Set(texts)].map((text) => {
    const parsed = parseJsonPath(text);
    if (!parsed.ok) throw new MaskConfigError(`'${text}' is not a JSONPath: ${parsed.message}`);
    if (parsed.path.root !== "input") throw new MaskConfigError(`'${text}' must start with '$.' or '$..' (payload paths only)`);
    if (parsed.path.segments.length === 0) throw new MaskConfigError(`'${text}' would mask whole payloads; name a field`);
    if (parsed.path.segments.some((s) => s.kind === "filter")) throw new MaskConfigError(`'${text}': filter expressions are not supported in mask paths`);
    return { text, segments: parsed.path.segments };
  });
}

type Container = Json[] | { [key: string]: Json };
const isContainer = (v: Json): v is Container => typeof v === "object" && v !== null;

/** The child keys of a container one segment selects. */
function selectKeys(node: Container, segment: PathSegment): Array<string | number> {
  const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  switch (segment.kind) {
    case "field":
      return !Array.isArray(node) && Object.hasOwn(node, segment.name) ? [segment.name] : [];
    case "index": {
      if (!Array.isArray(node)) return [];
      const i = segment.index < 0 ? node.length + segment.index : segment.index;
      return i >= 0 && i < node.length ? [i] : [];
    }
    case "wildcard":
      return keys;
    case "slice": {
      if (!Array.isArray(node)) return [];
      const n = node.length;
      const step = segment.step ?? 1;
      if (step <= 0) return [];
      const norm = (v: number | undefined, d: number) => (v === undefined ? d : v < 0 ? Math.max(0, n + v) : Math.min(n, v));
      const out: number[] = [];
      for (let i = norm(segment.start, 0); i < norm(segment.end, n); i += step) out.push(i);
      return out;
    }
    case "union":
      return segment.items.filter((k) => (typeof k === "number" ? Array.isArray(node) && k < node.length : !Array.isArray(node) && Object.hasOwn(node, k)));
    case "filter":
    case "descendant":
      return [];
  }
}

function setChild(node: Container, key: string | number, value: Json): void {
  (node as Record<string | number, Json>)[key] = value;
}
function getChild(node: Container, key: string | number): Json {
  return (node as Record<string | number, Json>)[key];
}

/** Replaces, in place, every value the segments select below `node`. Returns how many. */
function maskAt(node: Json, segments: PathSegment[], depth = 0): number {
  if (!isContainer(node) || segments.length === 0 || depth > 10_000) return 0;
  const [segment, ...rest] = segments;
  let count = 0;
  if (segment.kind === "descendant") {
    // `..name` selects `name` at this level and at every level below it.
    const stack: Container[] = [node];
    while (stack.length) {
      const current = stack.pop() as Container;
      const keys = segment.name === null ? selectKeys(current, { kind: "wildcard" }) : selectKeys(current, { kind: "field", name: segment.name });
      for (const key of keys) count += apply(current, key, rest, depth);
      for (const child of Array.isArray(current) ? current : Object.values(current)) if (isContainer(child)) stack.push(child);
    }
    return count;
  }
  for (const key of selectKeys(node, segment)) count += apply(node, key, rest, depth);
  return count;
}

function apply(node: Container, key: string | number, rest: PathSegment[], depth: number): number {
  if (rest.length === 0) {
    if (getChild(node, key) === MASK) return 0;
    setChild(node, key, MASK);
    return 1;
  }
  return maskAt(getChild(node, key), rest, depth + 1);
}

/** Masks a parsed JSON value in place. Returns the number of values replaced. */
export function maskJson(value: Json, paths: readonly MaskPath[]): number {
  let count = 0;
  for (const p of paths) count += maskAt(value, p.segments);
  return count;
}

/** The field names a path ends with, for masking text that is not valid JSON. */
function lastFieldName(path: MaskPath): string | null {
  const last = path.segments[path.segments.length - 1];
  if (last.kind === "field" || (last.kind === "descendant" && last.name !== null)) return last.name;
  return null;
}

/**
 * True when no path can select anything in the text: every path ends in a field name that does
 * not occur in it (and no `\u` escape could spell one). Skips parsing almost every payload.
 */
function cannotMatch(text: string, paths: readonly MaskPath[]): boolean {
  const names = fieldNeedles(paths);
  if (names === null || text.includes("\\u")) return false;
  for (const name of names) if (text.includes(name)) return false;
  return true;
}

const needles = new WeakMap<readonly MaskPath[], string[] | null>();

/** Each path's last field name as it appears in JSON text; null when a path ends in no name. */
function fieldNeedles(paths: readonly MaskPath[]): string[] | null {
  let found = needles.get(paths);
  if (found === undefined) {
    const names = paths.map(lastFieldName);
    found = names.every((n) => n !== null) ? names.map((n) => JSON.stringify(n).slice(1, -1)) : null;
    needles.set(paths, found);
  }
  return found;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Masks JSON text. Valid JSON is parsed, masked and written back (only when something changed,
 * so unmasked payloads keep their exact text). Text that is not JSON (a payload truncated by
 * CloudWatch Logs, say) gets every `"name": value` pair of a masked field name replaced, so a
 * secret is not stored just because its document was cut short.
 */
export function maskJsonText(text: string, paths: readonly MaskPath[]): string {
  if (!paths.length || cannotMatch(text, paths)) return text;
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    return maskBrokenJsonText(text, paths);
  }
  if (!isContainer(parsed)) return text;
  return maskJson(parsed, paths) > 0 ? JSON.stringify(parsed) : text;
}

function maskBrokenJsonText(text: string, paths: readonly MaskPath[]): string {
  let out = text;
  for (const name of new Set(paths.map(lastFieldName).filter((n): n is string => n !== null))) {
    const key = escapeRegExp(JSON.stringify(name));
    // a string value (possibly cut off at the end of the text), or any other scalar
    out = out.replace(new RegExp(`(${key}\\s*:\\s*)(?:"(?:[^"\\\\]|\\\\.)*(?:"|\\\\?$)|[^,}\\]\\s]+)`, "g"), `$1${JSON.stringify(MASK)}`);
  }
  return out;
}
