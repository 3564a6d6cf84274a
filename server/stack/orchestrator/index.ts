// The orchestrator's public face: what the CLI verbs and the daemon import.
export { up, CANCELLED, type UpOptions } from './up';
export { targetServices } from './targets';
export { stop, restart, logs, type LifecycleOptions, type LogsOptions } from './lifecycle';
export { detectComposeCli, ComposeCliMissingError, ComposeCommandError, type ComposeCli } from './composeCli';
export { formatProgress, explainFailure, type ProgressEvent, type ProgressPhase, type OrchestrationResult, type ServiceFailure, type BlockedService } from './progress';
export { EngineUnreachableError } from './watch';
