/** Bench child: the fake upstream on a free port; prints `{"url": ...}` then serves until killed. */
import { FakeUpstream } from '../test/fake-upstream.js';

const upstream = await FakeUpstream.start({ slot: 1_000 });
process.stdout.write(`${JSON.stringify({ url: upstream.url })}\n`);
// The bench sends many thousand calls: do not keep the per-call record the tests use.
setInterval(() => upstream.calls.splice(0), 1_000).unref();
