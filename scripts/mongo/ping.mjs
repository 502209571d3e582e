// Readiness probe for the MongoDB-wire stand-in: sends {ping: 1} as an OP_MSG and exits 0 when the
// reply says ok: 1. Used by scripts/stack.sh, which has no mongo shell to ask.
//
//   node scripts/mongo/ping.mjs PORT [TOOLS_DIR]
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const kOpMsg = 2013;
const port = Number(process.argv[2]);
const here = path.dirname(fileURLToPath(import.meta.url));
const tools = process.argv[3] || process.env.MADE0_TOOLS_DIR || path.resolve(here, '../../.tools/mongo');
const bson = createRequire(path.join(tools, 'package.json'))('bson');

const body = bson.serialize({ ping: 1, $db: 'admin' });
const header = Buffer.alloc(21); // 16-byte header, 4-byte flagBits, 1-byte section kind 0
header.writeInt32LE(21 + body.length, 0);
header.writeInt32LE(1, 4);
header.writeInt32LE(kOpMsg, 12);

const socket = net.connect({ host: '127.0.0.1', port });
socket.setTimeout(2000, () => fail('timeout'));
socket.on('error', (e) => fail(e.message));
socket.on('connect', () => socket.write(Buffer.concat([header, body])));
let buf = Buffer.alloc(0);
socket.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  if (buf.length < 4 || buf.length < buf.readInt32LE(0)) return;
  const reply = bson.deserialize(buf.subarray(21, buf.readInt32LE(0)));
  socket.destroy();
  if (reply.ok === 1) process.exit(0);
  fail(JSON.stringify(reply));
});

function fail(why) {
  console.error(`mongo ping on 127.0.0.1:${port} failed: ${why}`);
  process.exit(1);
}
