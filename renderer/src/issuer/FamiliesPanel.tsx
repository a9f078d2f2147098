import { useWorkbench } from '../store/context';

const time = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 19);

/** Refresh-token families, each with its chain of tokens and their states (labels only: tokens are never kept). */
export function FamiliesPanel() {
  const families = useWorkbench((s) => s.issuerFamilies);
  const revoke = useWorkbench((s) => s.revokeIssuerFamily);
  const list = families?.families ?? [];
  return (
    <section className="iss-panel" aria-labelledby="iss-families-title">
      <h3 id="iss-families-title">Families</h3>
      {families && families.familiesWithSeveralLiveTokens > 0 && (
        <p role="alert" className="iss-bad">
          {families.familiesWithSeveralLiveTokens} famil{families.familiesWithSeveralLiveTokens === 1 ? 'y has' : 'ies have'} more than one live refresh token.
        </p>
      )}
      {list.length === 0 ? (
        <p className="iss-muted">No family yet: a login starts one.</p>
      ) : (
        <ul className="iss-families">
          {list.map((f) => (
            <li key={f.id} data-family-id={f.id} data-status={f.status}>
              <div>
                <strong>{f.user}</strong> via <code>{f.clientId}</code> · <span className={`iss-state iss-state-${f.status}`}>{f.status}</span>
                {f.revokeReason && <span className="iss-muted"> ({f.revokeReason})</span>} · {f.rotations} rotation{f.rotations === 1 ? '' : 's'} ·{' '}
                {f.accessTokens} live access token{f.accessTokens === 1 ? '' : 's'}{' '}
                {f.status === 'active' && (
                  <button type="button" className="button button-small button-danger" onClick={() => void revoke(f.id)}>
                    Revoke family
                  </button>
                )}
              </div>
              <ol className="iss-chain" aria-label={`Refresh tokens of family ${f.id}`}>
                {f.tokens.map((t) => (
                  <li key={t.id} className={`iss-state iss-state-${t.state}`} title={`issued ${time(t.issuedAt)}, expires ${time(t.expiresAt)}`}>
                    {t.id}: {t.state}
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
