/**
 * didbridge conformance: the check catalogue, the runner, targets, baseline and reporters.
 * @packageDocumentation
 */
export {
  aggregateStatus,
  applyCheck,
  assertCatalogue,
  describeCheck,
  mustFailures,
  OutcomeCollector,
} from './catalogue.js';
export type {
  AnyCheck,
  Check,
  CheckInfo,
  CheckLevel,
  CheckOutcome,
  CheckResult,
  CheckStatus,
  CheckSubject,
  DereferencingUnderTest,
  DocumentUnderTest,
  HttpExchangeUnderTest,
  OutcomeStatus,
  ResolutionUnderTest,
  StatementSource,
  SubjectInputs,
} from './catalogue.js';
export { CATALOGUE, compareIds } from './checks/index.js';
export {
  checkDocument,
  DID_CORE_DOCUMENT_CHECKS,
  JWK_PRIVATE_MEMBERS,
  METADATA_PROPERTY_NAMES,
  VERIFICATION_MATERIAL_PROPERTIES,
} from './checks/did-core.js';
export type { CheckDocumentOptions } from './checks/did-core.js';
export { isUri, normalisationProblem, splitUri, uriProblem } from './checks/uri.js';
export type { UriParts } from './checks/uri.js';
export { runConformance } from './run.js';
export type {
  BaselineReport,
  ConformanceReport,
  HiddenFailure,
  NewFailure,
  ReportedOutcome,
  ReportSummary,
  ResultCounts,
  RunOptions,
  TargetCheckResult,
  TargetReport,
} from './run.js';
export { documentFixtureTargets } from './targets.js';
export type { ConformanceTarget, DocumentFixtureTargetOptions, Observation, ObserveContext } from './targets.js';
export { Baseline, loadBaseline, parseBaseline } from './baseline.js';
export type { BaselineEntry } from './baseline.js';
export { loadFixtureDirectory, parseDocumentFixture, parseInvalidDocumentFixture } from './fixtures.js';
export type { DocumentFixture, InvalidDocumentFixture, LoadedFixture } from './fixtures.js';
export { renderJson } from './reporters/json.js';
export { renderJunit } from './reporters/junit.js';
export { renderMarkdown } from './reporters/markdown.js';
export { shortStatement } from './reporters/text.js';
