// Secrets are compared in constant time: both sides are hashed first, so neither the length
// nor the first differing byte of the secret shows in the response time.
import crypto from "node:crypto";

const digest = (text: string) => crypto.createHash("sha256").update(text, "utf8").digest();

export function constantTimeEqual(a: string, b: string): boolean {
  return crypto.timingSafeEqual(digest(a), digest(b));
}

export function constantTimeEqualHex(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, "hex");
  const b = Buffer.from(bHex, "hex");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
