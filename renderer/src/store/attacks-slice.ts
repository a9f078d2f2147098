import type { StateCreator } from 'zustand';
import type { AttackKind, AttackOptions, AttackVariant } from '../../../shared/core/attacks/types';
import type { WorkbenchState } from './types';

/** What an attack kind asks the user for before it can run (see planAttack's options). */
export type AttackInput = 'key' | 'url' | 'secret' | null;

/**
 * The kinds the debugger's Attacks menu offers, with their input. All of shared/core/attacks' kinds: x5u's
 * certificate library (@peculiar/x509) is itself loaded only when an x5u attack runs.
 */
export const ATTACK_MENU: ReadonlyArray<{ kind: AttackKind; label: string; input: AttackInput }> = [
  { kind: 'none', label: 'alg "none"', input: null },
  { kind: 'null-signature', label: 'Null signature', input: null },
  { kind: 'blank-secret', label: 'Blank HMAC secret', input: null },
  { kind: 'key-confusion', label: 'Key confusion (RS/ES → HS)', input: 'key' },
  { kind: 'embedded-jwk', label: 'Embedded JWK', input: null },
  { kind: 'jku', label: 'jku header', input: 'url' },
  { kind: 'x5u', label: 'x5u header', input: 'url' },
  { kind: 'kid-injection', label: 'kid injection', input: null },
  { kind: 'psychic', label: 'Psychic signature (ES)', input: null },
  { kind: 'weak-secret', label: 'Weak secret (re-sign)', input: 'secret' },
];

export type AttackRun =
  | { status: 'input' }
  | { status: 'generating' }
  | { status: 'done'; variants: AttackVariant[] }
  | { status: 'failed'; code: string; message: string };

export interface AttackView {
  kind: AttackKind;
  input: AttackInput;
  /** The text of the input the kind needs (public key, URL or secret). */
  inputText: string;
  run: AttackRun;
}

export interface AttacksSlice {
  /** The attack being set up or shown, or null when the Attacks panel is closed. */
  attack: AttackView | null;
  /** Opens the panel for a kind: one that needs no input is generated at once. */
  chooseAttack(kind: AttackKind): void;
  setAttackInput(text: string): void;
  /** Forges the variants of the token on screen, in the page (shared/core/attacks, loaded on first use). */
  generateAttack(): Promise<void>;
  closeAttack(): void;
}

export const createAttacksSlice: StateCreator<WorkbenchState, [], [], AttacksSlice> = (set, get) => {
  // An answer is shown only while it is about the latest request.
  let generation = 0;
  return {
    attack: null,
    chooseAttack(kind) {
      generation++;
      const input = ATTACK_MENU.find((entry) => entry.kind === kind)?.input ?? null;
      // weak-secret starts from a secret the known-secret check found for this token, if any.
      const known = input === 'secret' ? (get().knownSecretOf(get().decoded?.token)?.secret ?? '') : '';
      set({ attack: { kind, input, inputText: known, run: { status: 'input' } } });
      if (input === null) void get().generateAttack();
    },
    setAttackInput(text) {
      const attack = get().attack;
      if (attack) set({ attack: { ...attack, inputText: text, run: { status: 'input' } } });
    },
    async generateAttack() {
      const attack = get().attack;
      const token = get().decoded?.token;
      if (!attack) return;
      const mine = ++generation;
      const update = (run: AttackRun) => {
        const current = get().attack;
        if (mine === generation && current) set({ attack: { ...current, run } });
      };
      if (token === undefined) {
        update({ status: 'failed', code: 'no-token', message: 'Paste a token that decodes first.' });
        return;
      }
      update({ status: 'generating' });
      const options: AttackOptions = {};
      if (attack.input === 'key') options.key = attack.inputText;
      if (attack.input === 'url') options.url = attack.inputText.trim();
      if (attack.input === 'secret') options.secret = attack.inputText;
      try {
        // Loaded on demand: the attacks (and jose's signing) stay out of the first bundle.
        const { generateAttacks } = await import('../../../shared/core/attacks');
        update({ status: 'done', variants: await generateAttacks(attack.kind, token, options) });
      } catch (error) {
        const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'failed';
        update({ status: 'failed', code, message: error instanceof Error ? error.message : 'The attack could not be generated' });
      }
    },
    closeAttack() {
      generation++;
      set({ attack: null });
    },
  };
};
