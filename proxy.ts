// Every request passes here first (Next.js 16 "proxy", formerly middleware; Node.js runtime):
// access control (STATELENS_AUTH), CSRF and DNS-rebinding defence, and the Content-Security-Policy
// with a per-request nonce. The rules live in lib/security; this file wires them to Next.
import { type NextRequest, NextResponse } from "next/server";
import { authenticate, USER_HEADER } from "@/lib/security/auth";
import { authConfig } from "@/lib/security/config";
import { contentSecurityPolicy, newNonce } from "@/lib/security/csp";
import { allowedOrigins, checkCsrf } from "@/lib/security/csrf";
import { isRebindSafeHost } from "@/lib/security/hosts";
import { SESSION_COOKIE } from "@/lib/security/session";
import { prerenderedScriptHashes } from "@/lib/security/static-pages";

/** Reachable without credentials: the sign-in form and its handler (which checks the token). */
const PUBLIC_PATHS = new Set(["/login", "/login/session"]);

function refuse(req: NextRequest, status: 401 | 403, reason: string, csp: string, challenge?: string): NextResponse {
  const headers = new Headers({ "Content-Security-Policy": csp, "Cache-Control": "no-store" });
  if (challenge) headers.set("WWW-Authenticate", challenge);
  const path = req.nextUrl.pathname;
  const wantsHtml = !path.startsWith("/api/") && (req.headers.get("accept") ?? "").includes("text/html");
  if (!wantsHtml) return NextResponse.json({ error: reason }, { status, headers });
  headers.set("Content-Type", "text/html; charset=utf-8");
  const login = status === 401 && authConfig().mode === "token" ? `<p><a href="/login?next=${encodeURIComponent(path + req.nextUrl.search)}">Sign in</a></p>` : "";
  const body = `<!doctype html><title>statelens: ${status === 401 ? "sign in required" : "refused"}</title><h1>${status === 401 ? "Sign in required" : "Refused"}</h1><p>${reason.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p>${login}`;
  return new NextResponse(body, { status, headers });
}

export function proxy(req: NextRequest): NextResponse {
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === "development", scriptHashes: prerenderedScriptHashes() });
  let config;
  try {
    config = authConfig();
  } catch (err) {
    // A broken STATELENS_AUTH must not leave the server open: refuse everything and say why.
    return refuse(req, 403, `server misconfigured: ${(err as Error).message}`, csp);
  }
  const host = req.headers.get("host");
  if (config.mode === "open" && !isRebindSafeHost(host, process.env.STATELENS_ALLOWED_HOSTS)) {
    return refuse(req, 403, `host ${JSON.stringify(host)} is not allowed (add it to STATELENS_ALLOWED_HOSTS, or set STATELENS_AUTH)`, csp);
  }
  const csrf = checkCsrf({
    method: req.method,
    origin: req.headers.get("origin"),
    secFetchSite: req.headers.get("sec-fetch-site"),
    allowedOrigins: allowedOrigins(host, req.headers.get("x-forwarded-proto"), req.nextUrl.protocol, process.env.STATELENS_ORIGINS),
  });
  if (!csrf.ok) return refuse(req, 403, csrf.reason, csp);

  let user: string | null = null;
  if (config.mode !== "open" && !PUBLIC_PATHS.has(req.nextUrl.pathname)) {
    const auth = authenticate(config, {
      authorization: req.headers.get("authorization"),
      sessionCookie: req.cookies.get(SESSION_COOKIE)?.value,
      header: (name) => req.headers.get(name),
    });
    if (!auth.ok) {
      // A link followed from another site (chat, e-mail) arrives without the SameSite=Strict
      // cookie. Reloading from our own page makes the request same-site, so the cookie comes
      // along; a browser without one gets the normal refusal on the reload (no loop).
      if (config.mode === "token" && req.method === "GET" && req.headers.get("sec-fetch-site") === "cross-site" && req.headers.get("sec-fetch-mode") === "navigate") {
        return new NextResponse('<!doctype html><meta http-equiv="refresh" content="0"><title>statelens</title>', { status: 401, headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp, "Cache-Control": "no-store" } });
      }
      return refuse(req, 401, auth.reason, csp, auth.challenge);
    }
    user = auth.user;
  }

  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp); // Next takes the nonce from here
  requestHeaders.delete(USER_HEADER); // only this proxy may say who the user is
  if (user !== null) requestHeaders.set(USER_HEADER, user);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("Content-Security-Policy", csp);
  if (config.mode !== "open") res.headers.set("Cache-Control", "private, no-store");
  return res;
}

export const config = {
  // Everything but build assets (fingerprinted JS/CSS, no data), which the sign-in page needs.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
