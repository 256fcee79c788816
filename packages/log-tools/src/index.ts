// @drift/log-tools: the pieces behind the drift-logs CLI, for scripts that want results, not text.
export {
  type AppAudit,
  type AuditResult,
  auditWorkspace,
  type Finding,
  type Severity,
} from './audit/audit.js';
export { AUDIT_STATE_FILE } from './audit/state.js';
export { InputError } from './input-error.js';
export { applyChanges, BACKUP_DIR } from './migrate/apply.js';
export { type AppPlan, type FileChange, planApp, type Unsafe } from './migrate/plan.js';
export { type AppHealth, type Check, inspectApp, type MonitorLimits } from './monitor/inspect.js';
export { type CliIo, runCli } from './run-cli.js';
export { readWorkspace, type Workspace, type WorkspacePackage } from './workspace.js';
