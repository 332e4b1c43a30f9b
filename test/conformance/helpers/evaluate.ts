/** Runs the whole catalogue over observations, the way the runner does, for tests that look at single fixtures. */
import { aggregateStatus, applyCheck, type Check, type CheckStatus, type CheckSubject } from '../../../conformance/catalogue.js';
import { CATALOGUE } from '../../../conformance/checks/index.js';
import type { Observation } from '../../../conformance/targets.js';

/** The status of every check over the observations (n/a when none is of its subject). */
export function evaluate(observations: readonly Observation[]): Map<string, { status: CheckStatus; outcomes: ReturnType<typeof applyCheck> }> {
  const out = new Map<string, { status: CheckStatus; outcomes: ReturnType<typeof applyCheck> }>();
  for (const check of CATALOGUE) {
    const outcomes = observations
      .filter((o) => o.subject === check.subject)
      .flatMap((o) => applyCheck(check as Check<CheckSubject>, o.input as never));
    out.set(check.id, { status: aggregateStatus(outcomes), outcomes });
  }
  return out;
}

/** Ids of the checks that fail (MUST or SHOULD). */
export function failing(observations: readonly Observation[]): string[] {
  return [...evaluate(observations)].filter(([, r]) => r.status === 'fail').map(([id]) => id);
}
