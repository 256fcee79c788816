/** rpc-manager's `apps.rpc-manager.params` schema, for the orchestrator's check before any process starts. */
export { rpcManagerParamsSchema as paramsSchema } from './settings.js';
