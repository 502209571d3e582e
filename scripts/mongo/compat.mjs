// Fixes around CongoServer 2.2.0's in-memory storage, so the services meet mongod's behaviour
// locally, or fail loudly where the stand-in cannot follow:
//  - only ObjectId `_id`s are accepted: CongoServer keys documents by ObjectId, rejects other
//    strings with an obscure BSON error and silently turns an integer or 24-hex-string `_id` into a
//    different ObjectId (which then matches no query); the stand-in refuses them with code 2;
//  - unique secondary indexes are enforced (CongoServer stores `unique: true` but never checks it),
//    through indexes.mjs's equality lookups when the index's first field holds a string;
//  - an OP_MSG with the moreToCome flag (an unacknowledged, w:0 write) gets no reply, as mongod
//    does; CongoServer answered it, and the unexpected reply broke the driver's next command;
//  - TTL indexes (`expireAfterSeconds` on a date field) are swept periodically, like mongod's TTL
//    monitor (every 60 s by default, MADE0_MONGO_TTL_SWEEP_MS to change it). Code must not rely on
//    the exact moment a document disappears, here or in production.
//
//   import { rejectNonObjectIds, enforceUniqueIndexes, startTtlSweeper } from './compat.mjs';
//   rejectNonObjectIds(server.getStorage(), bson);
//   enforceUniqueIndexes(server.getStorage(), bson, equalityIndexes);  // the last is optional
//   const timer = startTtlSweeper(server.getStorage(), 60000);
//   honorMoreToCome(server, WireProtocol);
//
import { getPath } from './indexes.mjs';

// Both read the MemoryStorageAdapter's maps (databases: db -> coll -> idHex -> doc; indexes: db ->
// coll -> [{name, key, unique, sparse, expireAfterSeconds}]), pinned by install.sh's version.

function idHex(id) {
  return typeof id?.toHexString === 'function' ? id.toHexString() : String(id);
}

function duplicateKeyError(db, coll, index, keyValue) {
  // "Duplicate key" in the message makes CongoServer's insert handler report code 11000 too.
  const err = new Error(
    `E11000 Duplicate key error collection: ${db}.${coll} index: ${index.name} dup key: ${keyValue}`);
  err.code = 11000;
  return err;
}

export function rejectNonObjectIds(storage, bson) {
  const insertOne = storage.insertOne.bind(storage);
  storage.insertOne = async (db, coll, doc) => {
    if (doc._id !== undefined && !(doc._id instanceof bson.ObjectId)) {
      const err = new Error(`the local MongoDB stand-in supports only ObjectId _id values, got ` +
        `${bson.EJSON.stringify(doc._id)}: store the value in another field with a unique index`);
      err.code = 2;
      throw err;
    }
    return insertOne(db, coll, doc);
  };
}

export function enforceUniqueIndexes(storage, bson, equalityIndexes = null) {
  const keyOf = (doc, index) => {
    const fields = Object.keys(index.key);
    const values = fields.map((f) => getPath(doc, f));
    // Like mongod: a sparse index ignores documents without any of its fields; a non-sparse one
    // indexes a missing field as null, so two such documents collide.
    if (index.sparse && values.every((v) => v === undefined)) return null;
    return bson.EJSON.stringify(values.map((v) => (v === undefined ? null : v)), { relaxed: true });
  };

  const check = (db, coll, doc, selfHex) => {
    const indexes = storage.indexes.get(db)?.get(coll) ?? [];
    const docs = storage.databases.get(db)?.get(coll);
    if (!docs) return;
    for (const index of indexes) {
      if (!index.unique || index.name === '_id_') continue;
      const key = keyOf(doc, index);
      if (key === null) continue;
      // Only documents sharing the first field's value can collide; the lookup knows them when
      // that value is a string, otherwise every document is compared.
      const first = Object.keys(index.key)[0];
      const others = equalityIndexes?.withValue(db, coll, first, getPath(doc, first)) ?? docs.values();
      for (const other of others) {
        if (idHex(other._id) !== selfHex && keyOf(other, index) === key) {
          throw duplicateKeyError(db, coll, index, key);
        }
      }
    }
  };

  const insertOne = storage.insertOne.bind(storage);
  storage.insertOne = async (db, coll, doc) => {
    check(db, coll, doc, doc._id === undefined ? undefined : idHex(doc._id));
    return insertOne(db, coll, doc);
  };
  const updateById = storage.updateById.bind(storage);
  storage.updateById = async (db, coll, id, doc) => {
    check(db, coll, doc, idHex(id));
    return updateById(db, coll, id, doc);
  };
}

