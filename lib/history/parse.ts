// Reading history documents: what `aws stepfunctions get-execution-history` prints
// (`{"events": [...], "nextToken"?}`), a bare JSON array of events, or a bundle that adds
// `describe-execution` output and the definition. Everything is checked before anything is
// returned: a bad file yields a HistoryParseError naming the file, the event index and the field.
import { DETAILS_KEY_BY_TYPE, type ExecutionStatus, type HistoryEvent, isKnownEventType, PAYLOAD_FIELDS } from "./types";

export class HistoryParseError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Array<{ index: number | null; message: string }>,
  ) {
    super(
      `${file}: ` +
        problems
          .slice(0, 10)
          .map((p) => (p.index === null ? p.message : `event #${p.index}: ${p.message}`))
          .join("; ") +
        (problems.length > 10 ? `; and ${problems.length - 10} more problems` : ""),
    );
    this.name = "HistoryParseError";
  }
}

/** What a history document may say about its execution beside the events. */
export interface ExecutionInfo {
  executionArn?: string;
  stateMachineArn?: string;
  name?: string;
  status?: ExecutionStatus;
  startDate?: number;
  stopDate?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount?: number;
  mapRunArn?: string;
  parentArn?: string;
  stateMachineName?: string;
  stateMachineType?: "STANDARD" | "EXPRESS";
}

