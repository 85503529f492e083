import type { Preview } from '../../domain/preview/events.js';

/**
 * The preview as JSON (2-space indented): `from`/`until` (UTC ISO), `programZone`, `source`, then `events` with `at`
 * (UTC ISO), `programTime` and `localTime` (ISO with the offset of the program's and the recipient's zone), and the
 * event's fields; and `skipped` days as they are.
 */
export function previewToJson(preview: Preview, source: string): string {
  const z = preview.programZone;
  return JSON.stringify(
    {
      from: preview.from.toISO(),
      until: preview.until.toISO(),
      programZone: z,
      source,
      events: preview.events.map(({ at, kind, window, ...rest }) => ({
        at: at.toUTC().toISO(),
        kind,
        programTime: at.setZone(z).toISO(),
        localTime: at.setZone(rest.zone).toISO(),
        ...rest,
        window: window && { remindAt: window.remindAt.toUTC().toISO(), closeAt: window.closeAt.toUTC().toISO() },
      })),
      skipped: preview.skipped,
    },
    null,
    2,
  );
}
