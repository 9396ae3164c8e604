// Comparing recorded values with computed ones. A computed value may hold *unknown markers*:
// strings standing for what the history does not record (the execution ARN, a task token,
// the result of $uuid()). A marker matches any recorded value, alone or inside a string, so
// what the history cannot tell never becomes a divergence.
import type { Json } from "@/lib/history";

// Private-use characters: never in AWS payloads by accident.
const MARK = "\uE000?";
const END = "?\uE001";

/** A placeholder for a value the history does not record; `what` names it in notes. */
export function unknownMarker(what: string): string {
  return `${MARK}${what}${END}`;
}

/**
 * A value the history cannot confirm even the presence of (a context field some AWS versions
 * omit): as an object member, it matches the member's absence too.
 */
export function optionalMarker(what: string): string {
  return `${MARK}optional ${what}${END}`;
}
const isOptional = (v: Json | undefined): boolean => typeof v === "string" && v.startsWith(`${MARK}optional `) && v.endsWith(END);

export function containsUnknown(value: Json | undefined): boolean {
  if (typeof value === "string") return value.includes(MARK);
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * What a computed value holds of the unknown: nothing, whole markers, or markers an expression
 * cut or reshaped (e.g. `$substring` of the execution ARN), which can no longer be matched.
 */
export function scanUnknowns(value: Json | undefined): "none" | "markers" | "broken" {
  if (typeof value === "string") {
    if (!value.includes("\uE000") && !value.includes("\uE001")) return "none";
    return /[\uE000\uE001]/.test(value.replace(/\uE000\?[\s\S]*?\?\uE001/g, "")) ? "broken" : "markers";
  }
  if (value === null || typeof value !== "object") return "none";
  let found: "none" | "markers" = "none";
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    const r = scanUnknowns(v);
    if (r === "broken") return r;
    if (r === "markers") found = r;
  }
  return found;
}

/** The names of the unknown values a computed value depends on. */
export function unknownsIn(value: Json | undefined, out: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    for (const m of value.matchAll(/\uE000\?([\s\S]*?)\?\uE001/g)) out.add(m[1]);
  } else if (Array.isArray(value)) value.forEach((v) => unknownsIn(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => unknownsIn(v, out));
  return out;
}

const patternCache = new Map<string, string[]>();
/** The literal parts of a computed value around its markers (any run of characters). */
function markerParts(s: string): string[] {
  let parts = patternCache.get(s);
  if (!parts) {
    parts = s.split(/\uE000\?[\s\S]*?\?\uE001/);
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(s, parts);
  }
  return parts;
}

/**
 * Whether `value` is the parts with anything between them. The first part is a prefix, the last a
 * suffix, the others are found left to right (the leftmost match is always as good as any):
 * linear, where a regular expression with several `[\s\S]*` could backtrack for minutes.
 */
function matchesParts(value: string, parts: string[]): boolean {
  if (parts.length === 1) return value === parts[0];
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = value.indexOf(parts[i], at);
    if (found < 0 || found + parts[i].length > end) return false;
    at = found + parts[i].length;
  }
  return true;
}

/**
 * Whether a recorded value equals a computed one: JSON values (object key order ignored),
 * markers in the computed value matching anything.
 */
export function jsonEquals(recorded: Json | undefined, computed: Json | undefined): boolean {
  if (recorded === computed) return true;
  if (typeof computed === "string" && computed.includes(MARK)) {
    if (computed.startsWith(MARK) && computed.endsWith(END) && computed.indexOf(END) === computed.length - END.length) return true;
    return matchesParts(typeof recorded === "string" ? recorded : JSON.stringify(recorded), markerParts(computed));
  }
  if (recorded === undefined || computed === undefined || recorded === null || computed === null) return false;
  if (typeof recorded === "string" && typeof computed === "string") return sameJsonText(recorded, computed);
  if (typeof recorded !== typeof computed) return false;
  if (typeof recorded !== "object") return false; // primitives were compared with ===
  if (Array.isArray(recorded)) {
    if (!Array.isArray(computed) || recorded.length !== computed.length) return false;
    for (let i = 0; i < recorded.length; i++) if (!jsonEquals(recorded[i], computed[i])) return false;
    return true;
  }
  if (Array.isArray(computed)) return false;
  const c = computed as Record<string, Json>;
  const r = recorded as Record<string, Json>;
  const rKeys = Object.keys(r);
  let required = 0;
  for (const [k, v] of Object.entries(c)) if (!isOptional(v) || k in r) required++;
  if (rKeys.length !== required) return false;
  for (const k of rKeys) {
    if (!(k in c)) return false;
    if (!jsonEquals(r[k], c[k])) return false;
  }
  return true;
}

