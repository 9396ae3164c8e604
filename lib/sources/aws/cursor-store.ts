// Where a sync remembers how far it got. Correctness never depends on it: every execution is
// checked against the store by ARN before it is fetched, so a lost or stale cursor costs only
// listing time. The cursor lets a sync stop listing at executions an earlier complete pass stored.
import { z } from "zod";
import { readSyncCursor, type Store, writeSyncCursor } from "@/lib/store";

/** Every execution of the state machine that closed before `closedBefore` (epoch ms) is stored. */
export const AwsCursorSchema = z.object({ closedBefore: z.number().int().nonnegative() });
export type AwsCursor = z.infer<typeof AwsCursorSchema>;

/** FilterLogEvents resumes at `startTime` (epoch ms); open executions' events are read again from their start. */
export const LogsCursorSchema = z.object({ startTime: z.number().int().nonnegative() });
export type LogsCursor = z.infer<typeof LogsCursorSchema>;

export interface CursorKey {
  source: "aws" | "logs";
  /** "" for AWS itself, else the custom endpoint URL (a local endpoint's cursors never apply to AWS) */
  endpoint: string;
  /** state machine ARN or log group ARN */
  scope: string;
}

export interface SyncCursorStore {
  get(key: CursorKey): Promise<unknown>;
  put(key: CursorKey, position: unknown): Promise<void>;
}

const keyText = (k: CursorKey) => `${k.source}\u0000${k.endpoint}\u0000${k.scope}`;

/** Cursors for the life of the process (tests, one-off runs). */
export class MemoryCursorStore implements SyncCursorStore {
  private cursors = new Map<string, unknown>();
  async get(key: CursorKey): Promise<unknown> {
    return this.cursors.get(keyText(key));
  }
  async put(key: CursorKey, position: unknown): Promise<void> {
    this.cursors.set(keyText(key), position);
  }
}

export async function readAwsCursor(store: SyncCursorStore, key: CursorKey): Promise<AwsCursor | null> {
  const parsed = AwsCursorSchema.safeParse(await store.get(key));
  return parsed.success ? parsed.data : null;
}

export async function readLogsCursor(store: SyncCursorStore, key: CursorKey): Promise<LogsCursor | null> {
  const parsed = LogsCursorSchema.safeParse(await store.get(key));
  return parsed.success ? parsed.data : null;
}

/** Cursors in the store's SyncCursor table, so an interrupted sync resumes where the last complete pass ended. */
export function storeCursors(store: Store): SyncCursorStore {
  return {
    get: (key) => readSyncCursor(store, key),
    put: (key, position) => writeSyncCursor(store, key, position),
  };
}
