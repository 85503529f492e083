import type { TrackerSourceConfig } from '../../config/schema/tasks-from.js';
import { trackerSourceLabel } from '../../config/tracker-tasks.js';
import type { Program } from '../../domain/program/program.js';
import type { TrackerKind } from '../../domain/trackers/tracker-issue.js';
import { sourceParts, type TrackerSettings } from './adapters.js';

/** One configured `tasks_from` source of the running plan. `sourceId` is `<workstream>/<index>`. */
export interface ConfiguredSource {
  sourceId: string;
  workstreamId: string;
  kind: TrackerKind;
  /** `Jira LAUNCH`, as tasks' `source.label` (config/tracker-tasks.ts `trackerSourceLabel`). */
  label: string;
  settings: TrackerSettings;
}

/** Every `tasks_from` source of a plan, in workstream then list order. */
export function configuredSources(program: Pick<Program, 'workstreams'>): ConfiguredSource[] {
  return Object.entries(program.workstreams).flatMap(([workstreamId, ws]) =>
    (ws.tasks_from ?? []).map((entry, index) => {
      const { kind, settings } = sourceParts(entry as TrackerSourceConfig);
      return { sourceId: `${workstreamId}/${index}`, workstreamId, kind, label: trackerSourceLabel(kind, settings as unknown as Record<string, unknown>), settings };
    }),
  );
}
