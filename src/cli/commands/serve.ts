/**
 * `didbridge serve [--port N] [--host H] [--config FILE]`: runs the Universal Resolver driver until SIGTERM or
 * SIGINT, then shuts down gracefully (in-flight requests finish within `limits.shutdownGraceMs`). A second signal
 * exits at once.
 */
import type { Argv, CommandModule } from 'yargs';
import { verifyRoute } from '../../http/routes/verify.js';
import { createLogger } from '../../log.js';
import { configFromArgs, EXIT, startDeployment, type GlobalArgs } from '../runtime.js';

interface ServeArgs extends GlobalArgs {
  port?: number;
  host?: string;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export const serveCommand: CommandModule<GlobalArgs, ServeArgs> = {
  command: 'serve',
  describe: 'Run the Universal Resolver driver (HTTP)',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .option('port', { type: 'number', describe: 'TCP port (env PORT, default 8080)' })
      .option('host', { type: 'string', describe: 'interface to bind (env HOST, default 127.0.0.1)' })
      .check((args) => {
        if (args.port !== undefined && (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)) {
          throw new Error('--port must be an integer from 0 to 65535');
        }
        return true;
      }) as Argv<ServeArgs>,
  handler: async (args) => {
    const config = configFromArgs(args, { port: args.port, host: args.host });
    const logger = createLogger({ level: config.logLevel, base: { service: 'didbridge' } });
    const runtime = await startDeployment(config, {
      logger,
      onResolved: (event) => {
        if (event.error && event.error !== 'NOT_FOUND') logger.warn('resolution failed', { ...event });
        else logger.debug('resolved', { ...event });
      },
    });
    if (runtime.sandbox.sandbox) {
      logger.info('sandbox registry started', {
        url: runtime.sandbox.sandbox.url,
        adapters: runtime.sandbox.served,
        note: 'these methods resolve from local emulators; configure their upstream URLs (or DIDBRIDGE_SANDBOX=off) to use real networks',
      });
    }
    const { driver } = runtime.deployment;
    driver.routes.add(verifyRoute());
    try {
      await driver.listen(config.port, config.host);
    } catch (err) {
      logger.error('cannot listen', { host: config.host, port: config.port, error: err });
      process.stderr.write(`didbridge serve: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}\n`);
      await runtime.close();
      process.exitCode = EXIT.FAILED;
      return;
    }
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        for (const s of SIGNALS) process.off(s, onSignal);
        logger.info('signal received', { signal });
        // A second signal means "now": do not wait for the grace period.
        for (const s of SIGNALS) process.once(s, () => process.exit(EXIT.FAILED));
        runtime
          .close()
          .then(resolve, (err: unknown) => {
          logger.error('shutdown failed', { error: err });
          process.exitCode = EXIT.FAILED;
          resolve();
        });
      };
      for (const s of SIGNALS) process.on(s, onSignal);
    });
  },
};
