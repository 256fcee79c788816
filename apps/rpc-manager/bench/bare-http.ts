/**
 * Bench child, the second floor: the least an HTTP proxy in Node does (node:http server, a
 * keep-alive node:http client, bodies relayed whole) and nothing of the pool: no parsing, no
 * choice, no retry, no deadline. What Node's HTTP costs per call on this machine.
 */
import http from 'node:http';

const upstreamUrl = process.argv[2];
if (upstreamUrl === undefined) throw new Error('usage: bare-http.ts <upstream url>');
const upstream = new URL(upstreamUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });

const readAll = (stream: http.IncomingMessage, done: (body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(Buffer.concat(chunks)));
};

const server = http.createServer((req, res) =>
  readAll(req, (body) => {
    const headers = { 'content-type': 'application/json', 'content-length': body.length };
    const call = http.request(
      { host: upstream.hostname, port: upstream.port, method: 'POST', agent, headers },
      (up) =>
        readAll(up, (reply) => {
          res.writeHead(up.statusCode ?? 502, {
            'content-type': 'application/json',
            'content-length': reply.length,
          });
          res.end(reply);
        }),
    );
    call.on('error', () => res.destroy());
    call.end(body);
  }),
);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
});
process.stdin.on('data', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
