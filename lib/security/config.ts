// STATELENS_AUTH: which access control the server applies. Parsed with zod at the boundary; a
// malformed value is an error at start-up, never a silently open server.
import { z } from "zod";

export type BasicUser = { user: string; hash: PasswordHash };
export type PasswordHash = { kind: "sha256"; hex: string } | { kind: "bcrypt"; text: string };

export type AuthConfig =
  | { mode: "open" }
  | { mode: "token"; token: string }
  | { mode: "basic"; users: BasicUser[] }
  | { mode: "proxy"; header: string };

export class AuthConfigError extends Error {
  constructor(message: string) {
    super(`STATELENS_AUTH: ${message}`);
    this.name = "AuthConfigError";
  }
}

const Sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/);
const Bcrypt = z.string().regex(/^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/);
const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "is not an HTTP header name");

/** `sha256:<hex>` or a bare 64-digit hex digest (sha256 of the password), or a bcrypt hash. */
function parseHash(text: string, user: string): PasswordHash {
  const hex = text.startsWith("sha256:") ? text.slice("sha256:".length) : text;
  if (Sha256Hex.safeParse(hex).success) return { kind: "sha256", hex: hex.toLowerCase() };
  if (Bcrypt.safeParse(text).success) return { kind: "bcrypt", text };
  throw new AuthConfigError(`the hash of user '${user}' is neither a sha256 hex digest nor a bcrypt hash ($2b$...)`);
}

export function parseAuthConfig(value: string | undefined): AuthConfig {
  if (value === undefined || value.trim() === "") return { mode: "open" };
  const colon = value.indexOf(":");
  const scheme = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? "" : value.slice(colon + 1);
  switch (scheme) {
    case "token": {
      // A short token can be guessed; 16 characters of a random token is ~96 bits or more.
      if (rest.length < 16) throw new AuthConfigError("token:<secret> needs a secret of at least 16 characters");
      return { mode: "token", token: rest };
    }
    case "basic": {
      const users = rest.split(",").map((entry) => entry.trim()).filter((e) => e !== "").map((entry) => {
        const sep = entry.indexOf(":");
        if (sep <= 0) throw new AuthConfigError(`basic users are <user>:<hash>, got '${entry.slice(0, 20)}...'`);
        const user = entry.slice(0, sep);
        return { user, hash: parseHash(entry.slice(sep + 1), user) };
      });
      if (!users.length) throw new AuthConfigError("basic: needs at least one <user>:<hash>");
      return { mode: "basic", users };
    }
    case "proxy": {
      const header = HeaderName.safeParse(rest.trim());
      if (!header.success) throw new AuthConfigError(`proxy:<header-name> needs a header name, got '${rest}'`);
      return { mode: "proxy", header: header.data.toLowerCase() };
    }
    default:
      throw new AuthConfigError(`unknown scheme '${scheme}' (expected token:, basic: or proxy:)`);
  }
}

let cached: { source: string | undefined; config: AuthConfig } | null = null;

/** The configuration in the environment (parsed once per distinct value). */
export function authConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const source = env.STATELENS_AUTH;
  if (!cached || cached.source !== source) cached = { source, config: parseAuthConfig(source) };
  return cached.config;
}
