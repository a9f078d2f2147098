/**
 * Hovers on the members of the Header and Payload editors: what a registered parameter or claim means,
 * and for NumericDates the UTC, local and relative time. "Now" is read at hover time from the app's
 * clock (which may be overridden), through the getter the app installs: the same "now" as the verdict.
 */
import type { Monaco } from './load';
import { describeMember } from './claim-docs';
import { HEADER_MODEL_URI, PAYLOAD_MODEL_URI } from './schemas';

let installed = false;
let clock: () => number = () => Math.floor(Date.now() / 1000);

/**
 * The clock hovers describe times against: the moment the Verification panel's claim checks were judged
 * (the store's claimsNow, re-judged every second near a time claim), so a hover and the verdict never
 * disagree about how long ago or how soon.
 */
export function setHoverClock(now: () => number): void {
  clock = now;
}

export function installClaimHovers(monaco: Monaco): void {
  if (installed) return;
  installed = true;
  monaco.languages.registerHoverProvider('json', {
    provideHover(model, position) {
      const uri = model.uri.toString();
      const section = uri === HEADER_MODEL_URI ? 'header' : uri === PAYLOAD_MODEL_URI ? 'payload' : null;
      if (!section) return null;
      const line = model.getLineContent(position.lineNumber);
      // A member name: a quoted string followed by a colon, under the pointer.
      const memberPattern = /"((?:[^"\\]|\\.)*)"\s*:/g;
      for (let m = memberPattern.exec(line); m; m = memberPattern.exec(line)) {
        const startColumn = m.index + 1;
        const endColumn = startColumn + m[1]!.length + 2;
        if (position.column < startColumn || position.column > endColumn) continue;
        let name: string;
        try {
          name = JSON.parse(`"${m[1]!}"`) as string;
        } catch {
          return null; // an invalid escape while typing
        }
        const text = describeMember(section, name, memberValue(model.getValue(), name), clock());
        if (!text) return null;
        return {
          range: new monaco.Range(position.lineNumber, startColumn, position.lineNumber, endColumn),
          contents: [{ value: text }],
        };
      }
      return null;
    },
  });
}

/** The top-level member's value when the text is a JSON object, else undefined (mid-edit). */
function memberValue(text: string, name: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return (value as Record<string, unknown>)[name];
  } catch {
    // Broken JSON while typing: the description still shows, without the time.
  }
  return undefined;
}
