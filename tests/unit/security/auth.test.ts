import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import { authenticate, type Credentials } from "@/lib/security/auth";
import { verifyBcrypt } from "@/lib/security/bcrypt";
import { AuthConfigError, parseAuthConfig } from "@/lib/security/config";
import { issueSession, verifySession } from "@/lib/security/session";

const TOKEN = "0123456789abcdef-secret";
const sha = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const creds = (c: Partial<Credentials> & { headers?: Record<string, string> } = {}): Credentials => ({
  authorization: c.authorization ?? null,
  sessionCookie: c.sessionCookie,
  header: (name) => c.headers?.[name] ?? null,
});
const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("STATELENS_AUTH parsing", () => {
  test("unset or empty means open", () => {
    expect(parseAuthConfig(undefined)).toEqual({ mode: "open" });
    expect(parseAuthConfig(" ")).toEqual({ mode: "open" });
  });
  test("reads each scheme", () => {
    expect(parseAuthConfig(`token:${TOKEN}`)).toEqual({ mode: "token", token: TOKEN });
    expect(parseAuthConfig(`basic:ann:${sha("pw")},bob:sha256:${sha("x")}`)).toMatchObject({ mode: "basic", users: [{ user: "ann" }, { user: "bob" }] });
    expect(parseAuthConfig("proxy:X-Forwarded-User")).toEqual({ mode: "proxy", header: "x-forwarded-user" });
  });
  test("refuses what it cannot read instead of falling back to open", () => {
    expect(() => parseAuthConfig("token:short")).toThrow(AuthConfigError);
    expect(() => parseAuthConfig("basic:ann:plaintext")).toThrow(/neither a sha256/);
    expect(() => parseAuthConfig("proxy:")).toThrow(AuthConfigError);
    expect(() => parseAuthConfig("ldap:x")).toThrow(/unknown scheme/);
  });
});

describe("authenticate", () => {
  const token = parseAuthConfig(`token:${TOKEN}`);
  test("token mode accepts the bearer token and a signed session cookie", () => {
    expect(authenticate(token, creds({ authorization: `Bearer ${TOKEN}` })).ok).toBe(true);
    expect(authenticate(token, creds({ sessionCookie: issueSession(TOKEN).value })).ok).toBe(true);
  });
  test("token mode refuses a wrong token, a forged cookie and nothing at all", () => {
    expect(authenticate(token, creds({ authorization: `Bearer ${TOKEN}x` }))).toMatchObject({ ok: false, status: 401 });
    expect(authenticate(token, creds({ sessionCookie: issueSession("another-token-of-16").value })).ok).toBe(false);
    expect(authenticate(token, creds({ sessionCookie: TOKEN })).ok).toBe(false);
    expect(authenticate(token, creds()).ok).toBe(false);
  });
  test("basic mode checks user and password against a sha256 hash", () => {
    const config = parseAuthConfig(`basic:ann:${sha("pw1")}`);
    expect(authenticate(config, creds({ authorization: basicHeader("ann", "pw1") }))).toMatchObject({ ok: true, user: "ann" });
    expect(authenticate(config, creds({ authorization: basicHeader("ann", "pw2") })).ok).toBe(false);
    expect(authenticate(config, creds({ authorization: basicHeader("bob", "pw1") })).ok).toBe(false);
    expect(authenticate(config, creds({ authorization: `Bearer ${TOKEN}` })).ok).toBe(false);
  });
  test("proxy mode trusts the configured identity header only", () => {
    const config = parseAuthConfig("proxy:X-Auth-User");
    expect(authenticate(config, creds({ headers: { "x-auth-user": "ann@example.com" } }))).toMatchObject({ ok: true, user: "ann@example.com" });
    expect(authenticate(config, creds({ headers: { "x-user": "ann" } })).ok).toBe(false);
  });
});

describe("bcrypt", () => {
  test("matches the OpenBSD test vectors", () => {
    expect(verifyBcrypt("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")).toBe(true);
    expect(verifyBcrypt("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK")).toBe(true);
    expect(verifyBcrypt("", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")).toBe(true);
  });
  test("refuses a wrong password", () => {
    expect(verifyBcrypt("U*V", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")).toBe(false);
  });
  test("a basic user with a bcrypt hash signs in", () => {
    const config = parseAuthConfig("basic:ann:$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW");
    expect(authenticate(config, creds({ authorization: basicHeader("ann", "U*U") }))).toMatchObject({ ok: true, user: "ann" });
    expect(authenticate(config, creds({ authorization: basicHeader("ann", "U*V") })).ok).toBe(false);
  });
});

describe("session cookie", () => {
  test("expires", () => {
    const s = issueSession(TOKEN, 0);
    expect(verifySession(TOKEN, s.value, 1000)).toBe(true);
    expect(verifySession(TOKEN, s.value, (s.maxAge + 1) * 1000)).toBe(false);
  });
  test("cannot be extended by editing its expiry", () => {
    const [, mac] = issueSession(TOKEN, 0).value.split(".");
    expect(verifySession(TOKEN, `99999999999.${mac}`, 1000)).toBe(false);
  });
});
