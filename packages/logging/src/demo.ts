/**
 * `pnpm start` until the orchestrator runs the fleet: a few lines at each level, with fields, a
 * child logger and an error, to logs/logging-demo.log (compact) and the console (verbose).
 */
import { flushLogs, logFilePath, setupCriticalLogging } from './index.js';

const logger = setupCriticalLogging('logging-demo', { logLevel: 'debug' });

function fillOrder(orderId: number) {
  logger.info(
    { market: 'SOL-PERP', orderId, price: 150_250_000n, size: 1_500_000_000n, side: 'buy' },
    'Order filled',
  );
}

logger.debug(
  { rpc: 'https://mainnet.helius-rpc.com/?api-key=0123456789abcdef' },
  'connecting (the api key is redacted)',
);
fillOrder(42);
const risk = logger.child({ component: 'risk' });
risk.warn({ market: 'SOL-PERP', position: '48.5', limit: '50' }, 'position near its limit');
risk.error({ err: new Error('oracle stale for 7000 ms') }, 'halting quotes');
await flushLogs();
logger.info({ file: logFilePath('logging-demo') }, 'demo done: the same lines, compact, are in the file');
