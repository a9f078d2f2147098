/**
 * ROCA (CVE-2017-15361): RSA keys made by Infineon's RSALib (TPMs, smart cards, YubiKey 4 before 4.3.5,
 * Estonian ID cards, 2012–2017) can be factored from the public modulus alone. Nemec, Sýs, Švenda, Klinec
 * and Matyáš, "The Return of Coppersmith's Attack: Practical Factorization of Widely Used RSA Moduli"
 * (ACM CCS 2017), show that the library drew each prime as p = k·M + (65537^a mod M), M a product of the
 * small primes. So, modulo each small prime r dividing M, both primes — and so n = p·q — are powers of
 * 65537: n mod r lies in the subgroup that 65537 generates in (Z/rZ)*. A random modulus passes that test
 * for one r with probability |<65537 mod r>| / r, and for all of them with a vanishing probability.
 *
 * Provenance: the test and the list of primes (3 to 167) are those of the authors' published detector,
 * github.com/crocs-muni/roca, roca/detect.py (MIT licence), `has_fingerprint_moduli`. Re-implemented here
 * from that description: the subgroups are computed below rather than copied as the detector's bit masks.
 */

const GENERATOR = 65537;

/** The primes of the published detector: every prime from 3 to 167. */
const PRIMES: readonly number[] = [
  3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109,
  113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
];

/** For each prime r, which residues mod r are powers of 65537 (index = residue). Computed once, at load. */
const SUBGROUPS: readonly Uint8Array[] = PRIMES.map((r) => {
  const member = new Uint8Array(r);
  const g = GENERATOR % r;
  for (let x = 1; member[x] === 0; x = (x * g) % r) member[x] = 1;
  return member;
});

/** True when the modulus has the ROCA fingerprint: its private key can be computed from it. */
export function hasRocaFingerprint(modulus: bigint): boolean {
  if (modulus <= 2n) return false;
  for (let i = 0; i < PRIMES.length; i++) {
    const r = PRIMES[i] as number;
    if ((SUBGROUPS[i] as Uint8Array)[Number(modulus % BigInt(r))] !== 1) return false;
  }
  return true;
}
