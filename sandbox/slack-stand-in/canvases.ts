/**
 * The minimum of Slack's canvases the retrospective needs (issue 23, src/services/retro/publish.ts), as Slack
 * documents them (docs.slack.dev/reference/methods/canvases.create, canvases.edit, canvases.access.set): a
 * standalone canvas holds Markdown, an edit `replace` without a section replaces the whole document, access.set
 * shares it with channels. Unknown canvases answer `canvas_not_found`. The board's channel canvases
 * (`conversations.canvases.create`, section edits) are not here.
 */
export interface StoredCanvas {
  id: string;
  title: string;
  markdown: string;
  /** Channels it is shared with (canvases.access.set), and at which level. */
  channels: Map<string, string>;
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export class CanvasStore {
  readonly canvases = new Map<string, StoredCanvas>();

  /** The answer to a canvases.* method, or null for any other method. */
  answer(method: string, args: Record<string, unknown>): Record<string, unknown> | null {
    if (method === 'canvases.create') {
      const doc = json(args.document_content) as { type?: string; markdown?: string } | undefined;
      if (doc && doc.type !== 'markdown') return { ok: false, error: 'invalid_arguments' };
      const id = `F0CANVAS${String(this.canvases.size + 1).padStart(4, '0')}`;
      this.canvases.set(id, { id, title: String(args.title ?? 'Untitled'), markdown: doc?.markdown ?? '', channels: new Map() });
      return { ok: true, canvas_id: id };
    }
    if (method === 'canvases.edit') {
      const canvas = this.canvases.get(String(args.canvas_id));
      if (!canvas) return { ok: false, error: 'canvas_not_found' };
      for (const change of (json(args.changes) ?? []) as { operation: string; section_id?: string; document_content?: { markdown?: string } }[]) {
        if (change.operation !== 'replace' || change.section_id) return { ok: false, error: 'invalid_arguments' };
        canvas.markdown = change.document_content?.markdown ?? '';
      }
      return { ok: true };
    }
    if (method === 'canvases.access.set') {
      const canvas = this.canvases.get(String(args.canvas_id));
      if (!canvas) return { ok: false, error: 'canvas_not_found' };
      for (const channel of (json(args.channel_ids) ?? []) as string[]) canvas.channels.set(channel, String(args.access_level));
      return { ok: true };
    }
    return null;
  }
}
