// Distributed Map ResultWriter: the files AWS writes to S3 for a map run (a manifest plus
// SUCCEEDED_n / FAILED_n result files listing each child execution) and the output the Map
// state gets instead of the results: { MapRunArn, ResultWriterDetails: { Bucket, Key } }.
import type { Json } from "../history/types";
import type { ExecutionDescription } from "./types";

/** What a result file says of each child execution (payloads as JSON text). */
export type ChildSummary = Pick<ExecutionDescription, "executionArn" | "name" | "status" | "input" | "output" | "error" | "cause">;

export function resultWriterFiles(mapRunArn: string, parameters: Json, children: ChildSummary[]): { files: Array<{ key: string; body: string }>; output: Json } {
  const p = (parameters && typeof parameters === "object" && !Array.isArray(parameters) ? parameters : {}) as Record<string, Json>;
  const prefix = typeof p.Prefix === "string" && p.Prefix !== "" ? `${p.Prefix.replace(/\/$/, "")}/` : "";
  const runId = mapRunArn.split(":").pop() ?? "run";
  const entry = (c: ChildSummary) => {
    const e: Record<string, Json> = { ExecutionArn: c.executionArn, Input: c.input, Name: c.name, Status: c.status };
    if (c.output !== undefined) e.Output = c.output;
    if (c.error !== undefined) e.Error = c.error;
    if (c.cause !== undefined) e.Cause = c.cause;
    return e;
  };
  const succeeded = { key: `${prefix}${runId}/SUCCEEDED_0.json`, body: JSON.stringify(children.filter((c) => c.status === "SUCCEEDED").map(entry)) };
  const failed = { key: `${prefix}${runId}/FAILED_0.json`, body: JSON.stringify(children.filter((c) => c.status === "FAILED").map(entry)) };
  const manifestKey = `${prefix}${runId}/manifest.json`;
  const manifest = {
    DestinationBucket: p.Bucket ?? null,
    MapRunArn: mapRunArn,
    ResultFiles: { FAILED: [{ Key: failed.key, Size: failed.body.length }], PENDING: [], SUCCEEDED: [{ Key: succeeded.key, Size: succeeded.body.length }] },
  };
  return {
    files: [succeeded, failed, { key: manifestKey, body: JSON.stringify(manifest) }],
    output: { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: p.Bucket ?? null, Key: manifestKey } },
  };
}
