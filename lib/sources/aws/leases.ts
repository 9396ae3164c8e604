// Leases that let several sync workers (processes, hosts) on one database split the work per
// scope (a state machine): a worker syncs a state machine only while it holds its lease, renews
// it while it works and gives it up when done. A crashed worker's lease expires after the TTL;
// on the crashed worker's own host it is taken over at once (its process is gone).
// Correctness never depends on leases (every execution is checked against the store by ARN before
// it is fetched, and stored idempotently): they only keep workers from doing the same work.
import crypto from "node:crypto";
import os from "node:os";
import { readLease, releaseLease, renewLease, type Store, takeOverLease, tryAcquireLease } from "@/lib/store";
import type { CursorKey } from "./cursor-store";

/** How long a lease lasts without renewal: how long a crashed worker's state machines wait. */
export const LEASE_TTL_MS = 2 * 60_000;
/** How often a held lease is renewed. */
export const LEASE_RENEW_MS = 30_000;

export interface SyncLeases {
  /** Takes the lease when free, expired or already ours; false when another worker holds it. */
  tryAcquire(key: CursorKey): Promise<boolean>;
  /** Extends our lease; false when it is no longer ours. */
  renew(key: CursorKey): Promise<boolean>;
  release(key: CursorKey): Promise<void>;
  /** how often a held lease is renewed (ms), well inside its TTL */
  readonly renewEveryMs: number;
}

/** A worker's name: host, process and a random part (a pid can come back after a restart). */
export function workerId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;
}

/**
 * Whether a lease owner (a `workerId()`) is a process of this host that no longer exists. Only
 * then is its lease taken before it expires: restarting a killed sync need not wait the TTL.
 * Owners on other hosts (or in another PID namespace with a different hostname) wait for expiry.
 */
export function ownerIsGone(owner: string): boolean {
  const parts = owner.split(":");
  if (parts.length < 3) return false;
  const pid = Number(parts[parts.length - 2]);
  const host = parts.slice(0, -2).join(":");
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: it exists, owned by another user.
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Leases in the store's SyncLease table, held as `owner`. */
export function storeLeases(store: Store, options: { owner?: string; ttlMs?: number; renewEveryMs?: number } = {}): SyncLeases & { owner: string } {
  const owner = options.owner ?? workerId();
  const ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  return {
    owner,
    renewEveryMs: options.renewEveryMs ?? Math.min(LEASE_RENEW_MS, Math.floor(ttlMs / 4)),
    async tryAcquire(key) {
      if (await tryAcquireLease(store, key, owner, ttlMs)) return true;
      // Held and not expired: free anyway if its worker was a process of this host that is gone.
      const held = await readLease(store, key);
      return held !== null && ownerIsGone(held.owner) && takeOverLease(store, key, held.owner, owner, ttlMs);
    },
    renew: (key) => renewLease(store, key, owner, ttlMs),
    release: (key) => releaseLease(store, key, owner),
  };
}

export interface HeldLease {
  /** true once a renewal found the lease taken by another worker (ours had expired) */
  readonly lost: boolean;
  /** Stops renewing and gives the lease up. */
  release(): Promise<void>;
}

/** Takes the lease and renews it until released; null when another worker holds it. */
export async function holdLease(leases: SyncLeases, key: CursorKey): Promise<HeldLease | null> {
  if (!(await leases.tryAcquire(key))) return null;
  let lost = false;
  let released = false;
  const timer = setInterval(() => {
    // A renewal that fails (database unreachable for a moment) is tried again next time: the
    // lease lasts several renewal periods.
    leases.renew(key).then((ok) => {
      if (!ok && !released) lost = true;
    }, () => undefined);
  }, leases.renewEveryMs);
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    async release() {
      released = true;
      clearInterval(timer);
      // Not given up (database unreachable)? It expires after its TTL.
      if (!lost) await leases.release(key).catch(() => undefined);
    },
  };
}

/** The error a sync stops a state machine with when its lease was taken over. */
export function leaseLostError(scope: string): Error {
  return Object.assign(new Error(`the lease on ${scope} expired and another worker took it over; stopped`), { name: "LeaseLost" });
}
