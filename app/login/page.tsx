// Sign in with the shared token (STATELENS_AUTH=token:...). A plain HTML form posting to
// /login/session, so it works before any script loads; the handler sets the session cookie.
import { authConfig } from "@/lib/security/config";
import { safeNextPath } from "./safe-next";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : undefined);
  const failed = params.error === "1";
  let mode: string;
  try {
    mode = authConfig().mode;
  } catch {
    mode = "misconfigured";
  }
  return (
    <div className="mx-auto mt-16 max-w-sm rounded border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="mb-4 text-lg font-semibold">Sign in to statelens</h1>
      {mode === "token" ? (
        <form method="post" action="/login/session" className="flex flex-col gap-3" data-testid="login-form">
          <input type="hidden" name="next" value={next} />
          <label className="flex flex-col gap-1 text-sm">
            Access token
            <input name="token" type="password" autoComplete="current-password" required autoFocus className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-950" />
          </label>
          {failed && <p className="text-sm text-red-600" data-testid="login-error">That token is not valid.</p>}
          <button type="submit" className="rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white">Sign in</button>
        </form>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="login-not-needed">
          {mode === "open" && "This server does not require signing in."}
          {mode === "basic" && "This server uses HTTP basic authentication: your browser asks for a user name and password."}
          {mode === "proxy" && "Sign-in is handled by the authenticating proxy in front of this server."}
          {mode === "misconfigured" && "STATELENS_AUTH is not valid; see the server log."}
        </p>
      )}
    </div>
  );
}
