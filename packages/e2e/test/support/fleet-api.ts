/** The orchestrator's status API and the simulator's history, as the session reads them. */

export interface AppStatus {
  name: string;
  kind: string;
  state: string;
  pid?: number;
  restarts: number;
  status?: { ordersPlaced?: number; fills?: number; openOrders?: number; tradingState?: string };
}

export interface FleetStatusBody {
  risk: { state: string };
  apps: AppStatus[];
}

/** Every response body the suite saw, so the secrets check covers API replies too. */
export const apiBodies: string[] = [];

export async function getText(url: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  apiBodies.push(text);
  return { status: res.status, text };
}

export async function fleetStatus(api: string): Promise<FleetStatusBody | undefined> {
  try {
    const { status, text } = await getText(`${api}/api/status`);
    return status === 200 ? (JSON.parse(text) as FleetStatusBody) : undefined;
  } catch {
    return undefined;
  }
}

/** History entries as they come over the wire (bigints are decimal strings). */
export interface WireEntry {
  seq: number;
  ts: number;
  kind: string;
  order?: { orderId: string; clientOrderId?: string; subAccount: number; market: string; status: string };
  fill?: {
    orderId: string;
    subAccount: number;
    market: string;
    price: string;
    baseAmount: string;
    clientOrderId?: string;
  };
  subAccount?: number;
  market?: string;
  before?: string;
  after?: string;
  reason?: string;
}

/** The simulator's full history, paged. */
export async function simHistory(httpUrl: string): Promise<WireEntry[]> {
  const all: WireEntry[] = [];
  for (;;) {
    const after = all.at(-1)?.seq ?? 0;
    const { status, text } = await getText(`${httpUrl}/history?afterSeq=${after}&limit=20000`);
    if (status !== 200) throw new Error(`GET /history: ${status} ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as WireEntry[] | { result?: WireEntry[]; entries?: WireEntry[] };
    const page = Array.isArray(body) ? body : (body.result ?? body.entries ?? []);
    if (page.length === 0) return all;
    all.push(...page);
  }
}
