import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** A GET route on the bot's HTTP server, matched on the path alone (the query string is the handler's). */
export interface GetRoute {
  path: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * The small HTTP server of Socket Mode (where Bolt serves no HTTP): `GET` on a route's exact path goes to its
 * handler, anything else is 404 with an empty body. In HTTP mode the same routes are Bolt's `customRoutes`.
 */
export function routesServer(routes: GetRoute[]): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = req.method === 'GET' ? routes.find((r) => r.path === path) : undefined;
    if (route) route.handler(req, res);
    else res.writeHead(404).end();
  });
}
