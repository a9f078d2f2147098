import { useEffect } from 'react';
import type { Transport } from '../../../shared/contract';
import { useWorkbench } from '../store/context';

const TRANSPORT_LABEL: Record<Transport, string> = {
  electron: 'desktop app',
  http: 'browser, served from 127.0.0.1',
};

/** Version and transport, as the host reports them. */
export function AppFooter() {
  const info = useWorkbench((s) => s.appInfo);
  const error = useWorkbench((s) => s.appInfoError);
  const loadAppInfo = useWorkbench((s) => s.loadAppInfo);

  useEffect(() => {
    void loadAppInfo();
  }, [loadAppInfo]);

  return (
    <footer className="app-footer">
      {info ? (
        <p>
          {info.name} <span className="version">{info.version}</span> · {TRANSPORT_LABEL[info.transport] ?? info.transport} ·{' '}
          {info.platform}
        </p>
      ) : error ? (
        <p className="footer-error">
          Host unavailable: {error.message} <code>{error.code}</code>
        </p>
      ) : (
        <p className="muted">Connecting to the host…</p>
      )}
    </footer>
  );
}
