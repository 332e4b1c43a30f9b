/**
 * `didbridge resolve --profile legacy-1.0` as a user runs it (a separate process, its stdout, stderr and exit
 * code): the same legacy-1.0 rendering as the driver (resolver-contract.md §2.2), and the profile taken from
 * `DIDBRIDGE_ERROR_PROFILE` when the flag is absent. Each spawn costs seconds on a busy machine: kept to three.
 */
import { describe, expect, it } from 'vitest';
import { KEY_TEST_IDENTIFIERS } from '../../adapters/key/index.js';
import { cliEnv, runCli, type CliRun } from '../helpers/cli.js';

const DID = KEY_TEST_IDENTIFIERS[0]!;
const LEGACY_CONTEXT = 'https://w3id.org/did-resolution/v1';

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { env: cliEnv(extraEnv) });
}

describe('didbridge resolve --profile legacy-1.0', { timeout: 120_000 }, () => {
  it('prints legacy results: @context first, errors as strings with their message on stderr', async () => {
    const [ok, failed, fromEnv] = await Promise.all([
      run(['resolve', DID, '--profile', 'legacy-1.0', '--json', '--accept', 'application/ld+json;profile="https://w3id.org/did-resolution"']),
      run(['resolve', 'did:key:nope', '--profile', 'legacy-1.0', '--json']),
      run(['resolve', 'did:nope:123', '--json'], { DIDBRIDGE_ERROR_PROFILE: 'legacy-1.0' }),
    ]);

    expect(ok.code, ok.stderr).toBe(0);
    const result = JSON.parse(ok.stdout);
    expect(Object.keys(result)[0]).toBe('@context');
    expect(result['@context']).toBe(LEGACY_CONTEXT);
    expect(result.didDocument.id).toBe(DID);
    expect(result.didResolutionMetadata.contentType).toBe('application/did+ld+json');

    expect(failed.code).toBe(1);
    const error = JSON.parse(failed.stdout);
    expect(error['@context']).toBe(LEGACY_CONTEXT);
    expect(error.didResolutionMetadata.error).toBe('invalidDid');
    expect(error.didDocument).toBeNull();
    // The error name, and the detail read from errorMessage (the legacy form has no error.detail).
    expect(failed.stderr).toBe(`error: INVALID_DID: ${error.didResolutionMetadata.errorMessage}\n`);
    expect(error.didResolutionMetadata.errorMessage.length).toBeGreaterThan(0);

    expect(fromEnv.code).toBe(1);
    expect(JSON.parse(fromEnv.stdout).didResolutionMetadata.error).toBe('methodNotSupported');
  });
});
