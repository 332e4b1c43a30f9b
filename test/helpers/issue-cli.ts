/**
 * `didbridge issue` run in process through yargs, as main.ts registers it, with its output collected: the issue
 * tests' way of exercising the command without spawning a process per case.
 */
import yargs from 'yargs';
import { createIssueCommand } from '../../src/cli/commands/issue.js';
import { UsageError } from '../../src/cli/runtime.js';

/** Runs `issue <argv>` at the clock `now`; resolves with what it printed, rejects with its usage or input error. */
export async function runIssueCommand(now: () => Date, ...argv: string[]): Promise<{ stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  await yargs(argv)
    .command(createIssueCommand({ stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t), now }))
    .strict()
    .exitProcess(false)
    .fail((message, err) => {
      throw err ?? new UsageError(message);
    })
    .parseAsync();
  return { stdout: stdout.join(''), stderr: stderr.join('') };
}
