/**
 * A one-line task progress report, as typed in a check-in DM: `O-1 75, O-3 done` (comma or semicolon separated;
 * a percent with or without `%`; `done` is 100). Pure.
 */
export type TaskProgressLine = { ok: true; updates: { task: string; percent: number }[] } | { ok: false; message: string };

/**
 * Parses a progress line against the task ids the member may report on (matched case-insensitively; the result
 * carries the configured spelling). Every part must parse, or nothing is taken: the message names the first bad
 * part and shows the expected form.
 */
export function parseTaskProgressLine(line: string, taskIds: readonly string[]): TaskProgressLine {
  const example = `e.g. \`${taskIds[0] ?? 'O-1'} 75, ${taskIds[1] ?? taskIds[0] ?? 'O-3'} done\``;
  const parts = line
    .split(/[,;\n]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return { ok: false, message: `Give each task's progress as \`<task> <percent>\` or \`<task> done\`, ${example}.` };
  const updates: { task: string; percent: number }[] = [];
  for (const part of parts) {
    const m = /^([^\s:=]+)\s*(?:[:=]\s*|\s+)(\S+)$/.exec(part);
    if (!m) return { ok: false, message: `I could not read “${part}”: write \`<task> <percent>\` or \`<task> done\`, ${example}.` };
    const task = taskIds.find((t) => t.toLowerCase() === m[1]!.toLowerCase());
    if (!task) return { ok: false, message: `“${m[1]}” is not one of your tasks (${taskIds.join(', ') || 'you have none open'}).` };
    const value = m[2]!.toLowerCase().replace(/%$/, '');
    const percent = value === 'done' ? 100 : /^\d{1,3}$/.test(value) && Number(value) <= 100 ? Number(value) : null;
    if (percent === null) return { ok: false, message: `“${m[2]}” for ${task} is not a percent from 0 to 100 or \`done\`, ${example}.` };
    if (updates.some((u) => u.task === task)) return { ok: false, message: `${task} is given twice.` };
    updates.push({ task, percent });
  }
  return { ok: true, updates };
}
