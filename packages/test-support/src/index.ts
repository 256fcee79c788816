export {
  type AppProcess,
  type AppProcessOptions,
  type Heartbeat,
  isHeartbeat,
  isReady,
  startAppProcess,
} from './app-process.js';
export { describeBotUnderOrchestrator } from './bot-contract.js';
export { testFleetConfig } from './fleet-config.js';
export { freePort } from './free-port.js';
export { type LogLevel, type LogLine, type RecordingLogger, recordingLogger } from './recording-logger.js';
