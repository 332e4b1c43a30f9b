/**
 * The CLI's commands, registered from this one list: adding a command (`translate`, `keys`, `sandbox`, `verify`,
 * `conformance`) means writing a yargs `CommandModule` and adding it here.
 */
import type { CommandModule } from 'yargs';
import { methodsCommand } from './methods.js';
import { resolveCommand } from './resolve.js';
import { serveCommand } from './serve.js';

// Commands declare their own argument types; the list only needs them to be modules.
export const COMMANDS: ReadonlyArray<CommandModule<any, any>> = [serveCommand, resolveCommand, methodsCommand];
