/**
 * The journal as a human report: counts by status, every order with its state, every fill.
 * Read-only: the report never changes the journal a running bot is writing.
 */
import { formatBase, formatPrice, formatQuote, ORDER_STATUSES, type OrderStatus } from '@drift/domain';
import type { Journal } from './journal.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatReport(journal: Journal, options: { bot?: string } = {}): string {
  const orders = journal.allOrders().filter((o) => !options.bot || o.bot === options.bot);
  const ids = new Set(orders.map((o) => o.clientOrderId));
  const fills = journal.allFills().filter((f) => ids.has(f.clientOrderId));
  const counts = new Map<OrderStatus, number>();
  for (const o of orders) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const summary = ORDER_STATUSES.filter((s) => counts.has(s))
    .map((s) => `${s} ${counts.get(s)}`)
    .join(', ');
  const out = [
    `journal ${journal.path}`,
    `orders: ${orders.length}${summary ? ` (${summary})` : ''}; fills: ${fills.length}`,
    '',
    table(
      [
        'client order id',
        'uoid',
        'order id',
        'market',
        'side',
        'type',
        'size',
        'price',
        'filled',
        'status',
        'reason',
      ],
      orders.map((o) => [
        o.clientOrderId,
        String(o.userOrderId),
        o.orderId ?? '-',
        o.market,
        o.side,
        o.type,
        formatBase(o.baseAmount),
        o.price === undefined ? '-' : formatPrice(o.price),
        formatBase(o.filledBase),
        o.status,
        o.reason ?? '',
      ]),
    ),
  ];
  if (fills.length > 0) {
    out.push(
      '',
      table(
        ['fill id', 'client order id', 'market', 'side', 'size', 'price', 'fee', 'liquidity'],
        fills.map((f) => [
          f.fillId,
          f.clientOrderId,
          f.market,
          f.side,
          formatBase(f.baseAmount),
          formatPrice(f.price),
          formatQuote(f.fee),
          f.liquidity,
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
