// POST /login/session: checks the token from the sign-in form and sets the session cookie
// (HttpOnly, SameSite=Strict). proxy.ts has already refused cross-origin posts.
import { z } from "zod";
import { authConfig } from "@/lib/security/config";
import { constantTimeEqual } from "@/lib/security/constant-time";
import { issueSession, SESSION_COOKIE } from "@/lib/security/session";
import { safeNextPath } from "../safe-next";

export const dynamic = "force-dynamic";

const SignIn = z.object({ token: z.string().max(4096), next: z.string().max(2048).optional() });

function seeOther(location: string, cookie?: string): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
  if (cookie) headers.set("Set-Cookie", cookie);
  return new Response(null, { status: 303, headers });
}

export async function POST(req: Request) {
  const config = authConfig();
  if (config.mode !== "token") return Response.json({ error: "sign-in by token is not enabled (STATELENS_AUTH is not token:...)" }, { status: 404 });
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return Response.json({ error: "expected a form with a `token` field" }, { status: 400 });
  }
  const parsed = SignIn.safeParse({ token: form.get("token") ?? undefined, next: form.get("next") ?? undefined });
  const next = safeNextPath(parsed.success ? parsed.data.next : undefined);
  if (!parsed.success || !constantTimeEqual(parsed.data.token, config.token)) {
    return seeOther(`/login?error=1&next=${encodeURIComponent(next)}`);
  }
  const session = issueSession(config.token);
  const secure = new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
  return seeOther(next, `${SESSION_COOKIE}=${session.value}; Path=/; Max-Age=${session.maxAge}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`);
}
