import type { IssuerOperation } from '../store/issuer-slice';
import { useWorkbench } from '../store/context';

const FAILED: Record<IssuerOperation, string> = {
  status: 'Reading the issuer’s status failed',
  start: 'The issuer did not start',
  stop: 'Stopping the issuer failed',
  settings: 'The settings were not saved',
  clock: 'The clock did not move',
  'rotate-keys': 'Key rotation failed',
  families: 'Reading the families failed',
  'revoke-family': 'The family was not revoked',
  users: 'Reading the users failed',
  'put-user': 'The user was not saved',
  log: 'Reading the log failed',
  'open-token': 'The issuer’s keys or clock could not be read for the debugger',
};

export function IssuerErrorBanner() {
  const failure = useWorkbench((s) => s.issuerError);
  const clear = useWorkbench((s) => s.clearIssuerError);
  if (!failure) return null;
  return (
    <div role="alert" className="iss-error">
      <strong>{FAILED[failure.operation]}:</strong> {failure.error.message} <span className="iss-muted">({failure.error.code})</span>{' '}
      <button type="button" className="button button-small" onClick={clear} aria-label="Dismiss the error">
        ×
      </button>
    </div>
  );
}
