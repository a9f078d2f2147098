import { Suspense, useEffect, useState, type KeyboardEvent } from 'react';
import { OPEN_TOKEN_EVENT } from './issuer/open-token';
import { AppFooter } from './panels/AppFooter';
import { AppCommands } from './panels/CommandPalette';
import { VIEWS } from './views';

export function App() {
  const [activeId, setActiveId] = useState(VIEWS[0]!.id);
  const active = VIEWS.find((view) => view.id === activeId) ?? VIEWS[0]!;
  const ActiveView = active.component;

  // "Open in debugger" elsewhere puts the token in the store; the shell only has to show the Debugger.
  useEffect(() => {
    const showDebugger = () => setActiveId('debugger');
    window.addEventListener(OPEN_TOKEN_EVENT, showDebugger);
    return () => window.removeEventListener(OPEN_TOKEN_EVENT, showDebugger);
  }, []);

  // WAI-ARIA tabs: arrow keys, Home and End move between tabs; Tab leaves the tab list.
  const onTabKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const index = VIEWS.findIndex((view) => view.id === active.id);
    const next =
      event.key === 'ArrowRight' ? (index + 1) % VIEWS.length
      : event.key === 'ArrowLeft' ? (index - 1 + VIEWS.length) % VIEWS.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? VIEWS.length - 1
      : null;
    if (next === null) return;
    event.preventDefault();
    const target = VIEWS[next]!;
    setActiveId(target.id);
    document.getElementById(`tab-${target.id}`)?.focus();
  };
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          <span className="logo" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          JWT Workbench
        </h1>
        {VIEWS.length > 1 && (
          <nav className="view-tabs" role="tablist" aria-label="Views" onKeyDown={onTabKeyDown}>
            {VIEWS.map((view) => (
              <button
                key={view.id}
                type="button"
                role="tab"
                id={`tab-${view.id}`}
                aria-selected={view.id === active.id}
                aria-controls={`view-${view.id}`}
                tabIndex={view.id === active.id ? 0 : -1}
                onClick={() => setActiveId(view.id)}
              >
                {view.label}
              </button>
            ))}
          </nav>
        )}
      </header>
      <div role={VIEWS.length > 1 ? 'tabpanel' : undefined} id={`view-${active.id}`} aria-labelledby={`tab-${active.id}`} className="view">
        <Suspense fallback={<p className="view-loading" role="status">Loading {active.label}…</p>}>
          <ActiveView />
        </Suspense>
      </div>
      <AppFooter />
      <AppCommands switchView={setActiveId} />
    </div>
  );
}
