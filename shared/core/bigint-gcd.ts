/**
 * Greatest common divisor of very large BigInts (millions of bits), in sub-quadratic time.
 *
 * Euclid with `%` is quadratic: hopeless for the ~134-million-bit numbers of RSA key recovery. This is a
 * half-gcd in the style of Schönhage / Möller: the quotients of Euclid's algorithm depend mostly on the
 * leading bits, so a reduction is computed recursively on the top part of the numbers, as a 2×2 integer
 * matrix T of determinant ±1, and applied to the whole numbers with (fast) BigInt multiplications.
 *
 * Correctness does not rest on the top part predicting the quotients exactly: any unimodular T maps
 * (a, b) to a pair with the same gcd, so a slightly wrong guess only costs a little more work (signs and
 * order are fixed up, and recorded in T). Small numbers go to Lehmer's algorithm (Knuth 4.5.2 L), which
 * runs most Euclid steps on 52-bit leading digits in doubles.
 *
 * Cost: V8 multiplies two n-bit numbers in about n·log n, and an unbalanced product costs about as much as
 * a balanced one of the longer size, so the layout keeps products balanced: each half-gcd node of n bits
 * does its work as products of n/4-bit numbers, 2×2 matrix products by Strassen–Winograd (7 products, not
 * 8). Sizes are tracked rather than recomputed (a BigInt's bit length costs a hex conversion).
 * Measured (2026-12): ~87% of the time is in those products, spread evenly over the recursion levels; the
 * gcd costs about as many products as GMP's does, and V8's products of 64K–4M bits are 3–4× slower than
 * GMP's, which is what bounds it (134M bits: ~190 s here, GMP's mpz_gcd 44 s on the same machine).
 */

/** Extra leading bits kept in a top part beyond twice the reduction, so its quotients match the whole's. */
const MARGIN = 32;
/** Below this many bits, Lehmer's algorithm is faster than recursing (under 1000: it sizes numbers by doubles). */
const LEHMER_BITS = 512;
/** A quotient this many bits long is found by one division rather than by top parts. */
const QUOTIENT_GAP = 32;
/** Matrix entries from this many bits on are multiplied by Strassen–Winograd: its extra additions pay off. */
const WINOGRAD_BITS = 20_000;
/** The outermost reduction stops here and finishes with plain Euclid. */
const FINAL_BITS = 64;

/** The size thresholds, for tests that must cross each of them. */
export const GCD_THRESHOLDS = {
  margin: MARGIN,
  lehmerBits: LEHMER_BITS,
  quotientGap: QUOTIENT_GAP,
  winogradBits: WINOGRAD_BITS,
  finalBits: FINAL_BITS,
} as const;

const ZERO = 0n;
const ONE = 1n;
const TWO_53 = 2n ** 53n;
const TWO_1000 = 2n ** 1000n;

/** Row-major 2×2 matrix [t00, t01, t10, t11]: (a', b') = (t00·a + t01·b, t10·a + t11·b). */
type Matrix = [bigint, bigint, bigint, bigint];

/** Bit length of 0 ≤ x < 2^1000, without a string: a double has the exponent, one shift corrects rounding. */
function smallBitLength(x: bigint): number {
  if (x < TWO_53) {
    let v = Number(x);
    let n = 0;
    if (v >= 4294967296) {
      v = Math.floor(v / 4294967296);
      n = 32;
    }
    return n + 32 - Math.clz32(v);
  }
  // Number(x) and log2 round, near a power of two, to either side of it: at most one off, checked.
  const n = Math.floor(Math.log2(Number(x))) + 1;
  if (x >> BigInt(n - 1) === ZERO) return n - 1;
  return x >> BigInt(n) === ZERO ? n : n + 1;
}

/** Number of bits of |x| (0 for 0). */
export function bitLength(x: bigint): number {
  if (x < ZERO) x = -x;
  if (x < TWO_1000) return smallBitLength(x);
  // Hex conversion is linear for a power-of-two radix; at 134M bits it takes tens of milliseconds.
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(parseInt(hex[0]!, 16));
}

/**
 * Bit length of x ≥ 0 that is about `hint` bits long: only the top is looked at (a shift that leaves a
 * small number), so it costs nothing like a hex conversion when the hint is close, and is exact always.
 */
function bitLengthNear(x: bigint, hint: number): number {
  let gap = 960;
  for (;;) {
    const s = hint - gap;
    if (s <= 0) return bitLength(x);
    const top = x >> BigInt(s);
    if (top !== ZERO) return s + (top < TWO_1000 ? smallBitLength(top) : bitLength(top));
    gap *= 8;
  }
}

