// POST /login/logout: forgets the session cookie.
import { SESSION_COOKIE } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export async function POST() {
  return new Response(null, { status: 303, headers: { Location: "/login", "Cache-Control": "no-store", "Set-Cookie": `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict` } });
}
