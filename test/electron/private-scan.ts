/** Finds private key material in any value: test helper for the "nothing private crosses the contract" checks. */
import { PRIVATE_MEMBERS } from '../../electron/services/keys';

/**
 * Where in `value` private material shows: a member named like a private JWK member (d, p, q, dp, dq,
 * qi, k), a PRIVATE KEY PEM, or one of the known secret values. JSON inside strings is searched too.
 */
export function privateLeaks(value: unknown, secrets: readonly string[], where = '$'): string[] {
  if (typeof value === 'string') {
    const found: string[] = [];
    if (value.includes('PRIVATE KEY')) found.push(`${where}: PRIVATE KEY PEM`);
    for (const secret of secrets) if (value.includes(secret)) found.push(`${where}: a private value`);
    if (/^\s*[{[]/.test(value)) {
      try {
        found.push(...privateLeaks(JSON.parse(value), secrets, `${where}(json)`));
      } catch {
        // not JSON after all
      }
    }
    return found;
  }
  // Bytes and errors are where a leak hides from a plain member walk: a raw secret, a message quoting a key.
  if (value instanceof Uint8Array) return privateLeaks(Buffer.from(value).toString('base64url'), secrets, where);
  if (value instanceof Error) {
    return [...privateLeaks(value.message, secrets, `${where}.message`), ...privateLeaks({ ...value }, secrets, where)];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => privateLeaks(item, secrets, `${where}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([name, item]) => [
      ...((PRIVATE_MEMBERS as readonly string[]).includes(name) ? [`${where}.${name}: private member`] : []),
      ...privateLeaks(item, secrets, `${where}.${name}`),
    ]);
  }
  return [];
}
