/**
 * The durable order journal (SQLite, Node's built-in `node:sqlite`: no native build to install). The intent is written before the order is
 * sent, so a crash between send and acknowledgement leaves a `new` row that reconciliation finds.
 * Every change after that (ack, fill, status) is one transaction with its event row.
 *
 * WAL mode. Intents are written with `synchronous = FULL` (fsynced before the order is sent), so
 * an intent survives not only a SIGKILL (NORMAL is enough for that: the WAL sits in the OS cache)
 * but a power loss too: an intent lost after its order reached the venue is exactly the duplicate
 * this journal exists to stop. Every later write (ack, fill, status) uses NORMAL: the venue holds
 * the truth for those and reconciliation restores them, so they need not pay an fsync each.
 * `sync: 'normal'` drops the fsync for intents too (SIGKILL-safe only), for callers that measured
 * the cost (see bench/) and accept the trade-off.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Fill, OrderStatus, OrderType, Side } from '@drift/domain';
import type { ManagedOrder } from './managed-order.js';

export type JournalSync = 'full' | 'normal';

export interface JournalEvent {
  seq: number;
  at: number;
  clientOrderId: string;
  kind: string;
  status?: OrderStatus;
  detail?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  client_order_id TEXT PRIMARY KEY,
  bot TEXT NOT NULL,
  user_order_id INTEGER NOT NULL,
  sub_account INTEGER NOT NULL,
  market TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  base_amount TEXT NOT NULL,
  price TEXT,
  post_only INTEGER NOT NULL,
  reduce_only INTEGER NOT NULL,
  ioc INTEGER NOT NULL,
  status TEXT NOT NULL,
  order_id TEXT,
  filled_base TEXT NOT NULL,
  reason TEXT,
  since_venue_ts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_order_id ON orders(order_id);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders(bot, status);
CREATE TABLE IF NOT EXISTS fills (
  fill_id TEXT PRIMARY KEY,
  client_order_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  market TEXT NOT NULL,
  side TEXT NOT NULL,
  price TEXT NOT NULL,
  base_amount TEXT NOT NULL,
  quote_amount TEXT NOT NULL,
  fee TEXT NOT NULL,
  liquidity TEXT NOT NULL,
  ts INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS fills_by_client ON fills(client_order_id);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  client_order_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT,
  detail TEXT
);
`;

interface OrderRow {
  client_order_id: string;
  bot: string;
  user_order_id: number;
  sub_account: number;
  market: string;
  side: string;
  type: string;
  base_amount: string;
  price: string | null;
  post_only: number;
  reduce_only: number;
  ioc: number;
  status: string;
  order_id: string | null;
  filled_base: string;
  reason: string | null;
  since_venue_ts: number;
  created_at: number;
  updated_at: number;
}

interface FillRow {
  fill_id: string;
  client_order_id: string;
  order_id: string;
  market: string;
  side: string;
  price: string;
  base_amount: string;
  quote_amount: string;
  fee: string;
  liquidity: string;
  ts: number;
}

export interface JournalFill extends Fill {
  clientOrderId: string;
}

function rowToOrder(row: OrderRow): ManagedOrder {
  return {
    clientOrderId: row.client_order_id,
    userOrderId: row.user_order_id,
    ...(row.order_id === null ? {} : { orderId: row.order_id }),
    bot: row.bot,
    subAccount: row.sub_account,
    market: row.market,
    side: row.side as Side,
    type: row.type as OrderType,
    baseAmount: BigInt(row.base_amount),
    ...(row.price === null ? {} : { price: BigInt(row.price) }),
    postOnly: row.post_only === 1,
    reduceOnly: row.reduce_only === 1,
    ioc: row.ioc === 1,
    status: row.status as OrderStatus,
    filledBase: BigInt(row.filled_base),
    ...(row.reason === null ? {} : { reason: row.reason }),
    sinceVenueTs: row.since_venue_ts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function rowToFill(row: FillRow, subAccount: number): JournalFill {
  return {
    fillId: row.fill_id,
    orderId: row.order_id,
    clientOrderId: row.client_order_id,
    subAccount,
    market: row.market,
    side: row.side as Side,
    price: BigInt(row.price),
    baseAmount: BigInt(row.base_amount),
    quoteAmount: BigInt(row.quote_amount),
    fee: BigInt(row.fee),
    liquidity: row.liquidity as 'maker' | 'taker',
    ts: row.ts,
  };
}

const LIVE = "status IN ('new', 'open', 'partially-filled')";

function prepareStatements(db: DatabaseSync) {
  return {
    insertOrder: db.prepare(
      `INSERT INTO orders (client_order_id, bot, user_order_id, sub_account, market, side, type,
         base_amount, price, post_only, reduce_only, ioc, status, order_id, filled_base, reason,
         since_venue_ts, created_at, updated_at)
       VALUES (@client_order_id, @bot, @user_order_id, @sub_account, @market, @side, @type,
         @base_amount, @price, @post_only, @reduce_only, @ioc, @status, @order_id, @filled_base,
         @reason, @since_venue_ts, @created_at, @updated_at)`,
    ),
    updateOrder: db.prepare(
      `UPDATE orders SET status = @status, order_id = @order_id, filled_base = @filled_base,
         reason = @reason, updated_at = @updated_at WHERE client_order_id = @client_order_id`,
    ),
    getOrder: db.prepare('SELECT * FROM orders WHERE client_order_id = ?'),
    getByOrderId: db.prepare('SELECT * FROM orders WHERE order_id = ? ORDER BY created_at DESC LIMIT 1'),
    liveOrders: db.prepare(`SELECT * FROM orders WHERE bot = ? AND ${LIVE} ORDER BY created_at, rowid`),
    allOrders: db.prepare('SELECT * FROM orders ORDER BY created_at, rowid'),
    insertFill: db.prepare(
      `INSERT OR IGNORE INTO fills (fill_id, client_order_id, order_id, market, side, price,
         base_amount, quote_amount, fee, liquidity, ts)
       VALUES (@fill_id, @client_order_id, @order_id, @market, @side, @price, @base_amount,
         @quote_amount, @fee, @liquidity, @ts)`,
    ),
    fillsFor: db.prepare('SELECT * FROM fills WHERE client_order_id = ? ORDER BY ts, rowid'),
    allFills: db.prepare('SELECT * FROM fills ORDER BY ts, rowid'),
    insertEvent: db.prepare(
      'INSERT INTO events (at, client_order_id, kind, status, detail) VALUES (?, ?, ?, ?, ?)',
    ),
    eventsFor: db.prepare('SELECT * FROM events WHERE client_order_id = ? ORDER BY seq'),
  };
}

export class Journal {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly stmts: ReturnType<typeof prepareStatements>;
  private readonly intentSync: JournalSync;
  private readonly now: () => number;

  /**
   * Opens (creating if needed) the journal at `path`; `readonly` opens an existing file for reports.
   * `now` (ms, default the wall clock) stamps the event rows: the order manager's clock.
   */
  constructor(path: string, options: { sync?: JournalSync; readonly?: boolean; now?: () => number } = {}) {
    this.path = path;
    this.now = options.now ?? Date.now;
    const readonly = options.readonly ?? false;
    this.intentSync = options.sync ?? 'full';
    if (!readonly) mkdirSync(dirname(path), { recursive: true });
    if (readonly && !existsSync(path)) throw new Error(`journal ${path} does not exist`);
    this.db = new DatabaseSync(path, { readOnly: readonly, timeout: 5000 });
    if (!readonly) {
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.db.exec(SCHEMA);
    }
    this.stmts = prepareStatements(this.db);
  }

  /** Records an order before it is sent. Throws if the client id is already journaled. */
  recordIntent(order: ManagedOrder): void {
    if (this.intentSync === 'full') this.db.exec('PRAGMA synchronous = FULL');
    try {
      this.insertIntent(order);
    } finally {
      if (this.intentSync === 'full') this.db.exec('PRAGMA synchronous = NORMAL');
    }
  }

  private insertIntent(order: ManagedOrder): void {
    this.transaction(() => {
      this.stmts.insertOrder.run({
        client_order_id: order.clientOrderId,
        bot: order.bot,
        user_order_id: order.userOrderId,
        sub_account: order.subAccount,
        market: order.market,
        side: order.side,
        type: order.type,
        base_amount: order.baseAmount.toString(),
        price: order.price === undefined ? null : order.price.toString(),
        post_only: order.postOnly ? 1 : 0,
        reduce_only: order.reduceOnly ? 1 : 0,
        ioc: order.ioc ? 1 : 0,
        status: order.status,
        order_id: order.orderId ?? null,
        filled_base: order.filledBase.toString(),
        reason: order.reason ?? null,
        since_venue_ts: order.sinceVenueTs,
        created_at: order.createdAt,
        updated_at: order.updatedAt,
      });
      this.event(order.clientOrderId, 'intent', order.status, order.reason);
    });
  }

  /** Saves the order's mutable fields with an event describing why. */
  recordUpdate(order: ManagedOrder, kind: string, detail?: string): void {
    this.transaction(() => {
      this.stmts.updateOrder.run({
        client_order_id: order.clientOrderId,
        status: order.status,
        order_id: order.orderId ?? null,
        filled_base: order.filledBase.toString(),
        reason: order.reason ?? null,
        updated_at: order.updatedAt,
      });
      this.event(order.clientOrderId, kind, order.status, detail);
    });
  }

  /** Records a fill once (by fill id); false when it was already journaled. */
  recordFill(clientOrderId: string, fill: Fill): boolean {
    const result = this.stmts.insertFill.run({
      fill_id: fill.fillId,
      client_order_id: clientOrderId,
      order_id: fill.orderId,
      market: fill.market,
      side: fill.side,
      price: fill.price.toString(),
      base_amount: fill.baseAmount.toString(),
      quote_amount: fill.quoteAmount.toString(),
      fee: fill.fee.toString(),
      liquidity: fill.liquidity,
      ts: fill.ts,
    });
    return Number(result.changes) === 1;
  }

  /** Records a note about an order (refused transition, reconciliation decision). */
  recordEvent(clientOrderId: string, kind: string, status?: OrderStatus, detail?: string): void {
    this.event(clientOrderId, kind, status, detail);
  }

  get(clientOrderId: string): ManagedOrder | undefined {
    const row = this.stmts.getOrder.get(clientOrderId) as unknown as OrderRow | undefined;
    return row && rowToOrder(row);
  }

  getByOrderId(orderId: string): ManagedOrder | undefined {
    const row = this.stmts.getByOrderId.get(orderId) as unknown as OrderRow | undefined;
    return row && rowToOrder(row);
  }

  /** The bot's orders not yet in a terminal status, oldest first. */
  liveOrders(bot: string): ManagedOrder[] {
    return (this.stmts.liveOrders.all(bot) as unknown as OrderRow[]).map(rowToOrder);
  }

  allOrders(): ManagedOrder[] {
    return (this.stmts.allOrders.all() as unknown as OrderRow[]).map(rowToOrder);
  }

  fillsFor(order: Pick<ManagedOrder, 'clientOrderId' | 'subAccount'>): JournalFill[] {
    return (this.stmts.fillsFor.all(order.clientOrderId) as unknown as FillRow[]).map((r) =>
      rowToFill(r, order.subAccount),
    );
  }

  /** Every fill with the sub-account of its order. */
  allFills(): JournalFill[] {
    const subAccounts = new Map(this.allOrders().map((o) => [o.clientOrderId, o.subAccount]));
    return (this.stmts.allFills.all() as unknown as FillRow[]).map((r) =>
      rowToFill(r, subAccounts.get(r.client_order_id) ?? 0),
    );
  }

  eventsFor(clientOrderId: string): JournalEvent[] {
    return (this.stmts.eventsFor.all(clientOrderId) as unknown as Array<Record<string, unknown>>).map(
      (r) => ({
        seq: r.seq as number,
        at: r.at as number,
        clientOrderId: r.client_order_id as string,
        kind: r.kind as string,
        ...(r.status == null ? {} : { status: r.status as OrderStatus }),
        ...(r.detail == null ? {} : { detail: r.detail as string }),
      }),
    );
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private transaction(body: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      body();
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  private event(clientOrderId: string, kind: string, status?: OrderStatus, detail?: string): void {
    this.stmts.insertEvent.run(this.now(), clientOrderId, kind, status ?? null, detail ?? null);
  }
}
