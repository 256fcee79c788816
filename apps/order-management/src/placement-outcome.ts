/**
 * What a placement came to. The venue's answer settles it; no answer in time, a thrown send or a
 * venue error is "unconfirmed" (reconciled once, never re-sent); a transaction whose effect the
 * venue could not read is "outcome unknown": kept live and reconciled until the venue shows it.
 */
import type { PlaceResult, Venue } from '@drift/domain';
import { errorMessage, type LoggerLike } from '@drift/logging';
import { isConnectionError } from '@drift/runtime';
import type { Journal } from './journal.js';
import type { ManagedOrder } from './managed-order.js';
import type { OrderIndex } from './order-index.js';
import { type ManagedPlaceResult, orderFields, type ReconcileSummary } from './order-manager-types.js';
import type { OrderStateMachine } from './order-state-machine.js';
import { isTerminal } from './order-states.js';
import type { OrderTally } from './order-tally.js';

export interface PlacementOutcomeOptions {
  placeTimeoutMs: number;
  journal: Journal;
  index: OrderIndex;
  machine: OrderStateMachine;
  tally: OrderTally;
  log: LoggerLike;
  reconcile: (options: { only: string[]; cancelUnknown?: boolean }) => Promise<ReconcileSummary>;
  stopping: () => boolean;
}

