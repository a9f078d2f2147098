import type { Command } from '../command';
import { attackCommand } from './attack';
import { crackCommand } from './crack';
import { decodeCommand } from './decode';
import { decryptCommand } from './decrypt';
import { encryptCommand } from './encrypt';
import { dpopCommand } from './dpop';
import { issuerCommand } from './issuer';
import { keygenCommand } from './keygen';
import { keysCommand } from './keys';
import { lintCommand } from './lint';
import { probeCommand } from './probe';
import { recoverKeyCommand } from './recover-key';
import { signCommand } from './sign';
import { verifyCommand } from './verify';

/** Every subcommand, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [decodeCommand, verifyCommand, signCommand, decryptCommand, encryptCommand, lintCommand, issuerCommand, keygenCommand, keysCommand, attackCommand, probeCommand, crackCommand, recoverKeyCommand, dpopCommand];
