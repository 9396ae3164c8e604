// Opaque pagination tokens like AWS's: they remember where a page ended, are bound to the
// request's other arguments, and expire (AWS: after 24 hours -> 400 InvalidToken).
import crypto from "node:crypto";
import { AwsApiError } from "./errors";

const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

interface TokenBody<P> {
  /** the position after the last item returned */
  p: P;
  /** hash of the request arguments the token belongs to */
  a: string;
  /** expiry, epoch ms */
  e: number;
}

function argsHash(args: unknown): string {
  return crypto.createHash("sha256").update(JSON.stringify(args)).digest("hex").slice(0, 16);
}

export function encodeToken<P>(position: P, args: unknown, now = Date.now()): string {
  const body: TokenBody<P> = { p: position, a: argsHash(args), e: now + TOKEN_TTL_MS };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

/** The position a token stands for; InvalidToken when it is malformed, for other arguments, or expired. */
export function decodeToken<P>(token: unknown, args: unknown, now = Date.now()): P {
  if (typeof token !== "string" || token === "") throw new AwsApiError("InvalidToken", "Invalid token");
  let body: TokenBody<P>;
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as TokenBody<P>;
  } catch {
    throw new AwsApiError("InvalidToken", "Invalid token");
  }
  if (typeof body !== "object" || body === null || body.a !== argsHash(args)) throw new AwsApiError("InvalidToken", "Invalid token: the arguments changed since the token was issued");
  if (typeof body.e !== "number" || body.e < now) throw new AwsApiError("InvalidToken", "Invalid token: the token has expired");
  return body.p;
}

/** maxResults as AWS reads it: 0 or absent = the default, above the maximum = the maximum. */
export function pageSize(maxResults: unknown, defaultSize = 100, max = 1000): number {
  if (maxResults === undefined || maxResults === null || maxResults === 0) return defaultSize;
  if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 0) throw new AwsApiError("ValidationException", `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  return Math.min(maxResults, max);
}
