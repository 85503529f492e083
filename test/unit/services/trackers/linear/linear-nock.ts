import nock from 'nock';

/** One GraphQL request the fake Linear received. */
export interface LinearCall {
  authorization: string | null;
  operation: string;
  query: string;
  variables: Record<string, unknown>;
}

export type LinearReply = [status: number, body: unknown, headers?: Record<string, string>];

/**
 * Fakes https://api.linear.app/graphql with nock (net connect disabled): every POST is recorded in `calls` (the
 * Authorization header, the operation name, the variables) and answered by `answer`.
 */
export function nockLinear(answer: (call: LinearCall, index: number) => LinearReply | Promise<LinearReply>, host = 'https://api.linear.app') {
  nock.disableNetConnect();
  const calls: LinearCall[] = [];
  const scope = nock(host)
    .persist()
    .post('/graphql')
    .reply(async (req: Request) => {
      const body = (await req.json()) as { query: string; variables?: Record<string, unknown> };
      const call: LinearCall = {
        authorization: req.headers.get('authorization'),
        operation: /^(?:query|mutation)\s+(\w+)/.exec(body.query.trim())?.[1] ?? '(anonymous)',
        query: body.query,
        variables: body.variables ?? {},
      };
      calls.push(call);
      const [status, json, headers] = await answer(call, calls.length - 1);
      return [status, typeof json === 'string' ? json : JSON.stringify(json), { 'content-type': typeof json === 'string' ? 'text/html' : 'application/json; charset=utf-8', ...headers }];
    });
  return { calls, scope };
}
