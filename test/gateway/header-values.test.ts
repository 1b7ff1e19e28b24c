import { describe, expect, it } from 'vitest';
import {
  MAX_NOTES_HEADER_LENGTH,
  fallbackHeader,
  headerSafe,
  notesHeader,
} from '../../src/gateway/header-values.js';

describe('header values', () => {
  it('replaces every character a header value cannot carry', () => {
    expect(headerSafe('café\r\nx-evil: 1')).toBe('caf???x-evil: 1');
  });

  it('lists each fallback as backend:REASON, with the status when there was one', () => {
    expect(
      fallbackHeader([
        { backend: 'local', reason: 'CONNECTION' },
        { backend: 'cloud', reason: 'UPSTREAM_SERVER', status: 503 },
      ]),
    ).toBe('local:CONNECTION, cloud:UPSTREAM_SERVER:503');
  });

  it('keeps a few notes whole', () => {
    expect(notesHeader(['a note', 'another'])).toBe('a note; another');
  });

  it('cuts many notes to a bounded header that says how many were left out', () => {
    const notes = Array.from({ length: 500 }, (_, i) => `messages.${i}: blank text part skipped`);
    const value = notesHeader(notes);
    expect(value.length).toBeLessThanOrEqual(MAX_NOTES_HEADER_LENGTH);
    expect(value.startsWith('messages.0: blank text part skipped; messages.1:')).toBe(true);
    const kept = value.split('; ').length - 1;
    expect(value.endsWith(`(+${500 - kept} more notes)`)).toBe(true);
  });

  it('cuts even a single note longer than the limit', () => {
    const value = notesHeader(['x'.repeat(10_000)]);
    expect(value.length).toBeLessThanOrEqual(MAX_NOTES_HEADER_LENGTH);
    expect(value.endsWith('(+1 more notes)')).toBe(true);
  });
});
