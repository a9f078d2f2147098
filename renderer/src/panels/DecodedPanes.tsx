import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { describeExpiry, describeIssuedAt, describeNotBefore, formatNumericDate, isNumericDate } from '../../../shared/core/time';
import type { DecodedToken } from '../../../shared/core/token';
import { hexDump, prettyJson } from '../format';
import { useWorkbench, useWorkbenchStore } from '../store/context';

/** Header, Payload and Signature of the last token that decoded (the current one when the input is fine). */
export function DecodedPanes() {
  const token = useWorkbench((s) => s.lastGood);
  // The panes keep the last good decode while the input is broken; say so on each of them.
  const stale = useWorkbench((s) => s.decodeError !== null && s.lastGood !== null);
  return (
    <div className="decoded">
      <HeaderPane token={token} stale={stale} />
      <PayloadPane token={token} stale={stale} />
      <SignaturePane token={token} stale={stale} />
    </div>
  );
}

interface PaneProps {
  token: DecodedToken | null;
  stale: boolean;
}

function Pane({ id, title, stale, children }: { id: string; title: string; stale: boolean; children: ReactNode }) {
  return (
    <section className={`panel pane pane-${id}`} aria-labelledby={`${id}-title`} data-stale={stale || undefined}>
      <div className="panel-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {stale && <span className="badge badge-stale">last valid decode</span>}
      </div>
      {children}
    </section>
  );
}

function HeaderPane({ token, stale }: PaneProps) {
  const text = useMemo(() => (token ? prettyJson(token.header) : ''), [token]);
  return (
    <Pane id="header" title="Header" stale={stale}>
      {token ? <pre className="code json">{text}</pre> : <p className="muted empty">No token yet.</p>}
    </Pane>
  );
}

function PayloadPane({ token, stale }: PaneProps) {
  return (
    <Pane id="payload" title="Payload" stale={stale}>
      {token ? <PayloadBody token={token} /> : <p className="muted empty">No token yet.</p>}
    </Pane>
  );
}

function PayloadBody({ token }: { token: DecodedToken }) {
  const text = useMemo(() => {
    if (token.kind === 'jwe') return null;
    if (token.payloadIsJson) return prettyJson(token.payload);
    return token.payloadText ?? hexDump(token.payloadBytes);
  }, [token]);

  if (token.kind === 'jwe') {
    return (
      <p className="muted">
        The payload of a JWE is encrypted; it cannot be read without the recipient’s key. Its protected header is shown
        above.
      </p>
    );
  }
  return (
    <>
      {!token.payloadIsJson && (
        <p className="pane-note">
          {token.payloadText === null
            ? `Not UTF-8 text: ${token.payloadBytes.length} bytes, shown as hex.`
            : 'Not JSON: shown as text (a JWS payload may be any bytes).'}
        </p>
      )}
      <pre className={token.payloadIsJson ? 'code json' : 'code'}>{text}</pre>
      {token.payloadIsJson && <TimeClaims payload={token.payload} />}
    </>
  );
}

const TIME_CLAIMS = [
  ['exp', 'Expires', describeExpiry],
  ['nbf', 'Not before', describeNotBefore],
  ['iat', 'Issued', describeIssuedAt],
] as const;

/** exp / nbf / iat as dates and relative to the clock the settings choose. */
function TimeClaims({ payload }: { payload: unknown }) {
  const store = useWorkbenchStore();
  // Subscribed so an overridden clock re-renders; the value itself is read through effectiveNow.
  useWorkbench((s) => s.nowOverride);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const claims = payload as Record<string, unknown>;
  const now = store.getState().effectiveNow();
  const rows = TIME_CLAIMS.flatMap(([claim, label, describe]) => {
    const value = claims[claim];
    if (!isNumericDate(value)) return [];
    const iso = formatNumericDate(value);
    if (iso === null) return [];
    return [{ claim, label, iso, relative: describe(value, now) }];
  });
  if (rows.length === 0) return null;
  return (
    <dl className="time-claims">
      {rows.map((row) => (
        <div key={row.claim}>
          <dt>
            {row.label} <code>{row.claim}</code>
          </dt>
          <dd>
            <time dateTime={row.iso}>{row.iso.replace('T', ' ')}</time> · {row.relative}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function SignaturePane({ token, stale }: PaneProps) {
  return (
    <Pane id="signature" title="Signature" stale={stale}>
      {token ? <SignatureBody token={token} /> : <p className="muted empty">No token yet.</p>}
    </Pane>
  );
}

function SignatureBody({ token }: { token: DecodedToken }) {
  const alg = typeof token.header.alg === 'string' ? token.header.alg : '(none given)';
  if (token.kind === 'jwe') {
    const enc = typeof token.header.enc === 'string' ? token.header.enc : '(none given)';
    return (
      <dl className="facts">
        <dt>Key management</dt>
        <dd>
          <code>{alg}</code>
        </dd>
        <dt>Content encryption</dt>
        <dd>
          <code>{enc}</code>
        </dd>
      </dl>
    );
  }
  return (
    <dl className="facts">
      <dt>Algorithm</dt>
      <dd>
        <code>{alg}</code>
      </dd>
      {token.signatures.length > 1 && (
        <>
          <dt>Signatures</dt>
          <dd>{token.signatures.length} (the first is shown)</dd>
        </>
      )}
      <dt>Value</dt>
      <dd>
        {token.signature === '' ? (
          <span className="muted">empty: this token is not signed</span>
        ) : (
          <code className="signature-value">{token.signature}</code>
        )}
      </dd>
    </dl>
  );
}
