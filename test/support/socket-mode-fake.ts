import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A minimal Socket Mode endpoint for tests: accepts a WebSocket upgrade (RFC 6455 handshake), sends Slack's
 * `{"type":"hello"}` (docs.slack.dev/apis/events-api/using-socket-mode: the client is connected once it gets it),
 * answers pings with pongs, and can drop every connection. Point the fake Web API's `apps.connections.open` at
 * `url`. Only what @slack/socket-mode's client needs; text frames from the client are ignored.
 */
export class SocketModeFake {
  private server: Server;
  private sockets = new Set<Duplex>();
  /** When false, new connections get no `hello` (the client stays "connecting"). */
  sayHello = true;
  connections = 0;
  url = '';

  constructor() {
    this.server = createServer((_req, res) => res.writeHead(426).end());
    this.server.on('upgrade', (req, socket) => {
      const key = String(req.headers['sec-websocket-key'] ?? '');
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => this.sockets.delete(socket));
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          const frame = readFrame(buffered);
          if (!frame) break;
          buffered = buffered.subarray(frame.length);
          if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload));
          if (frame.opcode === 0x8) socket.end(encodeFrame(0x8, Buffer.alloc(0)));
        }
      });
      if (this.sayHello) socket.write(encodeFrame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKE' } }))));
    });
  }

  /** Listens on 127.0.0.1 (random port); `url` becomes e.g. ws://127.0.0.1:40123/link */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link`;
    return this;
  }

  /** Drops every open WebSocket at the TCP level (as a network failure would). */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** One server-to-client frame (FIN set, unmasked), RFC 6455 §5.2. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]);
  return Buffer.concat([head, payload]);
}

/** The first complete client frame in `buf` (masked, as clients must send them), or undefined if incomplete. */
function readFrame(buf: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskLen = masked ? 4 : 0;
  if (buf.length < offset + maskLen + len) return undefined;
  const mask = buf.subarray(offset, offset + maskLen);
  const payload = Buffer.from(buf.subarray(offset + maskLen, offset + maskLen + len));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
  return { opcode, payload, length: offset + maskLen + len };
}
