/** Character edits for mutation properties: insert, delete or replace at a position (taken modulo the length). */
export interface Edit {
  kind: 'insert' | 'delete' | 'replace';
  at: number;
  char: string;
}

export function applyEdits(text: string, list: readonly Edit[]): string {
  let out = text;
  for (const e of list) {
    const at = out.length === 0 ? 0 : e.at % (out.length + (e.kind === 'insert' ? 1 : 0));
    if (e.kind === 'insert') out = out.slice(0, at) + e.char + out.slice(at);
    else if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + 1);
    else out = out.slice(0, at) + e.char + out.slice(at + 1);
  }
  return out;
}
