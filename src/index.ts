/** `cachetag`: the public API, re-exports only (the engine, directives, stores, codec, metrics events). */
export {
  createCache,
  defaultSessionId,
  queryHash,
  type Cache,
  type CacheOptions,
  type CloseResult,
  type InvalidationSink,
  type EntityRef,
  type Logger,
  type OperationOutcome,
  type OperationPolicy,
  type OperationRequest,
  type SessionIdFunction,
  type StoredResponse,
  type StoredResponseOptions,
  type StoredResponseRequest,
} from './engine/engine.js';
export { defaultFlightTimeoutMs, defaultMaxFlightJoiners, type FlightOptions } from './engine/flightOptions.js';
export {
  defaultDeliveryAttempts,
  defaultDeliveryTimeoutMs,
  defaultMaxQueuedDeliveries,
  defaultRetryDelayMs,
  defaultCloseTimeoutMs,
  type Invalidation,
  type InvalidationDeliveryOptions,
  type InvalidationListener,
} from './engine/invalidationDelivery.js';
export { cacheDirectivesTypeDefs, cacheDirectivesTypeDefsFor } from './directives/sdl.js';
export {
  validateCacheDirectives,
  assertValidCacheDirectives,
  type CacheDirectives,
  type CacheHint,
  type CacheScope,
  type FieldCacheInfo,
  type TypeCacheInfo,
  type ValidateOptions,
} from './directives/validate.js';
export { buildCachePlan, effectivePolicy, type CachePlan, type FieldPlan } from './engine/plan.js';
export { privateBelow } from './engine/privacy.js';
export { staticCachePolicy, type StaticCachePolicy } from './engine/policy.js';
export { canonicalize, entryKey, type KeyParts } from './engine/key.js';
export type { RequestScope, FieldDebugRecord, RequestScopeOptions } from './engine/requestScope.js';
export {
  createMemoryStore,
  defaultMaxBytes,
  defaultMaxEntries,
  defaultMaxTagVersions,
  type MemoryStore,
  type MemoryStoreOptions,
  type Clock,
} from './stores/memory.js';
export { withDeadline, defaultReadTimeoutMs, defaultWriteTimeoutMs, type DeadlineOptions } from './stores/wrappers/withDeadline.js';
export { withBreaker, defaultBreakerThreshold, defaultBreakerCooldownMs, type BreakerOptions, type BreakerStore } from './stores/wrappers/withBreaker.js';
export type { BreakerState } from './stores/wrappers/breaker.js';
export type { DeadlineTimers } from './stores/wrappers/deadline.js';
export type { Store, StoreCloseResult, StoreEntry, StoreHost, StoreLookup, StoreMiss, StoreRead, StoreSeq } from './stores/types.js';
export { createCodec, defaultCompressAboveBytes, defaultMaxValueBytes, CODEC_FORMAT_VERSION, type Codec, type CodecOptions } from './codec/codec.js';
export { ancestorsAndSelf, assertValidTag, entityTag, escapeTagSegment, expandTags, isValidTag, TAG_SEPARATOR } from './tags/hierarchy.js';
export { encodeTagForHeader, tagsHeaderSeparator, tagsHeaderValue } from './http/tagsHeader.js';
export { narrowCacheControl } from './http/cacheControlHeader.js';
export {
  defaultCsrfPreventionRequestHeaders,
  fastPathHeaders,
  requestHeader,
  screenRequest,
  type FastPathRequest,
  type HeaderSource,
  type ScreenOptions,
  type ScreenResult,
} from './http/screen.js';
export {
  adapterOf,
  createAdapter,
  type AdapterSource,
  type CacheTagAdapter,
  type FastPathAnswer,
  type FastPathOptions,
  type PersistedQueryRegistry,
  type SessionIdFromRequest,
} from './adapter/adapter.js';
export { fillTagTemplate, parseTagTemplate, literalPrefix, type TagTemplate, type FilledTemplate } from './tags/template.js';
export {
  fieldChannel,
  invalidationChannel,
  type CacheStats,
  type FieldEvent,
  type FieldOutcome,
  type FieldReason,
  type InvalidationEvent,
  type OutcomeCounts,
} from './metrics/events.js';
export type { CounterBatch } from './metrics/counterBatch.js';
export { defaultLiveCountersIntervalMs, type LiveCountersOption } from './engine/liveCounters.js';
export type { EntryInfo } from './stores/entryInfo.js';
export {
  CacheTagError,
  CacheTagSchemaError,
  isUnacknowledgedInvalidation,
  UnacknowledgedInvalidationError,
  type CacheTagErrorCode,
  type SchemaProblem,
  type SourceLocation,
} from './errors.js';
