import type { ComponentType } from 'react';
import { DebuggerView } from './DebuggerView';
import { KeysView } from './KeysView';
import { IssuerView } from './IssuerView';
import { StepperView } from './StepperView';

/** The app's top-level views, in tab order. Each feature adds its own entry here. */
export interface ViewEntry {
  id: string;
  label: string;
  component: ComponentType;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: 'debugger', label: 'Debugger', component: DebuggerView },
  { id: 'keys', label: 'Keys', component: KeysView },
  { id: 'issuer', label: 'Issuer', component: IssuerView },
  { id: 'stepper', label: 'Stepper', component: StepperView },
];
