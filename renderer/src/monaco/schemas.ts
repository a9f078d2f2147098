/**
 * JSON schemas for the Header and Payload editors: Monaco's JSON worker completes the registered names
 * and flags wrong types (a string `exp`, a number `aud`). Additional members are always allowed: private
 * claims are normal. Descriptions come from claim-docs so hover texts and completions agree.
 */
import { JWS_ALGORITHM_NAMES } from '../../../shared/core/algorithms';
import { HEADER_PARAMETERS, PAYLOAD_CLAIMS } from './claim-docs';
import type { ClaimDoc } from './claim-docs';

export const HEADER_MODEL_URI = 'inmemory://workbench/header.json';
export const PAYLOAD_MODEL_URI = 'inmemory://workbench/payload.json';

type JsonSchema = Record<string, unknown>;

const numericDate: JsonSchema = { type: 'number', minimum: 0 };
const stringOrStrings: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

const HEADER_TYPES: Record<string, JsonSchema> = {
  alg: { type: 'string', enum: [...JWS_ALGORITHM_NAMES, 'none'] },
  typ: { type: 'string' },
  cty: { type: 'string' },
  kid: { type: 'string' },
  jku: { type: 'string', format: 'uri' },
  jwk: { type: 'object' },
  x5u: { type: 'string', format: 'uri' },
  x5c: { type: 'array', items: { type: 'string' } },
  x5t: { type: 'string' },
  'x5t#S256': { type: 'string' },
  crit: { type: 'array', items: { type: 'string' }, minItems: 1 },
  b64: { type: 'boolean' },
  enc: { type: 'string' },
  zip: { type: 'string' },
  epk: { type: 'object' },
};

const PAYLOAD_TYPES: Record<string, JsonSchema> = {
  iss: { type: 'string' },
  sub: { type: 'string' },
  aud: stringOrStrings,
  exp: numericDate,
  nbf: numericDate,
  iat: numericDate,
  auth_time: numericDate,
  updated_at: numericDate,
  jti: { type: 'string' },
  azp: { type: 'string' },
  nonce: { type: 'string' },
  acr: { type: 'string' },
  amr: { type: 'array', items: { type: 'string' } },
  at_hash: { type: 'string' },
  c_hash: { type: 'string' },
  sid: { type: 'string' },
  scope: { type: 'string' },
  client_id: { type: 'string' },
  cnf: { type: 'object' },
  email_verified: { type: 'boolean' },
};

function properties(docs: Readonly<Record<string, ClaimDoc>>, types: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, doc] of Object.entries(docs)) {
    out[name] = { ...(types[name] ?? { type: 'string' }), description: `${doc.title}: ${doc.description} (${doc.reference})` };
  }
  return out;
}

export const HEADER_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['alg'],
  properties: properties(HEADER_PARAMETERS, HEADER_TYPES),
  additionalProperties: true,
};

export const PAYLOAD_SCHEMA: JsonSchema = {
  // A JWS payload may be any JSON (or not JSON at all); claims apply when it is an object.
  properties: properties(PAYLOAD_CLAIMS, PAYLOAD_TYPES),
  additionalProperties: true,
};
