/**
 * Explicit bounds on what a translation processes, so that a hostile or broken upstream document (up to the HTTP
 * client's size limit, 1 MiB by default) cannot cost seconds of CPU: reading a key costs about a millisecond (a point
 * check or a field square root), and a 1 MiB BID document can list several thousand keys. Published documents have
 * one to three keys and a handful of services.
 */
import { DidBridgeError } from '../../src/errors.js';

/** Limits of a translation. */
export interface TranslationLimits {
  /** Most verification methods a document may list (publicKey, verificationMethod and embedded ones). Default 100. */
  maxVerificationMethods?: number;
  /** Most entries of any other list: each relationship, alsoKnownAs, service. Default 100. */
  maxListEntries?: number;
}

/** The defaults of {@link TranslationLimits}. */
export const TRANSLATION_LIMIT_DEFAULTS: Readonly<Required<TranslationLimits>> = Object.freeze({
  maxVerificationMethods: 100,
  maxListEntries: 100,
});

/**
 * Checks limits given as settings (a TypeError names the setting) and fills in the defaults.
 * @throws TypeError for a limit that is not a positive integer
 */
export function checkTranslationLimits(limits: TranslationLimits | undefined): Required<TranslationLimits> {
  if (limits === undefined) return { ...TRANSLATION_LIMIT_DEFAULTS };
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) throw new TypeError('"limits" must be an object');
  const out = { ...TRANSLATION_LIMIT_DEFAULTS };
  for (const name of Object.keys(TRANSLATION_LIMIT_DEFAULTS) as Array<keyof TranslationLimits>) {
    const value = limits[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`"limits.${name}" must be a positive integer, got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out;
}

/** Throws INTERNAL_ERROR (reason `limit-exceeded`) when a count passes a limit. */
export function enforceLimit(count: number, limits: Required<TranslationLimits>, name: keyof TranslationLimits, what: string): void {
  if (count > limits[name]) {
    throw new DidBridgeError('INTERNAL_ERROR', `${what} has ${count} entries; didbridge processes at most ${limits[name]} (limits.${name})`, {
      extensions: { reason: 'limit-exceeded', limit: name },
    });
  }
}
