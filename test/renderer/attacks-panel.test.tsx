// The debugger's Attacks menu: a kind chosen for the token on screen is forged in the page by
// shared/core/attacks; each variant shows its explanation and token, and "Open in debugger" loads it.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { generateAttacks, NONE_SPELLINGS } from '../../shared/core/attacks';
import { decodeToken } from '../../shared/core/decode';
import { NOW, makeToken, renderApp } from './harness';

const TOKEN = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', exp: NOW + 60 });

async function pasteToken(user: ReturnType<typeof renderApp>['user'], token = TOKEN) {
  await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
  await user.paste(token);
}

function attacks(): HTMLElement {
  return screen.getByRole('region', { name: /^Attack:/ });
}

describe('Attacks menu', () => {
  it('is disabled until a token decodes, and lists every attack kind', async () => {
    const { user } = renderApp();
    const menu = screen.getByRole('combobox', { name: 'Attacks' }) as HTMLSelectElement;
    expect(menu.disabled).toBe(true);
    await pasteToken(user);
    expect(menu.disabled).toBe(false);
    const kinds = [...menu.options].map((o) => o.value).filter((v) => v !== '');
    expect(kinds).toEqual(['none', 'null-signature', 'blank-secret', 'key-confusion', 'embedded-jwk', 'jku', 'x5u', 'kid-injection', 'psychic', 'weak-secret']);
  });

  it('none: lists the four variants with their tokens; Open in debugger replaces the token', async () => {
    const { user, store } = renderApp();
    await pasteToken(user);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Attacks' }), 'none');
    const list = await within(attacks()).findByRole('list', { name: 'Variants' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(4);

    const expected = await generateAttacks('none', TOKEN);
    expect(expected.map((v) => v.variant)).toEqual([...NONE_SPELLINGS]);
    items.forEach((item, i) => {
      expect(item.textContent).toContain(expected[i]!.token);
      expect(item.textContent).toContain(expected[i]!.explanation);
      const decoded = decodeToken(expected[i]!.token);
      expect(decoded.ok && decoded.token.header.alg).toBe(NONE_SPELLINGS[i]);
    });

    await user.click(within(items[2]!).getByRole('button', { name: 'Open in debugger' }));
    expect(store.getState().input).toBe(expected[2]!.token);
    expect(store.getState().decoded?.header.alg).toBe(NONE_SPELLINGS[2]);
  });

  it('a kind that needs input waits for it, and shows the core\'s error with its code', { timeout: 15_000 }, async () => {
    const { user } = renderApp();
    await pasteToken(user);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Attacks' }), 'jku');
    expect(within(attacks()).queryByRole('list', { name: 'Variants' })).toBeNull();
    await user.click(within(attacks()).getByRole('textbox', { name: /URL/ }));
    await user.paste('not a url');
    await user.click(within(attacks()).getByRole('button', { name: 'Generate' }));
    const alert = await within(attacks()).findByRole('alert');
    expect(alert.textContent).toContain('option-invalid');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Attacks' }), 'weak-secret');
    await user.click(within(attacks()).getByRole('textbox', { name: /Secret to sign with/ }));
    await user.paste('hunter2');
    await user.click(within(attacks()).getByRole('button', { name: 'Generate' }));
    const list = await within(attacks()).findByRole('list', { name: 'Variants' });
    const [variant] = await generateAttacks('weak-secret', TOKEN, { secret: 'hunter2' });
    await waitFor(() => expect(list.textContent).toContain(variant!.token));

    await user.click(within(attacks()).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('region', { name: /^Attack:/ })).toBeNull();
  });
});
