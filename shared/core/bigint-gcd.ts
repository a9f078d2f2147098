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
 */

/** Extra leading bits kept in a top part beyond twice the reduction, so its quotients match the whole's. */
const MARGIN = 32;
/** Below this many bits, Lehmer's algorithm is faster than recursing. */
const LEHMER_BITS = 512;
/** At the outermost level, reduce by this fraction of the current size per step. */
const OUTER_FRACTION = 0.33;
/** A quotient this many bits long is found by one division rather than by top parts. */
const QUOTIENT_GAP = 32;

const ZERO = 0n;
const ONE = 1n;
const TWO_53 = 2n ** 53n;

/** Row-major 2×2 matrix [t00, t01, t10, t11]: (a', b') = (t00·a + t01·b, t10·a + t11·b). */
type Matrix = [bigint, bigint, bigint, bigint];

/** Number of bits of |x| (0 for 0). */
export function bitLength(x: bigint): number {
  if (x < ZERO) x = -x;
  if (x < TWO_53) {
    let v = Number(x);
    let n = 0;
    if (v >= 4294967296) {
      v = Math.floor(v / 4294967296);
      n = 32;
    }
    return n + 32 - Math.clz32(v);
  }
  // Hex conversion is linear for a power-of-two radix; at 134M bits it takes tens of milliseconds.
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(parseInt(hex[0]!, 16));
}

/** X·Y */
function multiply(X: Matrix, Y: Matrix): Matrix {
  return [
    X[0] * Y[0] + X[1] * Y[2],
    X[0] * Y[1] + X[1] * Y[3],
    X[2] * Y[0] + X[3] * Y[2],
    X[2] * Y[1] + X[3] * Y[3],
  ];
}

interface Reduced {
  a: bigint;
  b: bigint;
  /** (a, b) = T·(input a, input b); null when not asked for, or when nothing was done. */
  T: Matrix | null;
}

/** One Euclid step (a, b) → (b, a mod b), for when a top part says nothing useful (a huge quotient). */
function divisionStep(r: Reduced, needT: boolean): void {
  const q = r.a / r.b;
  const rem = r.a - q * r.b;
  r.a = r.b;
  r.b = rem;
  if (needT) {
    const T = r.T ?? [ONE, ZERO, ZERO, ONE];
    r.T = [T[2], T[3], T[0] - q * T[2], T[1] - q * T[3]];
  }
}

/** Lehmer's algorithm on a ≥ b ≥ 0 until b < 2^stop. */
function lehmer(a: bigint, b: bigint, stop: number, needT: boolean): Reduced {
  const r: Reduced = { a, b, T: null };
  let [t00, t01, t10, t11] = [ONE, ZERO, ZERO, ONE];
  let touched = false;
  for (;;) {
    if (bitLength(r.b) <= stop) break;
    const n = bitLength(r.a);
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
    if (B === 0) {
      if (needT) r.T = [t00, t01, t10, t11];
      divisionStep(r, needT);
      if (needT) [t00, t01, t10, t11] = r.T!;
      touched = true;
      continue;
    }
    const [bA, bB, bC, bD] = [BigInt(A), BigInt(B), BigInt(C), BigInt(D)];
    [r.a, r.b] = [bA * r.a + bB * r.b, bC * r.a + bD * r.b];
    if (needT) [t00, t01, t10, t11] = [bA * t00 + bB * t10, bA * t01 + bB * t11, bC * t00 + bD * t10, bC * t01 + bD * t11];
    touched = true;
  }
  r.T = needT && touched ? [t00, t01, t10, t11] : null;
  return r;
}

/**
 * Reduces a ≥ b ≥ 0 by Euclid-like unimodular steps until b < 2^stop (about: a little over or under is
 * fine for the callers). With `needT`, also returns the matrix of the whole reduction.
 */
function reduce(a: bigint, b: bigint, stop: number, needT: boolean): Reduced {
  const r: Reduced = { a, b, T: null };
  for (;;) {
    const nb = bitLength(r.b);
    if (nb <= stop) return r;
    const n = bitLength(r.a);
    if (n <= LEHMER_BITS) {
      const l = lehmer(r.a, r.b, stop, needT);
      r.a = l.a;
      r.b = l.b;
      if (needT && l.T) r.T = r.T ? multiply(l.T, r.T) : l.T;
      return r;
    }
    if (n - nb > QUOTIENT_GAP) {
      divisionStep(r, needT);
      continue;
    }
    // How far this step reduces: at the outermost level a fraction of the size; inside, when the numbers
    // are not much longer than twice the reduction, half of it (the two halves of the half-gcd).
    let d = n - stop;
    if (!needT) d = Math.min(d, Math.floor(n * OUTER_FRACTION));
    else if (n <= 2 * d + MARGIN) d = Math.ceil(d / 2);
    const shift = n - (2 * d + MARGIN);
    if (shift <= 0) {
      divisionStep(r, needT);
      continue;
    }
    const bigShift = BigInt(shift);
    const aHigh = r.a >> bigShift;
    const bHigh = r.b >> bigShift;
    const sub = reduce(aHigh, bHigh, n - d - shift, true);
    let T = sub.T;
    if (T === null) {
      divisionStep(r, needT);
      continue;
    }
    // T·(high·2^shift + low) = (T·high)·2^shift + T·low, and T·high is what the sub-reduction computed.
    const aLow = r.a - (aHigh << bigShift);
    const bLow = r.b - (bHigh << bigShift);
    let na = (sub.a << bigShift) + T[0] * aLow + T[1] * bLow;
    let nb2 = (sub.b << bigShift) + T[2] * aLow + T[3] * bLow;
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
    r.a = na;
    r.b = nb2;
    if (needT) r.T = r.T ? multiply(T, r.T) : T;
  }
}

/** gcd(|a|, |b|); gcd(0, 0) is 0. */
export function gcd(a: bigint, b: bigint): bigint {
  if (a < ZERO) a = -a;
  if (b < ZERO) b = -b;
  if (a < b) [a, b] = [b, a];
  const r = reduce(a, b, 64, false);
  let [x, y] = [r.a, r.b];
  while (y !== ZERO) [x, y] = [y, x % y];
  return x;
}
