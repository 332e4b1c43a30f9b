/**
 * The CLI's commands, registered from this one list: adding a command (`translate`, `verify`, `conformance`) means
 * writing a yargs `CommandModule` and adding it here.
 */
import type { CommandModule } from 'yargs';
import { SANDBOX_EMULATORS } from '../../../adapters/index.js';
import { conformanceCommand } from './conformance.js';
import { issueCommand } from './issue.js';
import { keysCommand } from './keys.js';
import { methodsCommand } from './methods.js';
import { resolveCommand } from './resolve.js';
import { makeSandboxCommand } from './sandbox.js';
import { serveCommand } from './serve.js';
import { verifyCommand } from './verify.js';
import { translateCommand } from './translate.js';

// Commands declare their own argument types; the list only needs them to be modules.
export const COMMANDS: ReadonlyArray<CommandModule<any, any>> = [
  serveCommand,
  resolveCommand,
  methodsCommand,
  keysCommand,
  makeSandboxCommand(SANDBOX_EMULATORS),
  issueCommand,
  translateCommand,
  verifyCommand,
  conformanceCommand,
];
