/**
 * Getting public key text out of the page: copy to the clipboard, or download as a file. Only public
 * material passes here (a private key is written by the host itself, never given to the page).
 */

/** Copies text; falls back to a hidden textarea where the async Clipboard API is refused (permissions). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission denied or no focus: try the older way below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    return typeof document.execCommand === 'function' && document.execCommand('copy');
  } finally {
    area.remove();
  }
}

/** Offers text as a file download through a temporary object URL. */
export function downloadText(fileName: string, text: string, mediaType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Files bigger than the contract's key text limit are refused before reading. */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

/** Reads a dropped or chosen key file as text, or says why it cannot be used. */
export async function readKeyFile(file: File): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  if (file.size > MAX_KEY_FILE_BYTES) {
    return { ok: false, message: `${file.name} is ${Math.ceil(file.size / 1024)} KiB; key files must be at most 1024 KiB` };
  }
  if (file.size === 0) return { ok: false, message: `${file.name} is empty` };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: `${file.name} is not text (DER or another binary form?): export it as PEM, JWK or JWKS` };
  }
  return { ok: true, text };
}
