/**
 * The DM telling a task's owner it can start, as plain data: the task's id and title (config text, shown escaped)
 * and the ids of the tasks or gates it required, all done now. Rendered in src/slack/blocks/task-start.ts.
 */
export interface TaskStartNotice {
  taskId: string;
  title: string;
  requires: readonly string[];
  /** The task's page (issue 21): the id links to it; null for none. */
  url?: string | null;
}
