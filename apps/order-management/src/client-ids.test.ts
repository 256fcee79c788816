import { describe, expect, it } from 'vitest';
import { ClientOrderIdGenerator, UserOrderIdPool } from './client-ids.js';

describe('UserOrderIdPool', () => {
  it('hands out every id of the range once, then refuses', () => {
    const pool = new UserOrderIdPool({ min: 1, max: 255 });
    const ids = Array.from({ length: 255 }, () => pool.acquire());
    expect(new Set(ids).size).toBe(255);
    expect(ids.every((id) => id !== undefined && id >= 1 && id <= 255)).toBe(true);
    expect(pool.acquire()).toBeUndefined();
  });

  it('reuses a released id only after every other free id (least recently released first)', () => {
    const pool = new UserOrderIdPool({ min: 10, max: 12 });
    expect([pool.acquire(), pool.acquire()]).toEqual([10, 11]);
    pool.release(10);
    expect(pool.acquire()).toBe(12);
    expect(pool.acquire()).toBe(10);
    expect(pool.acquire()).toBeUndefined();
  });

  it('claims ids held by recovered orders so they are not handed out twice', () => {
    const pool = new UserOrderIdPool({ min: 1, max: 3 });
    pool.claim(1);
    pool.claim(3);
    expect(pool.acquire()).toBe(2);
    expect(pool.acquire()).toBeUndefined();
  });

  it('names the field and value of a bad range', () => {
    expect(() => new UserOrderIdPool({ min: 0, max: 10 })).toThrow(
      'userOrderIds.min: 0 is not an integer in 1..255',
    );
    expect(() => new UserOrderIdPool({ min: 1, max: 256 })).toThrow('userOrderIds.max: 256');
    expect(() => new UserOrderIdPool({ min: 9, max: 3 })).toThrow('min 9 is above max 3');
  });
});

describe('ClientOrderIdGenerator', () => {
  it('makes <bot>-<epoch>-<seq> ids, unique across restarts by the epoch', () => {
    const first = new ClientOrderIdGenerator('trend-bot', 1000);
    const second = new ClientOrderIdGenerator('trend-bot', 2000);
    expect([first.next(), first.next()]).toEqual(['trend-bot-1000-1', 'trend-bot-1000-2']);
    expect(second.next()).toBe('trend-bot-2000-1');
  });
});
