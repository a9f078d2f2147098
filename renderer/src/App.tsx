import { useState } from 'react';
import { AppFooter } from './panels/AppFooter';
import { VIEWS } from './views';

export function App() {
  const [activeId, setActiveId] = useState(VIEWS[0]!.id);
  const active = VIEWS.find((view) => view.id === activeId) ?? VIEWS[0]!;
  const ActiveView = active.component;
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
          <nav className="view-tabs" role="tablist" aria-label="Views">
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
        <ActiveView />
      </div>
      <AppFooter />
    </div>
  );
}
