// The web-standard globals shared/ may use: present in browsers, workers, Node ≥ 20 and Electron.
// Declared here (not via lib "DOM") so that window, document or Buffer do not compile in shared/.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
interface CryptoKey {
  readonly algorithm: { name: string; [k: string]: unknown };
  readonly extractable: boolean;
  readonly type: 'secret' | 'public' | 'private';
  readonly usages: string[];
}
declare var crypto: {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  randomUUID(): string;
};