export interface ParsedHistory {
  events: HistoryEvent[];
  execution: ExecutionInfo;
  /** Definition text when the document carried one. */
  definition?: string;
  /** Set when the document was one page of a longer history. */
  nextToken?: string;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a timestamp as AWS tools print it: ISO 8601 text, epoch seconds (API wire) or epoch ms. */
const MAX_DATE_MS = 8.64e15; // the range of a JavaScript Date

export function parseTimestamp(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) {
    const ms = Math.abs(value) < 1e11 ? Math.round(value * 1000) : Math.round(value);
    return Math.abs(ms) <= MAX_DATE_MS ? ms : null;
  }
  if (typeof value === "string" && value.trim() !== "") {
    if (/^\d+(\.\d+)?$/.test(value)) return parseTimestamp(Number(value));
    const ms = Date.parse(value);
    return Number.isNaN(ms) || Math.abs(ms) > MAX_DATE_MS ? null : ms;
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  return null;
}

/** Formats epoch ms as the AWS CLI prints timestamps: `2024-01-01T00:00:00.010000+00:00`. */
export function formatCliTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

function toPayloadText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Details fields whose type AWS fixes; a document with another type there is malformed. */
const STRING_FIELDS = new Set(["name", "resource", "resourceType", "region", "error", "mapRunArn", "state", "location", "workerName"]);
const NUMBER_FIELDS = new Set(["index", "length", "timeoutInSeconds", "heartbeatInSeconds", "redriveCount"]);

function badField(details: Raw): string | null {
  for (const [k, v] of Object.entries(details)) {
    if (v === null || v === undefined) continue;
    if (STRING_FIELDS.has(k) && typeof v !== "string") return `'${k}' must be a string`;
    if (NUMBER_FIELDS.has(k) && (typeof v !== "number" || !Number.isFinite(v))) return `'${k}' must be a number`;
  }
  return null;
}

/** Normalises one raw event; pushes problems instead of throwing so all are reported at once. */
function readEvent(raw: unknown, index: number, problems: Array<{ index: number; message: string }>): HistoryEvent | null {
  if (!isObject(raw)) {
    problems.push({ index, message: "is not a JSON object" });
    return null;
  }
  const idRaw = typeof raw.id === "string" && /^\d+$/.test(raw.id) ? Number(raw.id) : raw.id;
  if (typeof idRaw !== "number" || !Number.isInteger(idRaw) || idRaw < 1) {
    problems.push({ index, message: raw.id === undefined ? "missing field 'id'" : `field 'id' must be a positive integer, got ${JSON.stringify(raw.id)}` });
    return null;
  }
  if (typeof raw.type !== "string" || raw.type === "") {
    problems.push({ index, message: raw.type === undefined ? `missing field 'type' (id ${idRaw})` : `field 'type' must be a string (id ${idRaw})` });
    return null;
  }
  const timestamp = parseTimestamp(raw.timestamp);
  if (timestamp === null) {
    problems.push({ index, message: raw.timestamp === undefined ? `missing field 'timestamp' (id ${idRaw})` : `field 'timestamp' is not a date: ${JSON.stringify(raw.timestamp)} (id ${idRaw})` });
    return null;
  }
  const prevRaw = raw.previousEventId ?? 0;
  const previousEventId = typeof prevRaw === "string" && /^\d+$/.test(prevRaw) ? Number(prevRaw) : prevRaw;
  if (typeof previousEventId !== "number" || !Number.isInteger(previousEventId) || previousEventId < 0) {
    problems.push({ index, message: `field 'previousEventId' must be a non-negative integer, got ${JSON.stringify(prevRaw)} (id ${idRaw})` });
    return null;
  }
  const event: HistoryEvent = { id: idRaw, previousEventId, timestamp, type: raw.type };
  const expectedKey = isKnownEventType(raw.type) ? DETAILS_KEY_BY_TYPE[raw.type] : null;
  for (const [key, value] of Object.entries(raw)) {
    if (key === "id" || key === "previousEventId" || key === "timestamp" || key === "type") continue;
    if (!key.endsWith("EventDetails")) continue; // tools add fields of their own; they are not history
    if (!isObject(value)) {
      problems.push({ index, message: `field '${key}' must be an object (id ${idRaw})` });
      return null;
    }
    const details: Raw = {};
    for (const [dk, dv] of Object.entries(value)) {
      if (PAYLOAD_FIELDS.has(dk) && dv !== undefined && dv !== null) details[dk] = toPayloadText(dv);
      else if (dk === "assignedVariables" && isObject(dv)) details[dk] = Object.fromEntries(Object.entries(dv).map(([n, v]) => [n, toPayloadText(v)]));
      else details[dk] = dv;
    }
    const bad = badField(details);
    if (bad) {
      problems.push({ index, message: `field '${key}.${bad.slice(1)} (id ${idRaw})` });
      return null;
    }
    if (expectedKey === key) (event as Raw)[key] = details;
    else if (!isKnownEventType(raw.type)) event.unknownDetails = { key, value: details };
    else problems.push({ index, message: `field '${key}' does not belong to a ${raw.type} event (expected ${expectedKey ?? "no details"}) (id ${idRaw})` });
  }
  return event;
}

/** Checks and normalises a list of raw events. Events are returned sorted by id. */
export function readEvents(rawEvents: unknown[], file: string): HistoryEvent[] {
  const problems: Array<{ index: number; message: string }> = [];
  const events: HistoryEvent[] = [];
  rawEvents.forEach((raw, index) => {
    const event = readEvent(raw, index, problems);
    if (event) events.push(event);
  });
  if (problems.length) throw new HistoryParseError(file, problems);
  const seen = new Map<number, number>();
  events.forEach((e, index) => {
    const first = seen.get(e.id);
    if (first !== undefined) problems.push({ index, message: `duplicate id ${e.id} (also at event #${first})` });
    else seen.set(e.id, index);
  });
  events.forEach((e, index) => {
    if (e.previousEventId !== 0 && !seen.has(e.previousEventId)) problems.push({ index, message: `previousEventId ${e.previousEventId} points at no event (id ${e.id})` });
    if (e.previousEventId >= e.id) problems.push({ index, message: `previousEventId ${e.previousEventId} is not before its event (id ${e.id})` });
  });
  if (problems.length) throw new HistoryParseError(file, problems);
  return events.sort((a, b) => a.id - b.id);
}

function readExecutionInfo(raw: unknown): ExecutionInfo {
  if (!isObject(raw)) return {};
  const str = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : undefined);
  const info: ExecutionInfo = {
    executionArn: str("executionArn"),
    stateMachineArn: str("stateMachineArn"),
    name: str("name"),
    status: str("status") as ExecutionStatus | undefined,
    startDate: parseTimestamp(raw.startDate) ?? undefined,
    stopDate: parseTimestamp(raw.stopDate) ?? undefined,
    input: raw.input === undefined ? undefined : toPayloadText(raw.input),
    output: raw.output === undefined ? undefined : toPayloadText(raw.output),
    error: str("error"),
    cause: str("cause"),
    redriveCount: typeof raw.redriveCount === "number" ? raw.redriveCount : undefined,
    mapRunArn: str("mapRunArn"),
    parentArn: str("parentArn"),
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as ExecutionInfo;
}

/** Parses the text of a history document. `file` names it in errors. */
export function parseHistoryDocument(text: string, file: string): ParsedHistory {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new HistoryParseError(file, [{ index: null, message: `not valid JSON (${(err as Error).message})` }]);
  }
  if (Array.isArray(doc)) return { events: readEvents(doc, file), execution: {} };
  if (!isObject(doc)) throw new HistoryParseError(file, [{ index: null, message: "expected an object with 'events' or an array of events" }]);
  const eventsRaw = doc.events ?? (isObject(doc.history) ? doc.history.events : doc.history);
  if (!Array.isArray(eventsRaw)) throw new HistoryParseError(file, [{ index: null, message: "no 'events' array found (expected the output of `aws stepfunctions get-execution-history`)" }]);
  const events = readEvents(eventsRaw, file);
  const execution = readExecutionInfo(doc.execution);
  const sm = isObject(doc.stateMachine) ? doc.stateMachine : undefined;
  let definition: string | undefined;
  const defRaw = doc.definition ?? sm?.definition;
  if (typeof defRaw === "string") definition = defRaw;
  else if (isObject(defRaw)) definition = JSON.stringify(defRaw, null, 2);
  if (sm) {
    if (typeof sm.stateMachineArn === "string") execution.stateMachineArn ??= sm.stateMachineArn;
    if (typeof sm.name === "string") execution.stateMachineName = sm.name;
    if (sm.type === "STANDARD" || sm.type === "EXPRESS") execution.stateMachineType = sm.type;
  }
  const parsed: ParsedHistory = { events, execution };
  if (definition !== undefined) parsed.definition = definition;
  if (typeof doc.nextToken === "string") parsed.nextToken = doc.nextToken;
  return parsed;
}

/** One event as the AWS CLI prints it (the inverse of readEvent). */
export function toCliEvent(event: HistoryEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { timestamp: formatCliTimestamp(event.timestamp), type: event.type, id: event.id, previousEventId: event.previousEventId };
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("EventDetails") && value !== undefined) out[key] = value;
  }
  if (event.unknownDetails) out[event.unknownDetails.key] = event.unknownDetails.value;
  return out;
}

/** A whole history as `aws stepfunctions get-execution-history` prints it. */
export function toCliHistory(events: HistoryEvent[]): { events: Record<string, unknown>[] } {
  return { events: events.map(toCliEvent) };
}
