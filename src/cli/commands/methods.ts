/**
 * `didbridge methods [--json]`: the DID methods this configuration serves (what `GET /1.0/methods` returns), with
 * their adapter and test identifiers in the human form.
 */
import type { CommandModule } from 'yargs';
import { configFromArgs, startRuntime, EXIT, printJson, wantsJson, type GlobalArgs } from '../runtime.js';

export const methodsCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'methods',
  describe: 'List the DID methods served',
  handler: async (args) => {
    const runtime = await startRuntime(configFromArgs(args));
    const { resolver } = runtime;
    try {
      const methods = resolver.methods();
      if (wantsJson(args)) {
        printJson(methods);
      } else {
        const tests = resolver.testIdentifiers();
        for (const method of methods) {
          const adapter = resolver.adapterFor(method)!;
          const n = tests[method]?.length ?? 0;
          process.stdout.write(`${method.padEnd(12)} adapter ${adapter.id}, ${n} test identifier${n === 1 ? '' : 's'}\n`);
        }
      }
      process.exitCode = EXIT.OK;
    } finally {
      await runtime.close();
    }
  },
};
