import { describe, expect, it } from 'vitest';
import { CursorError, decodeCursor, encodeCursor } from '../../../../src/services/records/cursor.js';

describe('page cursors', () => {
  it('round-trip the sort key of their kind', () => {
    expect(decodeCursor('answers', encodeCursor('answers', 1_000_000), 'number')).toBe(1_000_000);
    expect(decodeCursor('gates', encodeCursor('gates', 'qa'), 'string')).toBe('qa');
  });
  it("refuse another kind's cursor, a wrong key type and garbage", () => {
    expect(() => decodeCursor('answers', encodeCursor('checkins', 5), 'number')).toThrow(CursorError);
    expect(() => decodeCursor('answers', encodeCursor('answers', 'x' as never), 'number')).toThrow(CursorError);
    expect(() => decodeCursor('answers', encodeCursor('answers', 1.5), 'number')).toThrow(CursorError);
    expect(() => decodeCursor('answers', 'not-a-cursor', 'number')).toThrow('cursor is not one this API returned for answers');
  });
});
