/**
 * didbridge: the library entry. Every export is listed by name.
 * @packageDocumentation
 */
export { Resolver, errorResult, expandRelativeUrls, negotiateDocumentType } from './resolver.js';
export type { ResolverConfig, ResolutionEvent } from './resolver.js';
export { dereference, resolveUriReference, MAX_URI_LIST_LENGTH } from './dereference.js';
export type { DereferenceOutcome } from './dereference.js';
export { MemoryCache, DEFAULT_CACHE_POLICY, ttlFor } from './cache.js';
export type { ResolutionCache, CachedOutcome, CachePolicy, MemoryCacheConfig } from './cache.js';
export {
  DidBridgeError,
  InvalidDidError,
  InvalidDidUrlError,
  NotFoundError,
  InvalidOptionsError,
  MethodNotSupportedError,
  FeatureNotSupportedError,
  RepresentationNotSupportedError,
  InvalidDidDocumentError,
  UpstreamError,
  ERROR_TITLES,
  problem,
  parseErrorName,
  legacyErrorKeyword,
  toDidBridgeError,
} from './errors.js';
export { parseDid, parseDidUrl, isDid, isDidUrl, isBareDid, DID_PARAMETERS } from './syntax/did-url.js';
export type { ParsedDid, ParsedDidUrl, SyntaxLimits } from './syntax/did-url.js';
export { produceDocument, serialiseDocument, parseAccept, withContextFirst, withoutContext } from './representation.js';
export { ChangeLog, pointer, metadataPointer, getAtPointer } from './translation.js';
export { UndiciHttpClient, createHttpClient, RefusedAddressError, HTTP_DEFAULTS } from './net/http-client.js';
export type { HttpClientConfig } from './net/http-client.js';
export { AddressPolicy, classifyAddress } from './net/address-policy.js';
export type { AddressClass, AddressPolicyConfig } from './net/address-policy.js';
export { normaliseDatetime, isDidDatetime } from './util/datetime.js';
export { parseJsonSafe } from './util/json.js';
export * as spec from './spec.js';
export * as keys from './keys/index.js';
export type {
  MethodAdapter,
  MethodResolution,
  AdapterContext,
  AdapterCapabilities,
  HttpClient,
  HttpRequestInit,
  HttpResponse,
  Translation,
  DocumentRenderer,
} from './adapter.js';
export type {
  DIDDocument,
  DIDDocumentMetadata,
  DIDResolutionMetadata,
  DIDResolutionResult,
  DereferencingResult,
  DereferencingMetadata,
  DereferencingOptions,
  ResolutionOptions,
  VerificationMethod,
  Service,
  ServiceEndpoint,
  JsonWebKey,
  ChangeRecord,
  ProblemDetails,
  ErrorName,
  MethodTraits,
} from './spec.js';
export { createDriver } from './http/server.js';
export type { Driver, DriverOptions } from './http/server.js';
export type { Route, RouteHandler, RequestContext } from './http/routes.js';
export type { ReadinessCheck, ReadinessState } from './http/meta.js';
export { loadConfig, ConfigError, CONFIG_SETTINGS, environmentVariables, describeConfig } from './config.js';
export type { DidBridgeConfig, ConfigOverrides, ErrorProfileName } from './config.js';
export { createLogger, silentLogger } from './log.js';
export type { Logger, LogLevel } from './log.js';
export { withCacheTtl, cacheTtlMsOf } from './cache.js';
export * as credentials from './credentials/index.js';
export type { DetailedResolution } from './resolver.js';
export { createDeployment, httpConfigFrom, createResolutionCache } from './http/deployment.js';
export type { Deployment, DeploymentOptions } from './http/deployment.js';
export { RedisCache } from './cache/redis.js';
export type { RedisCacheConfig } from './cache/redis.js';
export { DriverMetrics } from './metrics.js';
export { metricsRoute } from './http/routes/metrics.js';
export type { DriverRequestEvent, RequestObserver } from './http/server.js';
export type { RetryPolicy } from './net/retry.js';
export type { BreakerConfig } from './net/breaker.js';
export { translateInput, translateDid, availableShapes, looksLikeDidCoreDocument, W3C_SHAPE } from './translate.js';
export type { TranslateResult, TranslateChange, TranslateStep, TranslateSource, TranslateInputOptions, TranslateDidOptions } from './translate.js';
export { PRESERVED_MEMBER, wrapPreserved, readPreserved, decodePreserved, fingerprint, preserveNativeDocument, carriedNativeDocument } from './preserved.js';
export { translateRoute, TRANSLATE_PREFIX } from './http/translate-route.js';
