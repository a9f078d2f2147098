import { useEffect } from 'react';
import { ClockAndKeys } from '../issuer/ClockAndKeys';
import { FamiliesPanel } from '../issuer/FamiliesPanel';
import { IssuerControls } from '../issuer/IssuerControls';
import { IssuerErrorBanner } from '../issuer/IssuerErrorBanner';
import { IssuerLogPanel } from '../issuer/IssuerLogPanel';
import { UsersPanel } from '../issuer/UsersPanel';
import { useWorkbench } from '../store/context';

/** How often the view polls families, users and the log while the issuer runs. */
export const ISSUER_POLL_MS = 1500;

/** The mock issuer (issue 5): start/stop and settings, discovery URL, clock and keys, users, families, live log. */
export function IssuerView() {
  const status = useWorkbench((s) => s.issuerStatus);
  const loadIssuer = useWorkbench((s) => s.loadIssuer);
  const refresh = useWorkbench((s) => s.refreshIssuer);
  const loadKeys = useWorkbench((s) => s.loadKeys);
  const running = status?.running ? status : null;
  const isRunning = running !== null;

  useEffect(() => {
    void loadIssuer();
    void loadKeys(); // stored keys the issuer may sign with
  }, [loadIssuer, loadKeys]);

  useEffect(() => {
    if (!isRunning) return;
    const timer = setInterval(() => void refresh(), ISSUER_POLL_MS);
    return () => clearInterval(timer);
  }, [isRunning, refresh]); // restart the poll on start/stop only, not on each status refresh

  return (
    <main className="workspace iss-view" aria-labelledby="issuer-view-title">
      <header>
        <h2 id="issuer-view-title">Mock issuer</h2>
        <p className="iss-muted">
          An OAuth 2.0 / OpenID Connect issuer on 127.0.0.1: rotating refresh tokens with reuse detection, a JWKS, revocation,
          introspection and a protected resource. {status && !status.running && status.notice}
        </p>
      </header>
      <IssuerErrorBanner />
      <IssuerControls />
      {running && (
        <>
          <ClockAndKeys status={running} />
          <UsersPanel />
          <FamiliesPanel />
          <IssuerLogPanel />
        </>
      )}
    </main>
  );
}
