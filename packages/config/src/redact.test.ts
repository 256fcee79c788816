import { REDACTED as LOG_REDACTED } from '@drift/logging';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactUrl, showValue } from './redact.js';

describe('redactUrl', () => {
  it('hides userinfo, query values and token-like path segments of a URL', () => {
    expect(redactUrl('https://user:pw@rpc.example/v2/abcdefghijklmnopqrstuvwx?api-key=SECRET&x=1')).toBe(
      'https://[redacted]:[redacted]@rpc.example/v2/[redacted]?api-key=[redacted]&x=[redacted]',
    );
  });

  it('masks by shape what looks like a URL but does not parse', () => {
    const text = 'htp//user:pw@rpc.example:99999/?api-key=SECRET';
    const shown = redactUrl(`ftp:${text}`);
    expect(shown).not.toContain('SECRET');
    expect(redactUrl('http://[bad/?api-key=SECRET&token=T0KEN')).toBe(
      'http://[bad/?api-key=[redacted]&token=[redacted]',
    );
  });

  it('leaves ordinary text alone', () => {
    expect(redactUrl('SOL-PERP')).toBe('SOL-PERP');
    expect(showValue('0.0.0.0')).toBe('"0.0.0.0"');
  });

  it('uses the same marker as the logger', () => {
    expect(REDACTED).toBe(LOG_REDACTED);
  });
});
