/**
 * Probing a verifier from the app (`probe.start` / `probe.status` / `probe.cancel`): the same run as
 * `jwtdbg probe`, made by the host only when the user presses "Run probe". A run takes one request per
 * variant, so it is started, then polled for the results so far (the transports have no push channel),
 * and can be cancelled. Every field is checked here, so both transports refuse the same things.
 */
import type { AttackKind } from '../core/attacks/types';
import type { ProbeErrorCode } from './errors';
import { httpUrlSchema } from './jwks';
import * as s from './schema';
import type { ParseResult, Schema } from './schema';

export const PROBE_LIMITS = {
  token: 1024 * 1024,
  /** The verifier's public key text (PEM, certificate, JWK, JWKS). */
  keyText: 1024 * 1024,
  header: 256,
  scheme: 64,
  runId: 64,
} as const;

/** An HTTP header name (RFC 9110 token), as the probe puts the token in it. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A header name the probe can send; the message never quotes the value. */
export const probeHeaderSchema: Schema<string> = refine(s.string({ max: PROBE_LIMITS.header, min: 1 }), (v) =>
  HEADER_NAME.test(v) ? null : 'must be an HTTP header name (letters, digits and -)',
);

/** What precedes the token in the header ('' sends the bare token): no control characters. */
export const probeSchemeSchema: Schema<string> = refine(s.string({ max: PROBE_LIMITS.scheme }), (v) =>
  /[\x00-\x1f\x7f]/.test(v) ? 'must not contain control characters' : null,
);

const runId = s.string({ max: PROBE_LIMITS.runId, min: 1 });

export const probeRequests = {
  start: s.object({
    /** The verifier, requested with GET; the only address the probe sends tokens to. */
    url: httpUrlSchema,
    token: s.string({ max: PROBE_LIMITS.token, min: 1 }),
    key: s.optional(s.string({ max: PROBE_LIMITS.keyText })),
    header: s.optional(probeHeaderSchema),
    scheme: s.optional(probeSchemeSchema),
  }),
  status: s.object({ runId }),
  cancel: s.object({ runId }),
};

/** One variant's answer, as `jwtdbg probe --json` prints it. */
export interface ProbeResultView {
  kind: AttackKind;
  variant: string;
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  /** A 2xx answer: the verifier took the forged token. */
  accepted: boolean;
  /** Why no answer came (`timeout`, `ECONNREFUSED`, …), when status is null. */
  error?: string;
}

export interface ProbeRunView {
  runId: string;
  /** The results so far, in the order sent. */
  results: ProbeResultView[];
  /** The status the original token got, once known (a non-2xx one ends the run with `original-refused`). */
  original: number | null;
  /** Kinds not tried, and why (known at the end of the run). */
  skipped: { kind: AttackKind; reason: string }[];
  /** Nothing more will be sent: finished, failed or cancelled. */
  done: boolean;
  cancelled: boolean;
  /** Why the run stopped early (the same code and message the CLI gives), else null. */
  error: { code: ProbeErrorCode; message: string } | null;
}

function refine(inner: Schema<string>, problem: (value: string) => string | null): Schema<string> {
  return {
    expected: inner.expected,
    parse(input, path = ''): ParseResult<string> {
      const r = inner.parse(input, path);
      if (!r.ok) return r;
      const message = problem(r.value);
      return message === null ? r : { ok: false, issue: { path, message } };
    },
  };
}
