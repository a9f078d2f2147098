/** ANSI styling for readable output; identity functions when colour is off. */
export interface Style {
  ok(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

/** Colour only on a terminal, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function createStyle(isTTY: boolean | undefined, env: Record<string, string | undefined>): Style {
  const colour = isTTY === true && !env.NO_COLOR;
  if (!colour) return { ok: plain, bad: plain, warn: plain, dim: plain, bold: plain };
  return { ok: wrap(32, 39), bad: wrap(31, 39), warn: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}
