// Our own backoff around SDK calls, for when the SDK's retries (and its retry quota) are spent:
// throttling, 5xx, dropped connections and truncated responses are retried with full-jitter
// exponential delays; errors that say the request itself is wrong are not.

export interface BackoffOptions {
  /** attempts in total, default 6 */
  attempts?: number;
  /** first delay bound in ms, default 250 */
  baseMs?: number;
  /** delay cap in ms, default 20,000 */
  capMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** How often an expired nextToken (InvalidToken) may restart one listing or history before it counts as a failure. */
export const MAX_TOKEN_RESTARTS = 10;

const THROTTLING = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException", "SlowDown", "RequestThrottled", "RequestThrottledException"]);

/** Whether an error from an SDK call is worth retrying: throttled, a server fault, or no answer at all. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $fault?: string; $retryable?: unknown };
  if (e.name === "AbortError") return false; // stopped on purpose
  if (e.name && THROTTLING.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status === 429 || status >= 500;
  if (e.$fault === "client") return false;
  // No HTTP status: the connection failed or the body was cut (ECONNRESET, "aborted", JSON SyntaxError, timeouts).
  return true;
}

export function isThrottling(error: unknown): boolean {
  return typeof error === "object" && error !== null && THROTTLING.has((error as { name?: string }).name ?? "");
}

export async function withBackoff<T>(call: () => Promise<T>, options: BackoffOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseMs ?? 250;
  const cap = options.capMs ?? 20_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      const delay = Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
