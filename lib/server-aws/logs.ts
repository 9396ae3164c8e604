// A CloudWatch Logs stand-in holding what Step Functions writes: log groups of streams of
// events, served through FilterLogEvents, GetLogEvents and DescribeLogGroups (JSON 1.1,
// timestamps in epoch milliseconds). In memory: it lives as long as the endpoint.
import crypto from "node:crypto";
import { AwsApiError } from "./errors";
import { decodeToken, encodeToken, pageSize } from "./tokens";

interface StoredLogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** global insertion order: the tiebreak after timestamp */
  seq: number;
  eventId: string;
}

interface LogGroup {
  name: string;
  arn: string;
  creationTime: number;
  streams: Map<string, { name: string; creationTime: number; events: StoredLogEvent[] }>;
}

type Req = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The log group name inside a log group ARN (`arn:aws:logs:<region>:<account>:log-group:<name>:*`). */
export function logGroupNameOf(arnOrName: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(arnOrName);
  return m ? m[1] : arnOrName;
}

/**
 * The subset of CloudWatch Logs filter patterns Step Functions readers use: empty (everything),
 * `{ $.field = "value" }` / `{ $.field != "value" }` joined by && , or a plain term.
 */
function compileFilter(pattern: string | undefined): (message: string) => boolean {
  const p = (pattern ?? "").trim();
  if (p === "") return () => true;
  const json = /^\{(.*)\}$/s.exec(p);
  if (!json) {
    const terms = p.split(/\s+/).map((t) => t.replace(/^"|"$/g, ""));
    return (m) => terms.every((t) => m.includes(t));
  }
  const clauses = json[1].split("&&").map((c) => {
    const m = /^\s*\$\.([A-Za-z0-9_.]+)\s*(=|!=)\s*"?([^"]*?)"?\s*$/.exec(c);
    if (!m) throw new AwsApiError("InvalidParameterException", `Invalid filter pattern: ${pattern}`);
    return { path: m[1].split("."), op: m[2], value: m[3] };
  });
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return clauses.every(({ path, op, value }) => {
      let v: unknown = doc;
      for (const k of path) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined;
      const equal = v !== undefined && String(v) === value;
      return op === "=" ? equal : !equal;
    });
  };
}

export class LogsService {
  private groups = new Map<string, LogGroup>();
  private seq = 0;

  constructor(private readonly region: string, private readonly accountId: string) {}

