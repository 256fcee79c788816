/**
 * Bench child, the floor: a forwarder with no logic at all (each client connection piped to its own
 * upstream connection, bytes untouched) in front of the upstream given as argv[2]. What one more
 * loopback hop through a Node process costs on this machine, whatever that process does.
 */
import net from 'node:net';

const upstreamUrl = process.argv[2];
if (upstreamUrl === undefined) throw new Error('usage: pipe.ts <upstream url>');
const upstream = new URL(upstreamUrl);
const server = net.createServer((client) => {
  const up = net.connect({ host: upstream.hostname, port: Number(upstream.port) });
  client.setNoDelay(true);
  up.setNoDelay(true);
  client.pipe(up).pipe(client);
  const close = () => {
    client.destroy();
    up.destroy();
  };
  client.on('error', close).on('close', close);
  up.on('error', close).on('close', close);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
});
process.stdin.on('data', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
