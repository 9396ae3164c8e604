import { describe, expect, test } from "vitest";
import { allowedOrigins, checkCsrf } from "@/lib/security/csrf";
import { isRebindSafeHost } from "@/lib/security/hosts";

const own = allowedOrigins("127.0.0.1:3000", null, "http:", undefined);
const post = (origin: string | null, secFetchSite: string | null = null) => checkCsrf({ method: "POST", origin, secFetchSite, allowedOrigins: own });

describe("CSRF", () => {
  test("a same-origin browser write passes", () => {
    expect(post("http://127.0.0.1:3000", "same-origin").ok).toBe(true);
  });
  test("a cross-origin write is refused by Origin or by Sec-Fetch-Site", () => {
    expect(post("https://evil.example").ok).toBe(false);
    expect(post(null, "cross-site").ok).toBe(false);
    expect(post(null, "same-site").ok).toBe(false);
    expect(post("null").ok).toBe(false);
  });
  test("a non-browser client without Origin passes (authentication still applies)", () => {
    expect(post(null).ok).toBe(true);
  });
  test("reads are never refused for their origin", () => {
    expect(checkCsrf({ method: "GET", origin: "https://evil.example", secFetchSite: "cross-site", allowedOrigins: own }).ok).toBe(true);
  });
  test("STATELENS_ORIGINS and X-Forwarded-Proto add origins", () => {
    expect(allowedOrigins("lens.example.com", "https", "http:", "https://other.example.com/")).toEqual(["http://lens.example.com", "https://lens.example.com", "https://other.example.com"]);
  });
});

describe("DNS rebinding (open server)", () => {
  test("loopback names and IP literals are safe", () => {
    for (const h of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "app.localhost", "10.0.0.5"]) expect(isRebindSafeHost(h, undefined)).toBe(true);
  });
  test("other names are refused unless listed", () => {
    expect(isRebindSafeHost("evil.example:3000", undefined)).toBe(false);
    expect(isRebindSafeHost("lens.corp:3000", "lens.corp")).toBe(true);
  });
});
