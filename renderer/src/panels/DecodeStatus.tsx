import type { TokenErrorInfo } from '../../../shared/core/errors';
import type { DecodedToken } from '../../../shared/core/token';
import { describeLocation } from '../format';
import { useWorkbench } from '../store/context';

const KIND_LABEL: Record<DecodedToken['kind'], string> = {
  jws: 'Signed (JWS)',
  jwe: 'Encrypted (JWE)',
  unsecured: 'Unsecured (alg none)',
};

const SERIALIZATION_LABEL: Record<DecodedToken['serialization'], string> = {
  compact: 'compact serialization',
  'json-flattened': 'flattened JSON serialization',
  'json-general': 'general JSON serialization',
};

/** One line under the paste box: what the token is, or exactly where and why it does not decode. */
export function DecodeStatus() {
  const input = useWorkbench((s) => s.input);
  const decoded = useWorkbench((s) => s.decoded);
  const error = useWorkbench((s) => s.decodeError);
  const hasLastGood = useWorkbench((s) => s.lastGood !== null);

  return (
    // Polite live region: announced after typing pauses, never interrupting (an alert per keystroke would).
    <div id="decode-status" className="decode-status" role="status" aria-live="polite">
      {error ? (
        <DecodeErrorView error={error} input={input} keptLastGood={hasLastGood} />
      ) : decoded ? (
        <DecodeSummary token={decoded} />
      ) : (
        <p className="muted">Paste a token to decode it. Nothing leaves this machine.</p>
      )}
    </div>
  );
}

function DecodeSummary({ token }: { token: DecodedToken }) {
  const alg = typeof token.header.alg === 'string' ? token.header.alg : null;
  // A JWE's alg only wraps the key; enc says how the payload is encrypted.
  const enc = token.kind === 'jwe' && typeof token.header.enc === 'string' ? token.header.enc : null;
  return (
    <>
      <p className="status-line status-ok">
        {KIND_LABEL[token.kind]}
        {alg && <> · {alg}</>}
        {enc && <> · {enc}</>} · {SERIALIZATION_LABEL[token.serialization]}
      </p>
      {token.notes.length > 0 && (
        <ul className="notes">
          {token.notes.map((note, i) => (
            <li key={i}>
              <code>{note.code}</code> {note.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function DecodeErrorView({ error, input, keptLastGood }: { error: TokenErrorInfo; input: string; keptLastGood: boolean }) {
  const where = describeLocation(error);
  return (
    <div className="decode-error">
      <p className="status-line status-error">
        <strong>Cannot decode:</strong> {error.message}
      </p>
      <p className="error-meta">
        <code>{error.code}</code>
        {where && <> · {where}</>}
      </p>
      {error.offset !== null && <ErrorExcerpt input={input} offset={error.offset} length={error.length ?? 1} />}
      {keptLastGood && <p className="muted">The panes show the last token that decoded.</p>}
    </div>
  );
}

const EXCERPT_CONTEXT = 24;

/** The input around the error with the offending characters marked, so the offset is visible. */
function ErrorExcerpt({ input, offset, length }: { input: string; offset: number; length: number }) {
  const start = Math.max(0, offset - EXCERPT_CONTEXT);
  const end = Math.min(input.length, offset + Math.max(length, 1) + EXCERPT_CONTEXT);
  const markEnd = Math.min(input.length, offset + Math.max(length, 1));
  const marked = input.slice(offset, markEnd);
  return (
    <pre className="error-excerpt" aria-label="Where the error is">
      {start > 0 && '…'}
      {input.slice(start, offset)}
      <mark>{marked === '' ? ' ' : marked}</mark>
      {input.slice(markEnd, end)}
      {end < input.length && '…'}
    </pre>
  );
}
