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
  DriverEndpoint,
  ErrorProfile,
  ErrorUnderTest,
  ExpectedOutcome,
  GoldenTranslation,
  HttpExchangeUnderTest,
  OutcomeStatus,
  ResolutionUnderTest,
  StatementSource,
  SubjectInputs,
  TranslationUnderTest,
} from './catalogue.js';
export { EXPECTED_OUTCOMES } from './catalogue.js';
export { RESOLUTION_CHECKS, ERROR_CHECKS, DID_RESOLUTION, UNIVERSAL_RESOLVER } from './checks/resolution.js';
export { DEREFERENCING_CHECKS } from './checks/dereferencing.js';
export { HTTP_CHECKS, BINDING_ERROR_STATUS, bindingStatusFor } from './checks/http.js';
export { TRANSLATION_CHECKS } from './checks/translation.js';
export { dereferencingObservations, httpObservations, resolutionObservations, translationObservations } from './observe.js';
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
  ProgressEvent,
  TranslationView,
  HiddenFailure,
  NewFailure,
  ReportedOutcome,
  ReportSummary,
  ResultCounts,
  RunOptions,
  TargetCheckResult,
  TargetReport,
} from './run.js';
export { documentFixtureTargets, fixtureObservations } from './targets.js';
export { fixtureTargets, translatedFixtureTargets, parseGolden, nativeDocumentBase } from './targets/fixtures.js';
export type { FixtureTargetOptions } from './targets/fixtures.js';
export { libraryTargets, libraryExecutor } from './targets/library.js';
export type { LibraryTargetOptions } from './targets/library.js';
export { driverTargets, driverRoot } from './targets/driver.js';
export type { DriverTargetOptions } from './targets/driver.js';
export { startSandboxedDeployment } from './targets/sandboxed.js';
export type { SandboxedDeployment, SandboxedDeploymentOptions } from './targets/sandboxed.js';
export { genericCases, resolutionCases, dereferencingCases, runMethodCases, invalidDidsOf } from './targets/cases.js';
export type { Case, CaseExecutor, KnownDids } from './targets/cases.js';
export { buildDidTestSuiteFiles, writeDidTestSuiteExport } from './export/did-test-suite.js';
export type { DidTestSuiteExport, DidTestSuiteExportOptions, ExportFile } from './export/did-test-suite.js';
export { runConformanceCommand, exportDidTestSuiteCommand, ConformanceUsageError, REPORT_FILES } from './command.js';
export { createProgress } from './progress.js';
export type { ConformanceTarget, DocumentFixtureTargetOptions, Observation, ObserveContext } from './targets.js';
export { Baseline, loadBaseline, parseBaseline } from './baseline.js';
export type { BaselineEntry } from './baseline.js';
export {
  isDocumentFixture,
  loadFixtureDirectory,
  parseDocumentFixture,
  parseFixture,
  parseInvalidDocumentFixture,
  parseInvalidFixture,
} from './fixtures.js';
export type { DocumentFixture, InvalidDocumentFixture, InvalidFixture, LoadedFixture, SubjectFixture } from './fixtures.js';
export { renderJson } from './reporters/json.js';
export { renderJunit } from './reporters/junit.js';
export { renderMarkdown } from './reporters/markdown.js';
export { renderHtml } from './reporters/html.js';
export { shortStatement } from './reporters/text.js';
