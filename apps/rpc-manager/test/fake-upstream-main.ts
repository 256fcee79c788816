/**
 * `pnpm --filter rpc-manager fake-upstream -- [--port N] [--slot N] [--slot-ms N] [--paired-ws-port]`:
 * the test upstream as its own process, for end-to-end runs (paper mode puts rpc-manager in front
 * of these). Prints one JSON line `{ url, wsUrl, control }`; change its behaviour with
 * `POST <control>` `{ "behaviour": { "kind": "slow", "delayMs": 800 } }` (or `status` 429 with
 * `retryAfter`, `hang`, `drop`, `ok`), `{ "slot": N }`, `{ "healthy": false }`; SIGTERM stops it.
 */
import { parseArgs } from 'node:util';
import { CONTROL_PATH, FakeUpstream } from './fake-upstream.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    slot: { type: 'string', default: '1000' },
    'slot-ms': { type: 'string', default: '400' },
    'paired-ws-port': { type: 'boolean', default: false },
  },
});
const number = (flag: string, text: string) => {
  if (!/^\d+$/.test(text)) {
    process.stderr.write(`fake-upstream: --${flag}: ${JSON.stringify(text)} is not a whole number\n`);
    process.exit(2);
  }
  return Number(text);
};
const upstream = await FakeUpstream.start({
  port: number('port', values.port),
  slot: number('slot', values.slot),
  slotMs: number('slot-ms', values['slot-ms']),
  pairedWsPort: values['paired-ws-port'],
});
process.stdout.write(
  `${JSON.stringify({ url: upstream.url, wsUrl: upstream.wsUrl, control: upstream.url + CONTROL_PATH })}\n`,
);
setInterval(() => upstream.calls.splice(0), 1_000).unref();
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => void upstream.close().then(() => process.exit(0)));
