// MongoDB-wire stand-in for the local stack: runs the CongoServer of @push.rocks/smartmongo 2.2.0
// (installed by install.sh) on loopback. Started and stopped by scripts/stack.sh.
//
//   node scripts/mongo/server.mjs --port 27017 [--host 127.0.0.1] [--data DIR] [--tools DIR]
//
// compat.mjs adds unique indexes and TTL expiry (CongoServer 2.2.0 has neither), rejects
// non-ObjectId _ids, which CongoServer mangles, and leaves unacknowledged writes unanswered. indexes.mjs answers equality filters without
// reading every document.
// With --data, the data survive a restart: journal.mjs appends every write to DIR before the
// command is answered and folds it into DIR/snapshot.ejson now and then and on SIGTERM/SIGINT. A
// SIGKILL loses nothing that was acknowledged.
//
// Why not CongoServer's own persistence: both its 'file' storage and the memory storage's
// persistPath go through JSON.stringify/JSON.parse, which turns BSON dates into strings after a
// restart (so `expires_at: {$gt: now}` stops matching), and 'file' storage does an unlocked
// read-modify-write of a whole JSON file per operation, which loses writes under concurrency.
// So the in-memory storage runs as usual and only its persist/restore hooks are replaced by
// canonical Extended JSON, which keeps every BSON type.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  disableAwaitableHello,
  enforceUniqueIndexes,
  honorMoreToCome,
  rejectNonObjectIds,
  startTtlSweeper,
} from './compat.mjs';
import { EqualityIndexes, attachIndexes } from './indexes.mjs';
import { attachJournal } from './journal.mjs';

const kTtlSweepMs = Number(process.env.MADE0_MONGO_TTL_SWEEP_MS) || 60000; // mongod's default

function parseArgs(argv) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const opts = {
    host: '127.0.0.1',
    port: 0,
    data: '',
    tools: process.env.MADE0_TOOLS_DIR || path.resolve(here, '../../.tools/mongo'),
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts) || argv[i + 1] === undefined) {
      throw new Error(`usage: server.mjs --port N [--host H] [--data DIR] [--tools DIR] (bad ${argv[i]})`);
    }
    opts[key] = argv[i + 1];
  }
  opts.port = Number(opts.port);
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535) {
    throw new Error('server.mjs: --port must be a TCP port');
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const entry = path.join(opts.tools, 'smartmongo/congodb/index.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`${entry} missing: run scripts/mongo/install.sh`);
  }
  const congo = await import(pathToFileURL(entry).href);
  const hello = await import(
    pathToFileURL(path.join(opts.tools, 'smartmongo/congodb/server/handlers/HelloHandler.js')).href
  );
  const router = await import(
    pathToFileURL(path.join(opts.tools, 'smartmongo/congodb/server/CommandRouter.js')).href
  );
  disableAwaitableHello(hello.HelloHandler);
  const server = new congo.CongoServer({ host: opts.host, port: opts.port, storage: 'memory' });
  const storage = server.getStorage();
  const indexes = new EqualityIndexes(storage);
  rejectNonObjectIds(storage, congo.plugins.bson);
  enforceUniqueIndexes(storage, congo.plugins.bson, indexes);
  // The journal records a write once it passed the checks above; the indexes learn of it last.
  if (opts.data) attachJournal(storage, congo.plugins.bson, path.resolve(opts.data));
  attachIndexes(storage, router.CommandRouter, indexes);
  honorMoreToCome(server, congo.WireProtocol);

  await server.start();
  console.log(`congo: listening on ${opts.host}:${opts.port}, ` +
    (opts.data ? `journal and snapshot in ${path.resolve(opts.data)}` : 'in memory only'));

  const ttlTimer = startTtlSweeper(storage, kTtlSweepMs);

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`congo: ${signal}, stopping`);
    clearInterval(ttlTimer);
    try {
      await server.stop(); // closes clients, then storage.close() writes a snapshot
      process.exit(0);
    } catch (e) {
      console.error('congo: stop failed:', e);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(`congo: ${e.stack || e}`);
  process.exit(1);
});
