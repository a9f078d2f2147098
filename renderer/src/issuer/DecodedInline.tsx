import { useMemo, useState } from 'react';
import { decodeToken } from '../../../shared/core/decode';
import { useWorkbench } from '../store/context';
import { announceOpenToken } from './open-token';

const TIME_CLAIMS = ['iat', 'nbf', 'exp', 'auth_time'];

function describeTimes(payload: unknown): string[] {
  if (typeof payload !== 'object' || payload === null) return [];
  const out: string[] = [];
  for (const claim of TIME_CLAIMS) {
    const value = (payload as Record<string, unknown>)[claim];
    if (typeof value === 'number') out.push(`${claim} ${new Date(value * 1000).toISOString().replace('.000Z', 'Z')}`);
  }
  return out;
}

/** A token decoded in place (header, payload, time claims), with a button that opens it in the debugger. */
export function DecodedInline({ label, token }: { label: string; token: string }) {
  const openIssuerToken = useWorkbench((s) => s.openIssuerToken);
  const decoded = useMemo(() => decodeToken(token), [token]);
  const [opening, setOpening] = useState(false);
  // With the issuer's JWKS and virtual time, not whatever key and clock the debugger had before.
  const open = async () => {
    setOpening(true);
    try {
      await openIssuerToken(token);
    } finally {
      setOpening(false);
    }
    announceOpenToken();
  };
  return (
    <details className="iss-token" data-token-label={label}>
      <summary>
        <span className="iss-token-label">{label}</span>{' '}
        {decoded.ok ? (
          <code>
            {String(decoded.token.header.alg ?? '?')} · kid {String(decoded.token.header.kid ?? '-')} · typ {String(decoded.token.header.typ ?? '-')}
          </code>
        ) : (
          <span className="iss-bad">does not decode: {decoded.error.message}</span>
        )}{' '}
        <button type="button" className="iss-link" onClick={() => void open()} disabled={opening}>
          Open in debugger
        </button>
      </summary>
      {decoded.ok && (
        <div className="iss-token-body">
          <pre aria-label={`${label} header`}>{JSON.stringify(decoded.token.header, null, 2)}</pre>
          <pre aria-label={`${label} payload`}>{JSON.stringify(decoded.token.payload, null, 2)}</pre>
          <p className="iss-muted">{describeTimes(decoded.token.payload).join(' · ')}</p>
        </div>
      )}
    </details>
  );
}
