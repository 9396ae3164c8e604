// The session cookie the /login form sets in token mode: `<expiry>.<HMAC(expiry)>` keyed by the
// token, so the token itself never sits in the browser, changing the token logs every session
// out, and nothing is stored server side.
import crypto from "node:crypto";
import { constantTimeEqual } from "./constant-time";

export const SESSION_COOKIE = "statelens_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

function sign(token: string, expiry: number): string {
  return crypto.createHmac("sha256", `statelens-session\0${token}`).update(String(expiry)).digest("base64url");
}

export function issueSession(token: string, now = Date.now()): { value: string; maxAge: number } {
  const expiry = Math.floor(now / 1000) + SESSION_TTL_SECONDS;
  return { value: `${expiry}.${sign(token, expiry)}`, maxAge: SESSION_TTL_SECONDS };
}

export function verifySession(token: string, value: string | undefined, now = Date.now()): boolean {
  if (!value) return false;
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return false;
  const expiry = Number(m[1]);
  const valid = constantTimeEqual(m[2], sign(token, expiry));
  return valid && expiry * 1000 > now;
}
