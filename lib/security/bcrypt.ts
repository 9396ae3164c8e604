// bcrypt verification ($2a$, $2b$, $2y$), for STATELENS_AUTH=basic:<user>:<bcrypt hash> as
// htpasswd -B and most password tools produce it. No dependency: Blowfish's initial state is
// the hexadecimal digits of pi, computed once (BigInt, Machin's formula) on first use.
import crypto from "node:crypto";

const WORDS = 18 + 4 * 256;
let initialState: Uint32Array | null = null;

/** The first `words` 32-bit words of pi's fractional part in hexadecimal. */
function piWords(words: number): Uint32Array {
  const hexDigits = words * 8 + 16;
  const guardBits = 64n;
  const scale = 1n << (BigInt(hexDigits * 4) + guardBits);
  const arctanInv = (x: bigint) => {
    let sum = 0n;
    let power = scale / x; // scale / x^(2k+1)
    const x2 = x * x;
    for (let k = 0n; power !== 0n; k++) {
      const term = power / (2n * k + 1n);
      sum += k % 2n === 0n ? term : -term;
      power /= x2;
    }
    return sum;
  };
  const pi = (16n * arctanInv(5n) - 4n * arctanInv(239n)) >> guardBits;
  const hex = pi.toString(16).slice(1); // drop the integer part, 3
  const out = new Uint32Array(words);
  for (let i = 0; i < words; i++) out[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return out;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array; // the four S-boxes, 256 words each
  constructor() {
    initialState ??= piWords(WORDS);
    this.p = initialState.slice(0, 18);
    this.s = initialState.slice(18);
  }
  private f(x: number): number {
    const s = this.s;
    return (((s[x >>> 24] + s[256 + ((x >>> 16) & 255)]) ^ s[512 + ((x >>> 8) & 255)]) + s[768 + (x & 255)]) >>> 0;
  }
  encrypt(lr: Uint32Array, off: number): void {
    let l = lr[off];
    let r = lr[off + 1];
    for (let i = 0; i < 16; i += 2) {
      l ^= this.p[i];
      r ^= this.f(l >>> 0);
      r ^= this.p[i + 1];
      l ^= this.f(r >>> 0);
    }
    lr[off] = (r ^ this.p[17]) >>> 0;
    lr[off + 1] = (l ^ this.p[16]) >>> 0;
  }
  /** Blowfish's key schedule, salted (bcrypt's ExpandKey); `salt` null is the unsalted form. */
  expand(key: Uint8Array, salt: Uint8Array | null): void {
    let kpos = 0;
    const keyWord = () => {
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | key[kpos];
        kpos = (kpos + 1) % key.length;
      }
      return w >>> 0;
    };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i] ^ keyWord()) >>> 0;
    let spos = 0;
    const saltWord = () => {
      if (!salt) return 0;
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | salt[spos];
        spos = (spos + 1) % salt.length;
      }
      return w >>> 0;
    };
    const lr = new Uint32Array(2);
    for (let i = 0; i < 18; i += 2) {
      lr[0] ^= saltWord();
      lr[1] ^= saltWord();
      this.encrypt(lr, 0);
      this.p[i] = lr[0];
      this.p[i + 1] = lr[1];
    }
    for (let i = 0; i < 1024; i += 2) {
      lr[0] ^= saltWord();
      lr[1] ^= saltWord();
      this.encrypt(lr, 0);
      this.s[i] = lr[0];
      this.s[i + 1] = lr[1];
    }
  }
}

const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const STANDARD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const translate = (text: string, from: string, to: string) => Array.from(text, (c) => to[from.indexOf(c)]).join("");

function decode(text: string, bytes: number): Uint8Array {
  return new Uint8Array(Buffer.from(translate(text, BCRYPT_ALPHABET, STANDARD_ALPHABET), "base64").subarray(0, bytes));
}
function encode(bytes: Uint8Array): string {
  return translate(Buffer.from(bytes).toString("base64").replace(/=+$/, ""), STANDARD_ALPHABET, BCRYPT_ALPHABET);
}

/** bcrypt(password, cost, salt): the 31-character hash part. */
export function bcryptHash(password: string, cost: number, salt: Uint8Array): string {
  if (cost < 4 || cost > 31 || salt.length !== 16) throw new Error("bcrypt: cost must be 4-31 and the salt 16 bytes");
  const key = new Uint8Array(Buffer.concat([Buffer.from(password, "utf8"), Buffer.from([0])]).subarray(0, 72));
  const bf = new Blowfish();
  bf.expand(key, salt);
  for (let i = 0, rounds = 2 ** cost; i < rounds; i++) {
    bf.expand(key, null);
    bf.expand(salt, null);
  }
  const text = Buffer.from("OrpheanBeholderScryDoubt", "latin1");
  const words = new Uint32Array(6);
  for (let i = 0; i < 6; i++) words[i] = text.readUInt32BE(i * 4);
  for (let i = 0; i < 64; i++) for (let j = 0; j < 6; j += 2) bf.encrypt(words, j);
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(words[i], i * 4);
  return encode(out.subarray(0, 23));
}

const HASH = /^\$(2[aby])\$(\d{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

/** True when `password` matches the bcrypt hash (compared in constant time). */
export function verifyBcrypt(password: string, hash: string): boolean {
  const m = HASH.exec(hash);
  if (!m) return false;
  const computed = bcryptHash(password, Number(m[2]), decode(m[3], 16));
  return crypto.timingSafeEqual(Buffer.from(computed), Buffer.from(m[4]));
}
