// The size gate in front of JSON rendering: small payloads are pretty-printed in full, large ones
// get a preview and a download link, so a 256 KB payload never freezes the page.
export const JSON_RENDER_LIMIT = 64 * 1024;
export const JSON_PREVIEW_CHARS = 4 * 1024;

export interface GatedJson {
  /** Bytes (UTF-16 code units) of the original text. */
  size: number;
  large: boolean;
  /** Pretty-printed text (whole when small, the first JSON_PREVIEW_CHARS when large). */
  text: string;
  isJson: boolean;
}

export function gateJson(raw: string | null | undefined, limit = JSON_RENDER_LIMIT): GatedJson | null {
  if (raw === null || raw === undefined) return null;
  if (raw.length > limit) return { size: raw.length, large: true, text: raw.slice(0, JSON_PREVIEW_CHARS), isJson: false };
  try {
    return { size: raw.length, large: false, text: JSON.stringify(JSON.parse(raw), null, 2), isJson: true };
  } catch {
    return { size: raw.length, large: false, text: raw, isJson: false };
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
