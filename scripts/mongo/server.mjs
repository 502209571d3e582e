// MongoDB-wire stand-in for the local stack: runs the CongoServer of @push.rocks/smartmongo 2.2.0
// (installed by install.sh) on loopback. Started and stopped by scripts/stack.sh.
//
//   node scripts/mongo/server.mjs --port 27017 [--host 127.0.0.1] [--data DIR] [--tools DIR]
//
// compat.mjs adds unique indexes and TTL expiry (CongoServer 2.2.0 has neither) and rejects
// non-ObjectId _ids, which CongoServer mangles.
// With --data, the data survive a restart: DIR/snapshot.ejson is loaded at start and rewritten
// (atomically) within a second of a change and on SIGTERM/SIGINT. A SIGKILL loses the last second.
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
  rejectNonObjectIds,
  startTtlSweeper,
} from './compat.mjs';

const kFlushIntervalMs = 1000;
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

// Keys the adapter's maps the same way MemoryStorageAdapter.insertOne does.
function idKey(id) {
  return typeof id?.toHexString === 'function' ? id.toHexString() : String(id);
}

// Replaces the memory adapter's persist/restore (called by its initialize() and close()) with
// Extended JSON snapshots, and marks the store dirty on every mutating call.
function attachSnapshots(storage, bson, file) {
  const { EJSON } = bson;
  const state = { dirty: false };
  const mutators = [
    'createDatabase', 'dropDatabase', 'createCollection', 'dropCollection', 'renameCollection',
    'insertOne', 'insertMany', 'updateById', 'deleteById', 'deleteByIds', 'saveIndex', 'dropIndex',
  ];
  for (const name of mutators) {
    const original = storage[name].bind(storage);
    storage[name] = async (...args) => {
      try {
        return await original(...args);
      } finally {
        state.dirty = true; // after the change, so a snapshot taken meanwhile cannot miss it
      }
    };
  }

  storage.persistPath = file;
  storage.persist = async () => {
    state.dirty = false;
    const data = { databases: {}, indexes: {} };
    for (const [db, colls] of storage.databases) {
      data.databases[db] = {};
      for (const [coll, docs] of colls) data.databases[db][coll] = Array.from(docs.values());
    }
    for (const [db, colls] of storage.indexes) {
      data.indexes[db] = Object.fromEntries(colls);
    }
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, EJSON.stringify(data, { relaxed: false }));
    fs.renameSync(tmp, file);
  };
  storage.restore = async () => {
    if (!fs.existsSync(file)) return;
    const data = EJSON.parse(fs.readFileSync(file, 'utf8'), { relaxed: false });
    storage.databases.clear();
    storage.indexes.clear();
    for (const [db, colls] of Object.entries(data.databases ?? {})) {
      const dbMap = new Map();
      for (const [coll, docs] of Object.entries(colls)) {
        dbMap.set(coll, new Map(docs.map((d) => [idKey(d._id), d])));
      }
      storage.databases.set(db, dbMap);
    }
    for (const [db, colls] of Object.entries(data.indexes ?? {})) {
      storage.indexes.set(db, new Map(Object.entries(colls)));
    }
  };
  return state;
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
  disableAwaitableHello(hello.HelloHandler);
  const server = new congo.CongoServer({ host: opts.host, port: opts.port, storage: 'memory' });
  rejectNonObjectIds(server.getStorage(), congo.plugins.bson);
  enforceUniqueIndexes(server.getStorage(), congo.plugins.bson);

  let snapshots = null;
  if (opts.data) {
    fs.mkdirSync(opts.data, { recursive: true });
    const file = path.join(path.resolve(opts.data), 'snapshot.ejson');
    snapshots = attachSnapshots(server.getStorage(), congo.plugins.bson, file);
  }

  await server.start();
  console.log(`congo: listening on ${opts.host}:${opts.port}, ` +
    (opts.data ? `snapshots in ${path.resolve(opts.data)}` : 'in memory only'));

  const ttlTimer = startTtlSweeper(server.getStorage(), kTtlSweepMs);
  const timer = snapshots && setInterval(() => {
    if (!snapshots.dirty) return;
    server.getStorage().persist().catch((e) => console.error('congo: snapshot failed:', e));
  }, kFlushIntervalMs);

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`congo: ${signal}, stopping`);
    clearInterval(ttlTimer);
    if (timer) clearInterval(timer);
    try {
      await server.stop(); // closes clients, then storage.close() writes the last snapshot
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
