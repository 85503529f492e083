/*
 * What the tracker stand-in's faces (jira.ts, linear.ts, github.ts) take and give: a parsed request and a reply the
 * server (server.ts) writes. Kept apart so the faces never import the server.
 */

/** A request as a face sees it: method, the URL (path and query), lower-cased headers and the parsed JSON body. */
export interface StandInRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A reply: status, JSON body (none for 204), extra headers. */
export interface StandInReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A webhook delivery a face builds for a change: the JSON text (signed as is) and the tracker's headers. */
export interface WebhookDelivery {
  rawBody: string;
  headers: Record<string, string>;
}

/** `{ status, body }`. */
export const json = (status: number, body: unknown, headers?: Record<string, string>): StandInReply => ({ status, body, ...(headers ? { headers } : {}) });