/** X·Y, by Strassen–Winograd when the entries are long (7 products, 15 additions). */
function multiply(X: Matrix, Y: Matrix, bits: number): Matrix {
  const [a11, a12, a21, a22] = X;
  const [b11, b12, b21, b22] = Y;
  if (bits < WINOGRAD_BITS) {
    return [a11 * b11 + a12 * b21, a11 * b12 + a12 * b22, a21 * b11 + a22 * b21, a21 * b12 + a22 * b22];
  }
  const s1 = a21 + a22;
  const s2 = s1 - a11;
  const s3 = a11 - a21;
  const s4 = a12 - s2;
  const t1 = b12 - b11;
  const t2 = b22 - t1;
  const t3 = b22 - b12;
  const t4 = t2 - b21;
  const p1 = a11 * b11;
  const u2 = p1 + s2 * t2;
  const u3 = u2 + s3 * t3;
  const p5 = s1 * t1;
  return [p1 + a12 * b21, u2 + p5 + s4 * b22, u3 - a22 * t4, u3 + p5];
}

/**
 * T·(x, y) for numbers of `bits` bits: a matrix times a vector, 4 products. When x and y are at least twice
 * as long as T's entries, they are cut in two halves, which makes it a matrix product (7 products).
 */
function applyMatrix(T: Matrix, x: bigint, y: bigint, bits: number, tBits: number): [bigint, bigint] {
  if (tBits < WINOGRAD_BITS || bits < 2 * tBits - MARGIN) {
    return [T[0] * x + T[1] * y, T[2] * x + T[3] * y];
  }
  const h = bits >> 1;
  const bigH = BigInt(h);
  const m = multiply(T, [x >> bigH, BigInt.asUintN(h, x), y >> bigH, BigInt.asUintN(h, y)], tBits);
  return [(m[0] << bigH) + m[1], (m[2] << bigH) + m[3]];
}

interface Reduced {
  a: bigint;
  b: bigint;
  /** Bit length of a. */
  n: number;
  /** (a, b) = T·(input a, input b); null when not asked for, or when nothing was done. */
  T: Matrix | null;
}

/** One Euclid step (a, b) → (b, a mod b), for when a top part says nothing useful (a huge quotient). */
function divisionStep(r: Reduced, nb: number, needT: boolean): void {
  const q = r.a / r.b;
  const rem = r.a - q * r.b;
  r.a = r.b;
  r.b = rem;
  r.n = nb;
  if (needT) {
    const T = r.T ?? [ONE, ZERO, ZERO, ONE];
    r.T = [T[2], T[3], T[0] - q * T[2], T[1] - q * T[3]];
  }
}

/** Lehmer's algorithm on a ≥ b ≥ 0 (a of n bits, n ≤ LEHMER_BITS) until b < 2^stop. */
function lehmer(a: bigint, b: bigint, n: number, stop: number, needT: boolean): Reduced {
  const r: Reduced = { a, b, n, T: null };
  let t00 = ONE;
  let t01 = ZERO;
  let t10 = ZERO;
  let t11 = ONE;
  let touched = false;
  for (;;) {
    const nb = smallBitLength(r.b);
    if (nb <= stop) break;
    n = r.n;
    const shift = n > 52 ? n - 52 : 0;
    const bigShift = BigInt(shift);
    let x = Number(r.a >> bigShift);
    let y = Number(r.b >> bigShift);
    // Simulate Euclid on the leading digits. Exact when they are the whole numbers (shift 0); otherwise
    // only while both bounds agree on the quotient (Knuth's condition), and never past the stop, the
    // true remainder being about y·2^shift.
    const floor = 2 ** Math.max(0, stop - shift);
    let A = 1;
    let B = 0;
    let C = 0;
    let D = 1;
    for (;;) {
      let q: number;
      if (shift === 0) {
        if (y < floor || y === 0) break;
        q = Math.floor(x / y);
      } else {
        if (y + C === 0 || y + D === 0) break;
        q = Math.floor((x + A) / (y + C));
        if (q !== Math.floor((x + B) / (y + D))) break;
      }
      const rem = x - q * y;
      if (shift > 0 && rem < floor) break;
      // Plain assignments: a destructuring swap here allocates an array per step.
      const nextC = A - q * C;
      const nextD = B - q * D;
      A = C;
      B = D;
      C = nextC;
      D = nextD;
      x = y;
      y = rem;
    }
    touched = true;
    if (B === 0) {
      if (needT) r.T = [t00, t01, t10, t11];
      divisionStep(r, nb, needT);
      if (needT) [t00, t01, t10, t11] = r.T!;
      continue;
    }
    const bA = BigInt(A);
    const bB = BigInt(B);
    const bC = BigInt(C);
    const bD = BigInt(D);
    const na = bA * r.a + bB * r.b;
    r.b = bC * r.a + bD * r.b;
    r.a = na;
    r.n = smallBitLength(na);
    if (needT) {
      const n00 = bA * t00 + bB * t10;
      const n01 = bA * t01 + bB * t11;
      t10 = bC * t00 + bD * t10;
      t11 = bC * t01 + bD * t11;
      t00 = n00;
      t01 = n01;
    }
  }
  r.T = needT && touched ? [t00, t01, t10, t11] : null;
  return r;
}

