// Cross-site request forgery: a write (POST, PUT, PATCH, DELETE) is refused unless the browser
// says it comes from this origin. Browsers send Sec-Fetch-Site (all current ones) and Origin
// (on every cross-origin request and every same-origin non-GET) and a page cannot forge either;
// clients that send neither (curl, scripts) are not browsers and cannot be driven by a foreign
// page, so they pass. The session cookie is also SameSite=Strict (see docs/security.md).

export const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface RequestOrigin {
  method: string;
  /** Origin header, or null. */
  origin: string | null;
  secFetchSite: string | null;
  /** The origins this server answers as: its own (from Host) plus STATELENS_ORIGINS. */
  allowedOrigins: readonly string[];
}

export type CsrfResult = { ok: true } | { ok: false; reason: string };

export function checkCsrf(req: RequestOrigin): CsrfResult {
  if (!WRITE_METHODS.has(req.method.toUpperCase())) return { ok: true };
  const site = req.secFetchSite?.toLowerCase();
  if (site && site !== "same-origin" && site !== "none") return { ok: false, reason: `cross-site request refused (Sec-Fetch-Site: ${site})` };
  if (req.origin !== null) {
    if (req.origin === "null") return { ok: false, reason: "request from an opaque origin refused" };
    let normalized: string;
    try {
      normalized = new URL(req.origin).origin;
    } catch {
      return { ok: false, reason: "malformed Origin header" };
    }
    if (!req.allowedOrigins.includes(normalized)) return { ok: false, reason: `cross-origin request from ${normalized} refused` };
  }
  return { ok: true };
}

/**
 * The origins a request may come from: the one the browser used to reach us (scheme from
 * X-Forwarded-Proto when a TLS-terminating proxy is in front, host from Host) and any listed in
 * STATELENS_ORIGINS (comma-separated, for proxies that rewrite Host).
 */
export function allowedOrigins(host: string | null, forwardedProto: string | null, requestProtocol: string, extra: string | undefined): string[] {
  const out: string[] = [];
  if (host) {
    const protos = new Set([requestProtocol.replace(/:$/, ""), ...(forwardedProto ? [forwardedProto.split(",")[0].trim()] : [])]);
    for (const proto of protos) {
      try {
        out.push(new URL(`${proto}://${host}`).origin);
      } catch {
        // a malformed Host matches nothing
      }
    }
  }
  for (const o of (extra ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    try {
      out.push(new URL(o).origin);
    } catch {
      // ignored: docs/security.md says the list holds origins like https://statelens.example.com
    }
  }
  return out;
}
