// Who is asking: checks a request's credentials against STATELENS_AUTH. Pure over headers and
// cookies, so proxy.ts (every request) and tests call the same function.
import crypto from "node:crypto";
import { verifyBcrypt } from "./bcrypt";
import type { AuthConfig, PasswordHash } from "./config";
import { constantTimeEqual, constantTimeEqualHex } from "./constant-time";
import { verifySession } from "./session";

/** Set by proxy.ts on requests it let through: the authenticated user (basic or proxy mode). */
export const USER_HEADER = "x-statelens-user";

export type AuthResult =
  | { ok: true; user: string | null; via: "open" | "bearer" | "cookie" | "basic" | "proxy" }
  | { ok: false; status: 401; reason: string; challenge?: string };

export interface Credentials {
  authorization: string | null;
  sessionCookie: string | undefined;
  header(name: string): string | null;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

// bcrypt is slow on purpose (~50-100 ms at cost 10); remember recent successes per credential
// digest so a browser's every request does not pay it. Failures are never cached.
const bcryptVerified = new Map<string, number>();
const BCRYPT_CACHE_MS = 5 * 60_000;

function passwordMatches(password: string, hash: PasswordHash): boolean {
  if (hash.kind === "sha256") return constantTimeEqualHex(crypto.createHash("sha256").update(password, "utf8").digest("hex"), hash.hex);
  const key = crypto.createHash("sha256").update(`${hash.text}\0${password}`).digest("hex");
  const seen = bcryptVerified.get(key);
  if (seen !== undefined && seen > Date.now()) return true;
  const ok = verifyBcrypt(password, hash.text);
  if (ok) {
    if (bcryptVerified.size > 1000) bcryptVerified.clear();
    bcryptVerified.set(key, Date.now() + BCRYPT_CACHE_MS);
  }
  return ok;
}

function decodeBasic(authorization: string | null): { user: string; password: string } | null {
  const m = authorization ? BASIC.exec(authorization) : null;
  if (!m) return null;
  const text = Buffer.from(m[1], "base64").toString("utf8");
  const sep = text.indexOf(":");
  return sep < 0 ? null : { user: text.slice(0, sep), password: text.slice(sep + 1) };
}

export function authenticate(config: AuthConfig, creds: Credentials): AuthResult {
  switch (config.mode) {
    case "open":
      return { ok: true, user: null, via: "open" };
    case "token": {
      const bearer = creds.authorization ? BEARER.exec(creds.authorization) : null;
      if (bearer) {
        return constantTimeEqual(bearer[1], config.token)
          ? { ok: true, user: null, via: "bearer" }
          : { ok: false, status: 401, reason: "the bearer token is wrong", challenge: 'Bearer realm="statelens", error="invalid_token"' };
      }
      if (verifySession(config.token, creds.sessionCookie)) return { ok: true, user: null, via: "cookie" };
      return { ok: false, status: 401, reason: creds.sessionCookie ? "the session has expired or is not valid; sign in again" : "sign in or send Authorization: Bearer <token>", challenge: 'Bearer realm="statelens"' };
    }
    case "basic": {
      const given = decodeBasic(creds.authorization);
      const challenge = 'Basic realm="statelens", charset="UTF-8"';
      if (!given) return { ok: false, status: 401, reason: "basic authentication required", challenge };
      // Check every user so the time taken does not say which user names exist.
      let matched: string | null = null;
      for (const u of config.users) {
        const sameUser = constantTimeEqual(given.user, u.user);
        if (sameUser && passwordMatches(given.password, u.hash)) matched = u.user;
      }
      return matched !== null ? { ok: true, user: matched, via: "basic" } : { ok: false, status: 401, reason: "wrong user name or password", challenge };
    }
    case "proxy": {
      const identity = creds.header(config.header)?.trim();
      return identity ? { ok: true, user: identity, via: "proxy" } : { ok: false, status: 401, reason: `no ${config.header} header from the authenticating proxy` };
    }
  }
}
