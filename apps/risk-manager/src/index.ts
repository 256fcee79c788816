export { type Alert, AlertDispatcher, type Webhook } from './alerts.js';
export { RiskMonitor, type RiskMonitorOptions, type StateChange } from './monitor.js';
export { loadRiskState, type PersistedRiskState, saveRiskState } from './state-store.js';
