/**
 * The sandbox registry: a local server that speaks each domestic upstream's wire format over an SQLite store, for
 * adapters' tests, demos and the CLI. Per-method emulators plug in through {@link UpstreamEmulator}.
 * @packageDocumentation
 */
export { SandboxStore, STORE_DEFAULTS } from './store.js';
export type {
  SandboxStoreOptions,
  DidRecord,
  DidVersion,
  DocumentInput,
  PutInput,
  UpdateInput,
  DeactivateInput,
  VersionQuery,
  ListOptions,
} from './store.js';
export {
  createEmulatorContext,
  sandboxRequest,
  jsonReply,
  rawReply,
  bodyMember,
  mountOf,
  MOUNT_NAME,
  RESERVED_MOUNTS,
} from './emulator.js';
export type {
  UpstreamEmulator,
  EmulatorContext,
  EmulatorContextOptions,
  SandboxRequest,
  SandboxRequestInit,
  SandboxResponse,
  ReplyOptions,
  CreateParams,
  UpdateParams,
  DeactivateParams,
  CreatedDid,
} from './emulator.js';
export { startSandbox, SANDBOX_DEFAULTS } from './server.js';
export type { Sandbox, SandboxOptions, SandboxLimits, SandboxRequestEvent } from './server.js';
export { FaultInjector, FAULT_KINDS, FAULT_DEFAULTS, GARBAGE_BODY, parseFaultSpec, mentionsDid } from './faults.js';
export type { Fault, FaultSpec, FaultKind, FaultLimits, FaultTarget } from './faults.js';
export { handleAdmin, errorReply, MAX_ADMIN_LIST } from './admin.js';
export type { AdminDeps } from './admin.js';
export { createDid, updateDid, deactivateDid } from './operations.js';
export type { SandboxOperationOptions } from './operations.js';
export { KEY_FILE_FORMAT, keyFileFor, parseKeyFile, writeKeyFile, defaultKeyFileName } from './key-file.js';
export type { KeyFile, WriteKeyFileOptions } from './key-file.js';
export { SandboxError, SANDBOX_ERROR_REASONS, sandboxErrorStatus, parseSandboxErrorReason } from './errors.js';
export type { SandboxErrorReason } from './errors.js';
export { loadSample, parseSourceManifest, provenanceOf } from './samples.js';
export type { Sample, SampleEntry, LoadSampleOptions } from './samples.js';
