import { describe, expect, it } from 'vitest';
import { describeMember } from '../../renderer/src/monaco/claim-docs';
import { HEADER_SCHEMA, PAYLOAD_SCHEMA } from '../../renderer/src/monaco/schemas';

const NOW = 1_704_067_200; // 2024-01-01T00:00:00Z
const utcLocal = (s: number) => new Date(s * 1000).toISOString();

describe('claim hovers', () => {
  it('explains exp with UTC, local and relative time against the given clock', () => {
    const text = describeMember('payload', 'exp', NOW + 720, NOW, utcLocal)!;
    expect(text).toContain('**exp** — Expiration Time');
    expect(text).toContain('RFC 7519 §4.1.4');
    expect(text).toContain('UTC: `2024-01-01T00:12:00Z`');
    expect(text).toContain('Local: `2024-01-01T00:12:00.000Z`');
    expect(text).toContain('expires in 12 min');
    expect(describeMember('payload', 'exp', NOW - 3 * 3600, NOW, utcLocal)).toContain('expired 3 h ago');
  });

  it('warns when a NumericDate looks like milliseconds', () => {
    expect(describeMember('payload', 'iat', NOW * 1000, NOW, utcLocal)).toContain('looks like milliseconds');
  });

  it('explains header parameters and OIDC claims, and nothing for private claims', () => {
    expect(describeMember('header', 'kid', 'k1', NOW)).toContain('Key ID');
    expect(describeMember('payload', 'nonce', 'n', NOW)).toContain('OpenID Connect Core');
    expect(describeMember('payload', 'favourite_colour', 'blue', NOW)).toBeNull();
    // A header name is not looked up among claims.
    expect(describeMember('header', 'exp', NOW, NOW)).toBeNull();
  });

  it('gives the schemas the registered names with their types', () => {
    const header = HEADER_SCHEMA.properties as Record<string, { type?: string; enum?: string[] }>;
    expect(header.alg!.enum).toContain('ES256');
    expect(header.alg!.enum).toContain('none');
    const payload = PAYLOAD_SCHEMA.properties as Record<string, { type?: string; anyOf?: unknown[] }>;
    expect(payload.exp!.type).toBe('number');
    expect(payload.aud!.anyOf).toHaveLength(2);
  });
});
