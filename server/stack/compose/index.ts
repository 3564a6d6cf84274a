// The compose model's public face: what the engine, readiness, the orchestrator and the CLI import.
export * from './model';
export { discoverComposeFiles, composeSettings, type ComposeSettings } from './discover';
export { loadComposeProject, projectName } from './load';
export { dependencyOrder, withDependencies, findCycle } from './order';