// Deletes documents whose TTL-indexed date (or earliest date, for an array) is older than
// expireAfterSeconds. Returns the interval timer.
export function startTtlSweeper(storage, periodMs) {
  const sweep = async () => {
    const now = Date.now();
    for (const [db, colls] of storage.indexes) {
      for (const [coll, indexes] of colls) {
        const docs = storage.databases.get(db)?.get(coll);
        if (!docs) continue;
        for (const index of indexes) {
          const fields = Object.keys(index.key ?? {});
          // A restored index spec holds an Int32 object rather than a number.
          const ttl = index.expireAfterSeconds == null ? NaN : Number(index.expireAfterSeconds);
          if (!Number.isFinite(ttl) || fields.length !== 1) continue;
          const expired = [];
          for (const doc of docs.values()) {
            const v = getPath(doc, fields[0]);
            const dates = (Array.isArray(v) ? v : [v]).filter((d) => d instanceof Date);
            if (dates.length === 0) continue;
            const earliest = Math.min(...dates.map((d) => d.getTime()));
            if (earliest + ttl * 1000 <= now) expired.push(doc._id);
          }
          if (expired.length > 0) await storage.deleteByIds(db, coll, expired);
        }
      }
    }
  };
  return setInterval(() => sweep().catch((e) => console.error('congo: TTL sweep failed:', e)),
    periodMs);
}

// libmongoc (1.18 and later) monitors a server with "awaitable hello" whenever its replies carry
// a topologyVersion: it expects the server to hold each reply for up to maxAwaitTimeMS. CongoServer
// sends a topologyVersion (with a new processId every time) but answers at once, so the driver's
// monitor spun in a tight loop, costing about half a core both here and in the client even when
// idle. Without topologyVersion, drivers poll every heartbeatFrequencyMS (10 s) instead, as they
// do with servers that predate streaming monitoring.
export function disableAwaitableHello(HelloHandler) {
  const original = HelloHandler.prototype.handle;
  HelloHandler.prototype.handle = async function handle(context) {
    const response = await original.call(this, context);
    delete response.topologyVersion;
    return response;
  };
}

// OP_MSG flagBits bit 1: the sender expects no reply (MongoDB wire protocol, OP_MSG).
const kMoreToCome = 1 << 1;
const kNoReply = Symbol('no reply');

// honorMoreToCome marks each parsed OP_MSG that carries moreToCome, runs it as usual and encodes
// its reply as nothing, so CongoServer's connection loop writes zero bytes.
export function honorMoreToCome(server, WireProtocol) {
  const parseOpMsg = WireProtocol.parseOpMsg.bind(WireProtocol);
  WireProtocol.parseOpMsg = (buffer, header) => {
    const result = parseOpMsg(buffer, header);
    if (result?.command && (buffer.readUInt32LE(16) & kMoreToCome) !== 0) {
      result.command.moreToCome = true;
    }
    return result;
  };
  const route = server.commandRouter.route.bind(server.commandRouter);
  server.commandRouter.route = async (command) => {
    const response = await route(command);
    return command.moreToCome ? kNoReply : response;
  };
  const encode = WireProtocol.encodeOpMsgResponse.bind(WireProtocol);
  WireProtocol.encodeOpMsgResponse = (requestID, response) =>
    response === kNoReply ? Buffer.alloc(0) : encode(requestID, response);
}