/** Two texts that are the same JSON object or array written differently (an error cause). */
function sameJsonText(a: string, b: string): boolean {
  const ta = a.trimStart();
  const tb = b.trimStart();
  if (!((ta.startsWith("{") && tb.startsWith("{")) || (ta.startsWith("[") && tb.startsWith("[")))) return false;
  try {
    return jsonEquals(JSON.parse(a) as Json, JSON.parse(b) as Json);
  } catch {
    return false;
  }
}

/**
 * The computed value with each unknown part replaced by the recorded value it stands for, where
 * they match: what a divergence report shows, so only real differences remain visible.
 */
export function fillUnknowns(computed: Json, recorded: Json): Json {
  if (typeof computed === "string" && computed.includes(MARK)) return jsonEquals(recorded, computed) ? recorded : computed;
  if (Array.isArray(computed)) {
    return Array.isArray(recorded) ? computed.map((c, i) => (i < recorded.length ? fillUnknowns(c, recorded[i]) : c)) : computed;
  }
  if (computed && typeof computed === "object") {
    if (!recorded || typeof recorded !== "object" || Array.isArray(recorded)) return computed;
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(computed)) {
      if (k in recorded) out[k] = fillUnknowns(v, recorded[k]);
      else if (!isOptional(v)) out[k] = v;
    }
    return out;
  }
  return computed;
}

/** A short description of where two values first differ, e.g. `.items[2]: 3 vs 4`. */
export function firstDifference(recorded: Json | undefined, computed: Json | undefined, where = ""): string | null {
  if (jsonEquals(recorded, computed)) return null;
  const show = (v: Json | undefined) => (v === undefined ? "nothing" : truncate(JSON.stringify(v), 80));
  if (recorded && computed && typeof recorded === "object" && typeof computed === "object" && Array.isArray(recorded) === Array.isArray(computed)) {
    if (Array.isArray(recorded) && Array.isArray(computed)) {
      if (recorded.length !== computed.length) return `${where || "$"}: ${recorded.length} items recorded, ${computed.length} computed`;
      for (let i = 0; i < recorded.length; i++) {
        const d = firstDifference(recorded[i], computed[i], `${where}[${i}]`);
        if (d) return d;
      }
    } else {
      const r = recorded as Record<string, Json>;
      const c = computed as Record<string, Json>;
      for (const k of Object.keys(r)) {
        if (!(k in c)) return `${where}.${k} is only in the record (${show(r[k])})`;
        const d = firstDifference(r[k], c[k], `${where}.${k}`);
        if (d) return d;
      }
      for (const k of Object.keys(c)) if (!(k in r) && !isOptional(c[k])) return `${where}.${k} is missing from the record (computed ${show(c[k])})`;
    }
  }
  return `${where || "$"}: recorded ${show(recorded)}, computed ${show(computed)}`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Replaces markers by a readable `<unknown: what>` for output meant for people and JSON reports. */
export function displayUnknowns(value: Json | undefined): Json | undefined {
  if (typeof value === "string") return value.includes(MARK) ? value.replace(/\uE000\?([\s\S]*?)\?\uE001/g, "<unknown: $1>") : value;
  if (Array.isArray(value)) return value.map((v) => displayUnknowns(v) ?? null);
  if (value && typeof value === "object") {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = displayUnknowns(v) ?? null;
    return out;
  }
  return value;
}
