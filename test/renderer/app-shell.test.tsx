// The shell's view tabs: keyboard navigation per WAI-ARIA tabs, and "Open in debugger" from other views.
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { announceOpenToken } from '../../renderer/src/issuer/open-token';
import { disposeStores, renderApp } from './harness';

afterEach(disposeStores);

describe('app shell', () => {
  it('moves between views with the arrow keys, Home and End', async () => {
    const { user } = renderApp();
    const debuggerTab = screen.getByRole('tab', { name: 'Debugger' });
    expect(debuggerTab.getAttribute('aria-selected')).toBe('true');
    debuggerTab.focus();
    await user.keyboard('{ArrowRight}');
    const keysTab = screen.getByRole('tab', { name: 'Keys' });
    expect(keysTab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(keysTab);
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Stepper' }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Debugger' }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Stepper' }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{Home}');
    expect(screen.getByRole('tab', { name: 'Debugger' }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows the Debugger when another view opens a token in it', async () => {
    const { user } = renderApp();
    await user.click(screen.getByRole('tab', { name: 'Stepper' }));
    expect(screen.getByRole('tab', { name: 'Stepper' }).getAttribute('aria-selected')).toBe('true');
    act(() => announceOpenToken());
    expect(screen.getByRole('tab', { name: 'Debugger' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').id).toBe('view-debugger');
  });
});
