/**
 * Checks the simulator's signed taker orders (paper mode) like `verifyTakerOrder` from @drift/sim —
 * the ed25519 signature is the taker's over `message`, and `message` states exactly the order's
 * terms — but imports each taker's public key once: the stream has few takers, and importing the
 * key (`createPublicKey`) cost as much as the verification itself on every order (see bench/).
 *
 * `verifyOffThread` runs the ed25519 check on libuv's threadpool (node:crypto's callback form), so
 * the maker can decide and build the fill meanwhile (a verification costs ~3x a signature). On the
 * shared 2-core machine of bench/ handing it to another thread cost more than it hid, so `verify`
 * (the calling thread) is what the bot is given by default.
 *
 * A replayed live Swift order (a `--record` file in `sim.replayStream`) carries the message Swift
 * delivered, in Swift's format: it goes to `swift` (swift-client's checks), never the simulator's.
 * An order that checks out under neither format is refused.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { TakerOrder } from '@drift/domain';
import { decodeBase58, encodeTakerMessage } from '@drift/sim';
import { isSwiftMessage } from 'swift-client';

// DER prefix that wraps a raw 32-byte ed25519 public key (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface TakerVerifierOptions {
  maxKeys?: number;
  /** Checks an order in Swift's signed-message format (swift-client's `recordedSwiftOrderVerifier`); unset: refused. */
  swift?: (order: TakerOrder) => boolean | Promise<boolean>;
}

export class TakerVerifier {
  private readonly keys = new Map<string, KeyObject | null>();
  private readonly maxKeys: number;

  constructor(private readonly opts: TakerVerifierOptions = {}) {
    this.maxKeys = opts.maxKeys ?? 4_096;
  }

  /** True when the order is signed by its taker and its terms are the signed ones. */
  readonly verify = (order: TakerOrder): boolean | Promise<boolean> => {
    if (order.message && isSwiftMessage(order.message)) return this.opts.swift?.(order) ?? false;
    const key = this.precheck(order);
    return key !== null && verify(null, order.message!, key, order.signature!);
  };

  /**
   * `verify` with the signature check on libuv's threadpool: the cheap checks (shape, key, terms)
   * run now and refuse at once; otherwise resolves with the verdict.
   */
  readonly verifyOffThread = (order: TakerOrder): boolean | Promise<boolean> => {
    if (order.message && isSwiftMessage(order.message)) return this.opts.swift?.(order) ?? false;
    const key = this.precheck(order);
    if (!key) return false;
    return new Promise((resolve) => {
      verify(null, order.message!, key, order.signature!, (err, ok) => resolve(!err && ok));
    });
  };

  /** The taker's key when everything but the signature itself checks out, else null. */
  private precheck(order: TakerOrder): KeyObject | null {
    const { message, signature } = order;
    if (!message || !signature || signature.length !== 64) return null;
    const key = this.keyOf(order.taker);
    if (!key || !Buffer.from(message).equals(encodeTakerMessage({ ...order, ...order.auction }))) return null;
    return key;
  }

  private keyOf(taker: string): KeyObject | null {
    let key = this.keys.get(taker);
    if (key !== undefined) return key;
    key = importKey(taker);
    if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value as string);
    this.keys.set(taker, key);
    return key;
  }
}

function importKey(base58: string): KeyObject | null {
  try {
    const raw = decodeBase58(base58);
    if (raw.length !== 32) return null;
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}
