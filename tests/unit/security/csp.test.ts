import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { contentSecurityPolicy, newNonce } from "@/lib/security/csp";
import { inlineScriptHashes, prerenderedScriptHashes } from "@/lib/security/static-pages";

const sha = (s: string) => `sha256-${crypto.createHash("sha256").update(s).digest("base64")}`;

test("the production policy allows scripts only from our origin, the nonce and listed hashes", () => {
  const csp = contentSecurityPolicy({ nonce: "abc", dev: false, scriptHashes: ["sha256-x"] });
  expect(csp).toContain("script-src 'self' 'nonce-abc' 'sha256-x';");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
});

test("development adds unsafe-eval, which React's dev build needs", () => {
  expect(contentSecurityPolicy({ nonce: "abc", dev: true })).toContain("'unsafe-eval'");
});

test("nonces are fresh and unguessable", () => {
  const a = newNonce();
  expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(newNonce()).not.toBe(a);
});

test("hashes every inline script of a prerendered page, not external ones", () => {
  const html = `<script src="/a.js"></script><script>one()</script><script id="x">two()</script><script></script>`;
  expect(inlineScriptHashes(html)).toEqual([sha("one()"), sha("two()")]);
});

test("reads the hashes of a build's prerendered pages", () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-csp-"));
  try {
    fs.mkdirSync(path.join(dist, "server", "app", "upload"), { recursive: true });
    fs.writeFileSync(path.join(dist, "BUILD_ID"), "b1");
    fs.writeFileSync(path.join(dist, "server", "app", "upload.html"), "<script>a()</script>");
    fs.writeFileSync(path.join(dist, "server", "app", "upload", "x.html"), "<script>b()</script>");
    expect(prerenderedScriptHashes(dist, 0)).toEqual([sha("a()"), sha("b()")].sort());
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
  }
});
