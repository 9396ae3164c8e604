// The Content-Security-Policy of every response. Next.js's production pages carry inline
// scripts (the RSC payload, the bootstrap) that 'self' alone would block. Dynamic pages get a
// per-request nonce (Next reads it from the request's CSP header and stamps its scripts);
// prerendered pages cannot, so their inline scripts are allowed by hash (static-pages.ts).
// No 'strict-dynamic': it would disable 'self', which the prerendered pages' chunks need.
export interface CspOptions {
  nonce: string;
  dev: boolean;
  /** sha256-... sources for inline scripts of statically prerendered pages (see proxy.ts). */
  scriptHashes?: readonly string[];
}

export function contentSecurityPolicy({ nonce, dev, scriptHashes = [] }: CspOptions): string {
  const script = ["'self'", `'nonce-${nonce}'`, ...scriptHashes.map((h) => `'${h}'`), ...(dev ? ["'unsafe-eval'"] : [])];
  return [
    "default-src 'self'",
    `script-src ${script.join(" ")}`,
    // React and the chart library set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
