// Applies STATELENS_MASK_PATHS (lib/security/mask.ts) to an execution before it is stored: the
// execution's input and output and every payload of every event (state input/output, task
// parameters and results, assigned variables), for known and unknown event types alike.
import type { ExecutionInfo } from "@/lib/history/parse";
import { type HistoryEvent, PAYLOAD_FIELDS } from "@/lib/history/types";
import { type MaskPath, maskJsonText, parseMaskPaths } from "@/lib/security/mask";
import type { IngestInput } from "./ingest";

let cached: { source: string | undefined; paths: MaskPath[] } | null = null;

/** The configured mask paths (read from the environment once per distinct value). */
export function configuredMaskPaths(env: NodeJS.ProcessEnv = process.env): MaskPath[] {
  const source = env.STATELENS_MASK_PATHS;
  if (!cached || cached.source !== source) cached = { source, paths: parseMaskPaths(source) };
  return cached.paths;
}

type Details = Record<string, unknown>;

/** The details with every payload masked; the same object when nothing was masked. */
function maskDetails(details: Details, paths: readonly MaskPath[]): Details {
  let out: Details | null = null;
  for (const key in details) {
    const value = details[key];
    let masked: unknown = value;
    if (PAYLOAD_FIELDS.has(key) && typeof value === "string") masked = maskJsonText(value, paths);
    else if (key === "assignedVariables" && typeof value === "object" && value !== null && !Array.isArray(value)) {
      masked = maskVariables(value as Record<string, unknown>, paths);
    }
    if (masked !== value) (out ??= { ...details })[key] = masked;
  }
  return out ?? details;
}

/**
 * Assigned variables are a map of name to JSON text; paths apply to the map as one document, so
 * `$.password` masks a variable named password and `$..password` a field inside any variable.
 */
function maskVariables(variables: Record<string, unknown>, paths: readonly MaskPath[]): Record<string, unknown> {
  const doc: Record<string, string> = {};
  for (const [name, text] of Object.entries(variables)) if (typeof text === "string") doc[name] = text;
  const parsed: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(doc)) {
    try {
      parsed[name] = JSON.parse(text);
    } catch {
      parsed[name] = maskJsonText(text, paths); // not JSON: masked field by field as text
    }
  }
  const masked = JSON.parse(maskJsonText(JSON.stringify(parsed), paths)) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...variables };
  for (const name of Object.keys(doc)) out[name] = JSON.stringify(masked[name]) === JSON.stringify(parsed[name]) ? doc[name] : JSON.stringify(masked[name]);
  return out;
}

/** The event with every payload masked; the same object when nothing was masked. */
export function maskEvent(event: HistoryEvent, paths: readonly MaskPath[]): HistoryEvent {
  let out: Record<string, unknown> | null = null;
  const source = event as unknown as Record<string, unknown>;
  for (const key in source) {
    const value = source[key];
    if (!key.endsWith("EventDetails") || typeof value !== "object" || value === null) continue;
    const masked = maskDetails(value as Details, paths);
    if (masked !== value) (out ??= { ...source })[key] = masked;
  }
  const unknown = event.unknownDetails;
  if (unknown && typeof unknown.value === "object" && unknown.value !== null) {
    const masked = maskDetails(unknown.value as Details, paths);
    if (masked !== unknown.value) (out ??= { ...source }).unknownDetails = { key: unknown.key, value: masked };
  }
  return (out ?? event) as HistoryEvent;
}

/** A copy of the input with every configured path masked in every payload. */
export function maskIngestInput(input: IngestInput, paths: readonly MaskPath[] = configuredMaskPaths()): IngestInput {
  if (!paths.length) return input;
  const execution: ExecutionInfo | undefined = input.execution && {
    ...input.execution,
    ...(input.execution.input !== undefined ? { input: maskJsonText(input.execution.input, paths) } : {}),
    ...(input.execution.output !== undefined ? { output: maskJsonText(input.execution.output, paths) } : {}),
  };
  return { ...input, execution, events: input.events.map((e) => maskEvent(e, paths)) };
}
