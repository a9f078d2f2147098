import { lazy, type ComponentType } from 'react';
import { DebuggerView } from './DebuggerView';

/** The app's top-level views, in tab order. Each feature adds its own entry here. */
export interface ViewEntry {
  id: string;
  label: string;
  component: ComponentType;
}

// The Debugger is what the app opens on: it ships in the first bundle. The other views load when their
// tab is first chosen, so they add nothing to the time before a token can be pasted.
const KeysView = lazy(() => import('./KeysView').then((m) => ({ default: m.KeysView })));
const IssuerView = lazy(() => import('./IssuerView').then((m) => ({ default: m.IssuerView })));
const StepperView = lazy(() => import('./StepperView').then((m) => ({ default: m.StepperView })));

export const VIEWS: readonly ViewEntry[] = [
  { id: 'debugger', label: 'Debugger', component: DebuggerView },
  { id: 'keys', label: 'Keys', component: KeysView },
  { id: 'issuer', label: 'Issuer', component: IssuerView },
  { id: 'stepper', label: 'Stepper', component: StepperView },
];
