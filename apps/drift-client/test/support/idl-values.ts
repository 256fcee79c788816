/**
 * Builds complete account values for the Drift IDL: every field zero (first enum variant, None,
 * empty vec), then the caller's overrides. The SDK's own BorshAccountsCoder encodes the result,
 * so the bytes served to DriftVenue are what the program would store.
 */
import { BN, PublicKey } from '@drift-labs/sdk';

type FieldType = unknown;
interface IdlTypeDef {
  name: string;
  type: { kind: string; fields?: { name: string; type: FieldType }[]; variants?: { name: string }[] };
}
/** The part of an Anchor 0.29 IDL (the SDK's drift.json) this module reads. */
export interface Idl {
  accounts?: IdlTypeDef[];
  types?: IdlTypeDef[];
  events?: { name: string; fields: { name: string; type: FieldType }[] }[];
}

const INTEGER = new Set([
  'u8',
  'i8',
  'u16',
  'i16',
  'u32',
  'i32',
  'u64',
  'i64',
  'u128',
  'i128',
  'u256',
  'i256',
]);
const SMALL = new Set(['u8', 'i8', 'u16', 'i16', 'u32', 'i32']);

export function zeroValue(idl: Idl, type: FieldType): unknown {
  if (typeof type === 'string') {
    if (type === 'bool') return false;
    if (type === 'publicKey') return PublicKey.default;
    if (type === 'string') return '';
    if (type === 'bytes') return Buffer.alloc(0);
    if (SMALL.has(type)) return 0;
    if (INTEGER.has(type)) return new BN(0);
    if (type === 'f32' || type === 'f64') return 0;
    throw new Error(`unknown IDL type ${type}`);
  }
  const t = type as Record<string, unknown>;
  if ('array' in t) {
    const [inner, len] = t.array as [FieldType, number];
    if (inner === 'u8') return Array.from({ length: len }, () => 0);
    return Array.from({ length: len }, () => zeroValue(idl, inner));
  }
  if ('option' in t) return null;
  if ('vec' in t) return [];
  if ('defined' in t) return zeroDefined(idl, t.defined as string);
  throw new Error(`unknown IDL type ${JSON.stringify(type)}`);
}

function zeroDefined(idl: Idl, name: string): unknown {
  const events: IdlTypeDef[] = (idl.events ?? []).map((e) => ({
    name: e.name,
    type: { kind: 'struct', fields: e.fields },
  }));
  const def = [...(idl.accounts ?? []), ...(idl.types ?? []), ...events].find((d) => d.name === name);
  if (!def) throw new Error(`IDL has no type ${name}`);
  const ty = def.type;
  if (ty.kind === 'struct') {
    return Object.fromEntries((ty.fields ?? []).map((f) => [camelField(f.name), zeroValue(idl, f.type)]));
  }
  const first = ty.variants?.[0]?.name;
  if (!first) throw new Error(`enum ${name} has no variants`);
  const value = { [first[0]?.toLowerCase() + first.slice(1)]: {} };
  ENUM_VALUES.add(value);
  return value;
}

/** Anchor's layout names (its `camelcase` call): a letter after a digit is upper-cased (`twap5min` -> `twap5Min`). */
function camelField(name: string): string {
  return name.replace(/(\d)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

/** Enum values are replaced by an override, never merged with it. */
const ENUM_VALUES = new WeakSet<object>();

/** A full value of account, type or event `name`, zero except `overrides` (shallow per level). */
export function accountValue(
  idl: Idl,
  name: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return deepMerge(zeroDefined(idl, name) as Record<string, unknown>, overrides);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (!(k in base)) throw new Error(`no field ${k} (have ${Object.keys(base).join(', ')})`);
    const b = base[k];
    out[k] = isPlain(v) && isPlain(b) && !ENUM_VALUES.has(b) ? deepMerge(b, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
