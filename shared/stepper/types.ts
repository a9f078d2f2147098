/**
 * The refresh-rotation stepper's vocabulary: what a step is, what it reports, and the one thing it needs
 * from a host (a typed call of the contract). The renderer's HostClient and a dispatcher over the real
 * handlers both fit `StepperHost`, so the UI and the scripted run execute the very same steps.
 */
import type { IssuerRunning } from '../contract/issuer';
import type { MethodName } from '../contract/method-names';
import type { RequestOf, ResponseOf } from '../contract/methods';
import type { Result } from '../contract/result';
import type { PreparedKey } from '../core/keys';

export interface StepperHost {
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<Result<ResponseOf<M>>>;
}

/** The participants of the sequence diagram, left to right. */
export const LANES = ['client', 'attacker', 'issuer', 'resource', 'verifier', 'clock'] as const;
export type Lane = (typeof LANES)[number];

export const LANE_LABELS: Record<Lane, string> = {
  client: 'Client (SPA)',
  attacker: 'Attacker',
  issuer: 'Issuer',
  resource: 'Protected resource',
  verifier: 'Verifier (cached JWKS)',
  clock: 'Clock',
};

/** One message of the sequence diagram. */
export interface Arrow {
  from: Lane;
  to: Lane;
  label: string;
  /** A response or verdict that went the expected way (drawn green), or a refusal (drawn red). */
  tone: 'ok' | 'refused' | 'neutral';
}

/** A token a step saw, shown decoded in place. */
export interface StepToken {
  label: string;
  token: string;
}

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepOutcome {
  status: StepStatus;
  /** What happened, in a sentence or two (with the figures that matter: kid, status, reason). */
  summary: string;
  arrows: Arrow[];
  tokens: StepToken[];
}

export interface StepRule {
  /** Why it happened, as the rule states it. */
  text: string;
  /** Where the rule is written: `RFC 9700 §4.14.2`. */
  cite: string;
}

export interface StepDefinition {
  id: string;
  /** The chapter of the story: the rotation lifecycle, key rotation, access-token revocation, forged tokens, or DPoP. */
  chapter: 'rotation' | 'keys' | 'revocation' | 'attacks' | 'dpop';
  title: string;
  /** What the step will do, before it runs. */
  action: string;
  rule: StepRule;
  run(context: StepContext): Promise<StepOutcome>;
}

/** What the steps remember between them. */
export interface StepperState {
  issuer: IssuerRunning | null;
  user: { name: string; password: string };
  access: string | null;
  refresh: string | null;
  /** The refresh token an attacker copied before the legitimate client rotated it. */
  stolenRefresh: string | null;
  familyId: string | null;
  firstFamilyId: string | null;
  /** The JWKS document the verifier fetched once and caches. */
  cachedJwks: string | null;
  /** An access token signed by the key that was current before the rotation. */
  accessBeforeRotation: string | null;
  /** The issuer's clock (NumericDate) as of the last step that read it. */
  now: number | null;
  symmetric: boolean;
  /** The DPoP chapter: the client's own key pair (made by the stepper, in memory only). */
  dpopKey: PreparedKey | null;
  /** The access token bound to that key (cnf.jkt). */
  dpopAccess: string | null;
  /** The newest DPoP-Nonce the issuer handed out. */
  dpopNonce: string | null;
  /** The proof the resource accepted, which an attacker may copy and replay. */
  dpopProof: string | null;
}

export interface StepContext {
  host: StepperHost;
  state: StepperState;
}

export function initialState(user = { name: 'stepper', password: 'stepper-demo-password' }): StepperState {
  return {
    issuer: null,
    user,
    access: null,
    refresh: null,
    stolenRefresh: null,
    familyId: null,
    firstFamilyId: null,
    cachedJwks: null,
    accessBeforeRotation: null,
    now: null,
    symmetric: false,
    dpopKey: null,
    dpopAccess: null,
    dpopNonce: null,
    dpopProof: null,
  };
}
