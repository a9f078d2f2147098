import type { ComponentType } from 'react';
import { DebuggerView } from './DebuggerView';

/** The app's top-level views, in tab order. Each feature adds its own entry here. */
export interface ViewEntry {
  id: string;
  label: string;
  component: ComponentType;
}

export const VIEWS: readonly ViewEntry[] = [{ id: 'debugger', label: 'Debugger', component: DebuggerView }];
