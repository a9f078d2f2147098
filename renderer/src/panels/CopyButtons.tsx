import { useState } from 'react';
import { useWorkbench } from '../store/context';

export interface CopyTexts {
  token: string;
  header: string;
  payload: string;
  authorization: string;
  curl: string;
}

/** The texts the copy buttons put on the clipboard, from the token on screen. */
export function copyTexts(token: string, headerText: string, payloadText: string): CopyTexts {
  return {
    token,
    header: headerText,
    payload: payloadText,
    authorization: `Authorization: Bearer ${token}`,
    // Single-quoted for POSIX shells; a compact JWS has no quote, but a JSON serialization might.
    curl: `curl -H 'Authorization: Bearer ${token.replace(/'/g, `'\\''`)}' https://api.example.com/`,
  };
}

const BUTTONS: ReadonlyArray<readonly [keyof CopyTexts, string]> = [
  ['token', 'Token'],
  ['header', 'Header'],
  ['payload', 'Payload'],
  ['authorization', 'Authorization header'],
  ['curl', 'curl'],
];

/** Copy buttons for the current (decoded) token. Nothing is copied anywhere but the clipboard. */
export function CopyButtons() {
  const token = useWorkbench((s) => s.decoded?.token ?? null);
  const headerText = useWorkbench((s) => s.headerText);
  const payloadText = useWorkbench((s) => s.payloadText);
  const [copied, setCopied] = useState<string | null>(null);

  const copy = async (which: keyof CopyTexts, label: string) => {
    if (token === null) return;
    const text = copyTexts(token, headerText, payloadText)[which];
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`Copied ${label.toLowerCase()}`);
    } catch {
      setCopied('The clipboard refused the copy');
    }
  };

  return (
    <div className="copy-buttons" role="group" aria-label="Copy">
      <span className="copy-label" aria-hidden="true">
        Copy
      </span>
      {BUTTONS.map(([which, label]) => (
        // Disabled rather than removed while the input does not decode: the row keeps its place, so the
        // panels below do not jump (and repaint) on every keystroke that breaks or mends the token.
        <button
          key={which}
          type="button"
          className="button-quiet"
          onClick={() => void copy(which, label)}
          aria-label={`Copy ${label}`}
          disabled={token === null}
          title={token === null ? 'The input does not decode: nothing to copy' : undefined}
        >
          {label}
        </button>
      ))}
      <span className="copy-status" role="status" aria-live="polite">
        {copied}
      </span>
    </div>
  );
}
