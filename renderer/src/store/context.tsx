import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { WorkbenchState, WorkbenchStore } from './index';

const WorkbenchContext = createContext<WorkbenchStore | null>(null);

export function WorkbenchProvider({ store, children }: { store: WorkbenchStore; children: ReactNode }) {
  return <WorkbenchContext.Provider value={store}>{children}</WorkbenchContext.Provider>;
}

/** The store itself, for actions and effects that should not re-render on state changes. */
export function useWorkbenchStore(): WorkbenchStore {
  const store = useContext(WorkbenchContext);
  if (!store) throw new Error('useWorkbench must be used inside <WorkbenchProvider>');
  return store;
}

/**
 * One narrow slice of state: a component re-renders only when what its selector returns changes
 * (Object.is). Select one value per call, or wrap an object-returning selector in useShallow.
 */
export function useWorkbench<T>(selector: (state: WorkbenchState) => T): T {
  return useStore(useWorkbenchStore(), selector);
}
