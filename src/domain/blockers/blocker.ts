export type BlockerStatus = 'open' | 'acknowledged' | 'resolved';

/** The short id users see: B-42. */
export const shortId = (id: number) => `B-${id}`;

/** Parses "B-42", "b42", "42" into 42, else null. */
export function parseShortId(text: string): number | null {
  const m = /^(?:b-?)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}