/**
 * Reduces a ≥ b ≥ 0 (a of n bits) by Euclid-like unimodular steps until b < 2^stop (about: a little over
 * or under is fine for the callers). With `needT`, also returns the matrix of the whole reduction.
 *
 * A reduction by d bits needs only the top 2d bits (plus a margin). When the numbers are not much longer
 * than that, it is done in two halves, each a recursive call on a top part of half the length (the
 * half-gcd); otherwise one step reduces by d using the top 2d + MARGIN bits and applies the matrix to the
 * rest.
 */
function reduce(a: bigint, b: bigint, n: number, stop: number, needT: boolean): Reduced {
  const r: Reduced = { a, b, n, T: null };
  // The entries of a reduction's matrix are about as long as the reduction (Euclid's continuants).
  const n0 = n;
  for (;;) {
    n = r.n;
    const nb = r.b === ZERO ? 0 : bitLengthNear(r.b, n);
    if (nb <= stop) return r;
    if (n <= LEHMER_BITS) {
      const l = lehmer(r.a, r.b, n, stop, needT);
      r.a = l.a;
      r.b = l.b;
      r.n = l.n;
      if (needT && l.T) r.T = r.T ? multiply(l.T, r.T, 0) : l.T;
      return r;
    }
    if (n - nb > QUOTIENT_GAP) {
      divisionStep(r, nb, needT);
      continue;
    }
    let d = n - stop;
    if (n <= 2 * d + MARGIN) d = Math.ceil(d / 2);
    const shift = n - (2 * d + MARGIN);
    if (shift <= 0) {
      divisionStep(r, nb, needT);
      continue;
    }
    const bigShift = BigInt(shift);
    const sub = reduce(r.a >> bigShift, r.b >> bigShift, n - shift, n - d - shift, true);
    let T = sub.T;
    if (T === null) {
      divisionStep(r, nb, needT);
      continue;
    }
    // T·(high·2^shift + low) = (T·high)·2^shift + T·low, and T·high is what the sub-reduction computed.
    const tBits = n - shift - sub.n;
    const [la, lb] = applyMatrix(T, BigInt.asUintN(shift, r.a), BigInt.asUintN(shift, r.b), shift, tBits);
    let na = (sub.a << bigShift) + la;
    let nb2 = (sub.b << bigShift) + lb;
    // The top part's quotients can be off by a little: restore a ≥ b ≥ 0 (unimodular, so the gcd holds).
    if (na < ZERO) {
      na = -na;
      T = [-T[0], -T[1], T[2], T[3]];
    }
    if (nb2 < ZERO) {
      nb2 = -nb2;
      T = [T[0], T[1], -T[2], -T[3]];
    }
    if (na < nb2) {
      [na, nb2] = [nb2, na];
      T = [T[2], T[3], T[0], T[1]];
    }
    if (needT) r.T = r.T ? multiply(T, r.T, Math.min(tBits, n0 - n)) : T;
    r.a = na;
    r.b = nb2;
    r.n = na === ZERO ? 0 : bitLengthNear(na, sub.n + shift);
  }
}

/** gcd(|a|, |b|); gcd(0, 0) is 0. */
export function gcd(a: bigint, b: bigint): bigint {
  if (a < ZERO) a = -a;
  if (b < ZERO) b = -b;
  if (a < b) [a, b] = [b, a];
  if (b === ZERO) return a;
  // Half of the remaining length at a time: each pass is a half-gcd whose matrix is never needed, and
  // a division step after it halves a's length too (its quotient is small but for rare or chosen inputs).
  let r: Reduced = { a, b, n: bitLength(a), T: null };
  while (r.b !== ZERO && r.n > FINAL_BITS) {
    const stop = Math.max(FINAL_BITS, r.n >> 1);
    r = reduce(r.a, r.b, r.n, stop, false);
    if (r.b !== ZERO) divisionStep(r, bitLengthNear(r.b, stop), false);
  }
  let [x, y] = [r.a, r.b];
  while (y !== ZERO) [x, y] = [y, x % y];
  return x;
}
