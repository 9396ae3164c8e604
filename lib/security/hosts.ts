// DNS rebinding: a page on evil.example can make its host name resolve to 127.0.0.1 and then
// read a local statelens as "same origin". An open server (no STATELENS_AUTH) therefore only
// answers to Host names that cannot be rebound: localhost, IP literals, and STATELENS_ALLOWED_HOSTS.
import net from "node:net";

export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") > 0 ? h.indexOf("]") : undefined);
  const colon = h.lastIndexOf(":");
  return colon >= 0 && h.indexOf(":") === colon ? h.slice(0, colon) : h;
}

export function isRebindSafeHost(hostHeader: string | null, allowed: string | undefined): boolean {
  if (!hostHeader) return true; // HTTP/1.0 without Host: not a browser
  const name = hostName(hostHeader);
  if (name === "localhost" || name.endsWith(".localhost") || net.isIP(name) !== 0) return true;
  const extra = (allowed ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  return extra.some((a) => a === name || (a.startsWith(".") && name.endsWith(a)));
}