  ensureLogGroup(nameOrArn: string): LogGroup {
    const name = logGroupNameOf(nameOrArn);
    let group = this.groups.get(name);
    if (!group) {
      group = { name, arn: `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}:*`, creationTime: Date.now(), streams: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  putLogEvent(groupNameOrArn: string, streamName: string, timestamp: number, message: string): void {
    const group = this.ensureLogGroup(groupNameOrArn);
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = { name: streamName, creationTime: Date.now(), events: [] };
      group.streams.set(streamName, stream);
    }
    const seq = ++this.seq;
    stream.events.push({ logStreamName: streamName, timestamp, message, ingestionTime: Date.now(), seq, eventId: String(seq).padStart(56, "0") });
  }

  private group(req: Req): LogGroup {
    const name = str(req.logGroupName);
    const identifier = str(req.logGroupIdentifier);
    if (name && identifier) throw new AwsApiError("InvalidParameterException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
    const key = name ?? (identifier ? logGroupNameOf(identifier) : undefined);
    if (!key) throw new AwsApiError("InvalidParameterException", "Either logGroupName or logGroupIdentifier must be specified.");
    const group = this.groups.get(key);
    if (!group) throw new AwsApiError("ResourceNotFoundException", "The specified log group does not exist.");
    return group;
  }

  handle(operation: string, req: Req): unknown {
    switch (operation) {
      case "CreateLogGroup": {
        const name = str(req.logGroupName);
        if (!name) throw new AwsApiError("InvalidParameterException", "logGroupName is required");
        if (this.groups.has(name)) throw new AwsApiError("ResourceAlreadyExistsException", "The specified log group already exists");
        this.ensureLogGroup(name);
        return {};
      }
      case "DescribeLogGroups":
        return this.describeLogGroups(req);
      case "FilterLogEvents":
        return this.filterLogEvents(req);
      case "GetLogEvents":
        return this.getLogEvents(req);
      default:
        throw new AwsApiError("UnknownOperationException", `Operation ${operation} is not supported by this endpoint`);
    }
  }

  private describeLogGroups(req: Req) {
    const prefix = str(req.logGroupNamePrefix) ?? "";
    const all = [...this.groups.values()].filter((g) => g.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
    const limit = pageSize(req.limit, 50, 50);
    const args = { prefix };
    const start = req.nextToken !== undefined ? decodeToken<number>(req.nextToken, args) : 0;
    const page = all.slice(start, start + limit);
    return {
      logGroups: page.map((g) => ({ logGroupName: g.name, arn: g.arn, logGroupArn: g.arn.replace(/:\*$/, ""), creationTime: g.creationTime, storedBytes: 0, metricFilterCount: 0 })),
      ...(start + limit < all.length ? { nextToken: encodeToken(start + limit, args) } : {}),
    };
  }

  /** Sorted by (timestamp, insertion order); a token remembers the last event returned, so events appended meanwhile are neither skipped nor repeated. */
  private filterLogEvents(req: Req) {
    const group = this.group(req);
    const names = Array.isArray(req.logStreamNames) ? (req.logStreamNames as unknown[]).filter((n): n is string => typeof n === "string") : undefined;
    const prefix = str(req.logStreamNamePrefix);
    if (names && prefix) throw new AwsApiError("InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive");
    const startTime = num(req.startTime) ?? 0;
    const endTime = num(req.endTime) ?? Number.MAX_SAFE_INTEGER;
    const matches = compileFilter(str(req.filterPattern));
    const limit = pageSize(req.limit, 10_000, 10_000);
    const args = { g: group.name, names, prefix, startTime, endTime, p: str(req.filterPattern) ?? "" };
    const after = req.nextToken !== undefined ? decodeToken<[number, number]>(req.nextToken, args) : null;
    const events: StoredLogEvent[] = [];
    for (const stream of group.streams.values()) {
      if (names && !names.includes(stream.name)) continue;
      if (prefix && !stream.name.startsWith(prefix)) continue;
      for (const e of stream.events) {
        if (e.timestamp < startTime || e.timestamp > endTime) continue;
        if (after && (e.timestamp < after[0] || (e.timestamp === after[0] && e.seq <= after[1]))) continue;
        events.push(e);
      }
    }
    events.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    const page: StoredLogEvent[] = [];
    let bytes = 0;
    let scanned = 0;
    for (const e of events) {
      scanned++;
      if (!matches(e.message)) continue;
      if (page.length >= limit || bytes + e.message.length > 1_000_000) {
        scanned--;
        break;
      }
      page.push(e);
      bytes += e.message.length + 26;
    }
    const more = scanned < events.length;
    const last = page.length ? page[page.length - 1] : events[scanned - 1];
    return {
      events: page.map((e) => ({ logStreamName: e.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId })),
      searchedLogStreams: [],
      ...(more && last ? { nextToken: encodeToken([last.timestamp, last.seq], args) } : {}),
    };
  }

  private getLogEvents(req: Req) {
    const group = this.group(req);
    const streamName = str(req.logStreamName);
    const stream = streamName ? group.streams.get(streamName) : undefined;
    if (!stream) throw new AwsApiError("ResourceNotFoundException", "The specified log stream does not exist.");
    const startTime = num(req.startTime) ?? 0;
    const endTime = num(req.endTime) ?? Number.MAX_SAFE_INTEGER;
    const inRange = stream.events.filter((e) => e.timestamp >= startTime && e.timestamp < endTime);
    const limit = pageSize(req.limit, 10_000, 10_000);
    const args = { g: group.name, s: stream.name, startTime, endTime };
    let from: number;
    let to: number;
    const token = str(req.nextToken);
    if (token) {
      const [dir, pos] = decodeToken<["f" | "b", number]>(token, args);
      if (dir === "f") [from, to] = [pos, Math.min(pos + limit, inRange.length)];
      else [from, to] = [Math.max(0, pos - limit), pos];
    } else if (req.startFromHead === true) [from, to] = [0, Math.min(limit, inRange.length)];
    else [from, to] = [Math.max(0, inRange.length - limit), inRange.length];
    return {
      events: inRange.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      // AWS never returns null tokens; at the end the same forward token comes back.
      nextForwardToken: encodeToken(["f", to], args),
      nextBackwardToken: encodeToken(["b", from], args),
    };
  }
}

/** A Step Functions log stream name: `states/<machine>/<YYYY-MM-DD-HH-MM>/<8 hex>`. */
export function logStreamNameFor(stateMachineName: string, timestamp: number): string {
  const bucket = new Date(timestamp).toISOString().slice(0, 16).replace(/[T:]/g, "-");
  const hex = crypto.createHash("sha256").update(`${stateMachineName}/${bucket}`).digest("hex").slice(0, 8);
  return `states/${stateMachineName}/${bucket}/${hex}`;
}