export class PlacementOutcome {
  /** Orders whose transaction's outcome the venue could not read: reconciled until it shows them. */
  private readonly outcomeUnknown = new Set<string>();
  /** Orders the venue said left its book with an unreadable outcome: reconciled until they end. */
  private readonly endUnknown = new Set<string>();
  private unknownTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: PlacementOutcomeOptions) {}

  isOutcomeUnknown(clientOrderId: string): boolean {
    return this.outcomeUnknown.has(clientOrderId);
  }

  isEndUnknown(clientOrderId: string): boolean {
    return this.endUnknown.has(clientOrderId);
  }

  /**
   * The venue says a live order left its book but could not read what it did (filled or
   * cancelled): never taken as a cancel. The order stays live and is reconciled now and then
   * until the venue shows its fills or its end.
   */
  onEndUnknown(order: ManagedOrder): void {
    const id = order.clientOrderId;
    if (this.endUnknown.has(id) || isTerminal(order.status)) return;
    this.endUnknown.add(id);
    const detail = 'the venue could not read what the order did when it left its book';
    this.opts.journal.recordEvent(id, 'outcome-unknown', order.status, detail);
    this.opts.log.warn({ ...orderFields(order), detail }, 'order outcome unknown: reconciling');
    void this.reconcileUnknown();
  }

  /**
   * A live order loaded from the journal at start: one the venue said left its book with an
   * unknown outcome (its `outcome-unknown` event journaled on a live status) stays so across a
   * restart, so the start's reconciliation does not call it cancelled either.
   */
  restore(order: ManagedOrder): void {
    const events = this.opts.journal.eventsFor(order.clientOrderId);
    if (events.some((e) => e.kind === 'outcome-unknown' && e.status !== undefined && e.status !== 'new')) {
      this.endUnknown.add(order.clientOrderId);
    }
  }

  stop(): void {
    clearTimeout(this.unknownTimer);
  }

  /** Waits for the venue's answer to `attempt` (at most `placeTimeoutMs`) and settles the order. */
  async settle(order: ManagedOrder, attempt: Promise<PlaceResult>): Promise<ManagedPlaceResult> {
    const { placeTimeoutMs, index, machine, tally } = this.opts;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), placeTimeoutMs);
    });
    let outcome: Awaited<typeof attempt> | 'timeout' | { thrown: unknown };
    try {
      outcome = await Promise.race([attempt, timeout]);
    } catch (err) {
      outcome = { thrown: err };
    } finally {
      clearTimeout(timer);
    }
    const id = order.clientOrderId;
    if (
      outcome !== 'timeout' &&
      !('thrown' in outcome) &&
      !outcome.ok &&
      outcome.reason === 'outcome-unknown'
    ) {
      return this.settleUnknown(id, outcome.message);
    }
    if (outcome === 'timeout' || 'thrown' in outcome || (!outcome.ok && outcome.reason === 'venue-error')) {
      const detail =
        outcome === 'timeout'
          ? `no answer after ${placeTimeoutMs} ms`
          : 'thrown' in outcome
            ? `venue threw: ${errorMessage(outcome.thrown)}`
            : `venue error: ${outcome.message}`;
      if (outcome === 'timeout') {
        attempt.then(
          (late) => this.onLatePlaceResult(id, late),
          (err: unknown) => this.opts.log.warn({ ...orderFields(order), err }, 'late placement failed'),
        );
      }
      return this.settleUnconfirmed(id, detail);
    }
    if (!outcome.ok) {
      const current = index.current(id);
      if (current)
        machine.transition(current, 'rejected', 'reject', {
          reason: `${outcome.reason}: ${outcome.message}`,
        });
      tally.countRejected(outcome.reason);
      return { ok: false, reason: outcome.reason, message: outcome.message, ...index.withOrder(id) };
    }
    const current = index.current(id);
    if (current) machine.applyVenueOrder(current, outcome.order, 'ack');
    for (const fill of outcome.fills) machine.applyFill(fill);
    const final = index.current(id) ?? order;
    return { ok: true, order: { ...final }, fills: outcome.fills };
  }

  /** The venue did not confirm: ask it what it has, and settle the order from that answer. */
  private async settleUnconfirmed(clientOrderId: string, detail: string): Promise<ManagedPlaceResult> {
    const { index, log } = this.opts;
    const order = index.current(clientOrderId);
    log.warn({ ...(order && orderFields(order)), detail }, 'placement unconfirmed: reconciling');
    try {
      await this.opts.reconcile({ only: [clientOrderId] });
    } catch (err) {
      // The venue out of reach is an outage the reconnect's reconciliation settles (the order stays
      // unconfirmed, never re-sent); anything else needs an operator.
      const fields = { ...(order && orderFields(order)), err };
      if (isConnectionError(err))
        log.warn(fields, 'reconciling an unconfirmed order failed: venue unreachable, retried on reconnect');
      else log.error(fields, 'reconciling an unconfirmed order failed');
    }
    const settled = index.current(clientOrderId);
    if (settled && !['expired', 'rejected', 'cancelled', 'new'].includes(settled.status)) {
      return { ok: true, order: { ...settled }, fills: this.opts.journal.fillsFor(settled) };
    }
    this.opts.tally.countRejected('unconfirmed');
    return {
      ok: false,
      reason: 'unconfirmed',
      message: `placement unconfirmed (${detail}); now ${settled?.status ?? 'unknown'}, not re-sent`,
      ...index.withOrder(clientOrderId),
    };
  }

  /**
   * The transaction may have landed but the venue could not read what it did: never a failure,
   * never re-sent. The order stays live (its user order id held, counted by the risk checks) and
   * is reconciled now and then until the venue shows it open, filled or cancelled.
   */
  private async settleUnknown(clientOrderId: string, detail: string): Promise<ManagedPlaceResult> {
    const { index, journal } = this.opts;
    this.outcomeUnknown.add(clientOrderId);
    const order = index.current(clientOrderId);
    if (order) journal.recordEvent(clientOrderId, 'outcome-unknown', order.status, detail);
    this.opts.log.warn({ ...(order && orderFields(order)), detail }, 'order outcome unknown: reconciling');
    await this.reconcileUnknown();
    const settled = index.current(clientOrderId);
    if (settled && settled.status !== 'new') {
      return { ok: true, order: { ...settled }, fills: journal.fillsFor(settled) };
    }
    this.opts.tally.countRejected('outcome-unknown');
    return {
      ok: false,
      reason: 'outcome-unknown',
      message: `order outcome unknown (${detail}); kept live and reconciled, not re-sent`,
      ...index.withOrder(clientOrderId),
    };
  }

  /** Reconciles the orders of unknown outcome; again after `placeTimeoutMs` while any is left. */
  private async reconcileUnknown(): Promise<void> {
    clearTimeout(this.unknownTimer);
    try {
      await this.opts.reconcile({
        only: [...this.outcomeUnknown, ...this.endUnknown],
        cancelUnknown: false,
      });
    } catch (err) {
      this.opts.log.error({ err }, 'reconciling orders of unknown outcome failed');
    }
    for (const id of this.outcomeUnknown) {
      if (this.opts.index.current(id)?.status !== 'new') this.outcomeUnknown.delete(id);
    }
    for (const id of this.endUnknown) {
      const status = this.opts.index.current(id)?.status;
      if (status === undefined || isTerminal(status)) this.endUnknown.delete(id);
    }
    if (this.outcomeUnknown.size + this.endUnknown.size > 0 && !this.opts.stopping()) {
      this.unknownTimer = setTimeout(() => void this.reconcileUnknown(), this.opts.placeTimeoutMs);
      this.unknownTimer.unref();
    }
  }

  /** A placement answered after its timeout: keep it if still live, cancel it if we gave up on it. */
  private onLatePlaceResult(clientOrderId: string, result: Awaited<ReturnType<Venue['placeOrder']>>): void {
    const { index, machine } = this.opts;
    const order = index.current(clientOrderId);
    if (!order || !result.ok) return;
    for (const fill of result.fills) machine.applyFill(fill);
    machine.applyVenueOrder(index.current(clientOrderId) ?? order, result.order, 'late-ack');
  }
}
