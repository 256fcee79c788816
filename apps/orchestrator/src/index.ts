/** The orchestrator as a library: build and supervise a fleet in-process (tests, benchmarks, tools). */
export { type ApiServer, startApiServer } from './api-server.js';
export {
  buildChildSpecs,
  type ChildKind,
  type ChildSpec,
  FleetSpecError,
  workspaceRootFor,
} from './child-spec.js';
export { EXPORT_TARGETS, type ExportTarget, exportFleet } from './export-targets.js';
export { Fleet, FleetStartError, type RiskVerdict, UnknownAppError } from './fleet.js';
export { createOrchestrator, type Orchestrator, stopBudgetMs } from './orchestrator.js';
export { type FleetStatus, fleetStatus } from './status.js';
export { type AppSnapshot, type AppState, SupervisedApp } from './supervised-app.js';
