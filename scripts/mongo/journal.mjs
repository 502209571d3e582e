// Persistence of the MongoDB stand-in's in-memory storage: a snapshot plus an append-only journal,
// both canonical Extended JSON so every BSON type (dates above all) survives a restart.
//
//   DIR/snapshot.ejson        {gen, databases: {db: {coll: [docs]}}, indexes: {db: {coll: [...]}}}
//   DIR/journal-<gen>.ejsonl  one line per write made since that snapshot
//
// Every write of the storage (insertOne, updateById, deleteById, and the collection and index
// operations) appends its line with one write(2) before the command is answered, so what the
// server acknowledged survives a killed process (not an OS crash: no fsync, like the rest of the
// local stack). When the journal outgrows the snapshot, or on a clean stop, a new snapshot is
// written (tmp file, then rename) under the next generation and the old journal removed; a crash
// at any point leaves a snapshot and the journal of its own generation, or none. This replaced
// rewriting the whole snapshot every second, whose cost grew with the data.
//
//   import { attachJournal } from './journal.mjs';
//   attachJournal(storage, bson, dir);   // before storage.initialize(), which calls restore()
import fs from 'node:fs';
import path from 'node:path';

const kMinCompactBytes = 4 << 20;

// The storage methods that change data: documents are journalled as put/del of the stored
// document, collection and index operations as the call itself.
const kDocWrites = ['insertOne', 'updateById', 'deleteById'];
const kSchemaWrites = [
  'createDatabase', 'dropDatabase', 'createCollection', 'dropCollection', 'renameCollection',
  'saveIndex', 'dropIndex',
];

function idKey(id) {
  return typeof id?.toHexString === 'function' ? id.toHexString() : String(id);
}

// Applies one journal entry {m, a} to the storage through the unwrapped methods `base`.
// insertOne and updateById carry the stored document, so replay files it under its _id.
export async function replay(storage, base, entry) {
  const { m, a } = entry;
  if (m === 'put') {
    const [db, coll, doc] = a;
    storage.ensureCollection(db, coll).set(idKey(doc._id), doc);
  } else if (m === 'del') {
    const [db, coll, id] = a;
    storage.ensureCollection(db, coll).delete(idKey(id));
  } else if (kSchemaWrites.includes(m)) {
    await base[m](...a);
  } else {
    throw new Error(`journal: unknown entry ${m}`);
  }
}

export function attachJournal(storage, bson, dir) {
  const { EJSON } = bson;
  const snapshotFile = path.join(dir, 'snapshot.ejson');
  const journalFile = (gen) => path.join(dir, `journal-${gen}.ejsonl`);
  const st = { gen: 0, fd: -1, journalBytes: 0, snapshotBytes: 0, replaying: false };
  const base = {};
  for (const name of [...kDocWrites, ...kSchemaWrites]) base[name] = storage[name].bind(storage);

  const append = (m, a) => {
    if (st.replaying) return;
    const line = `${EJSON.stringify({ m, a }, { relaxed: false })}\n`;
    st.journalBytes += fs.writeSync(st.fd, line);
    if (st.journalBytes > Math.max(kMinCompactBytes, 2 * st.snapshotBytes)) {
      try {
        compact();
      } catch (e) {
        console.error('congo: compaction failed (the journal goes on):', e);
      }
    }
  };

  storage.insertOne = async (db, coll, doc) => {
    const stored = await base.insertOne(db, coll, doc);
    append('put', [db, coll, stored]);
    return stored;
  };
  storage.updateById = async (db, coll, id, doc) => {
    const ok = await base.updateById(db, coll, id, doc);
    if (ok) append('put', [db, coll, doc]);
    return ok;
  };
  storage.deleteById = async (db, coll, id) => {
    const ok = await base.deleteById(db, coll, id);
    if (ok) append('del', [db, coll, id]);
    return ok;
  };
  for (const name of kSchemaWrites) {
    storage[name] = async (...args) => {
      // The update handler creates its collection on every call: journal only real changes.
      const [db, coll] = args;
      if (name === 'createDatabase' && storage.databases.has(db)) return base[name](...args);
      if (name === 'createCollection' && storage.databases.get(db)?.has(coll)) {
        return base[name](...args);
      }
      const result = await base[name](...args);
      append(name, args);
      return result;
    };
  }

  // Synchronous, so no write lands between the snapshot and the new journal.
  const compact = () => {
    const data = { gen: st.gen + 1, databases: {}, indexes: {} };
    for (const [db, colls] of storage.databases) {
      data.databases[db] = {};
      for (const [coll, docs] of colls) data.databases[db][coll] = Array.from(docs.values());
    }
    for (const [db, colls] of storage.indexes) data.indexes[db] = Object.fromEntries(colls);
    const text = EJSON.stringify(data, { relaxed: false });
    fs.writeFileSync(`${snapshotFile}.tmp`, text);
    fs.renameSync(`${snapshotFile}.tmp`, snapshotFile);
    const old = st.gen;
    st.gen = data.gen;
    st.snapshotBytes = Buffer.byteLength(text);
    if (st.fd >= 0) fs.closeSync(st.fd);
    st.fd = fs.openSync(journalFile(st.gen), 'w');
    st.journalBytes = 0;
    fs.rmSync(journalFile(old), { force: true });
  };
  storage.persistPath = snapshotFile;
  storage.persist = async () => compact();

  storage.restore = async () => {
    fs.mkdirSync(dir, { recursive: true });
    storage.databases.clear();
    storage.indexes.clear();
    if (fs.existsSync(snapshotFile)) {
      const text = fs.readFileSync(snapshotFile, 'utf8');
      const data = EJSON.parse(text, { relaxed: false });
      st.gen = data.gen ?? 0; // snapshots written before the journal have no generation
      st.snapshotBytes = Buffer.byteLength(text);
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
    }
    const file = journalFile(st.gen);
    if (fs.existsSync(file)) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      st.replaying = true;
      try {
        for (let i = 0; i < lines.length; i++) {
          if (lines[i] === '') continue;
          let entry;
          try {
            entry = EJSON.parse(lines[i], { relaxed: false });
          } catch (e) {
            // Only the last line can be cut short (killed mid-write); anything else is damage.
            if (lines.slice(i + 1).some((l) => l !== '')) throw e;
            console.warn(`congo: ignoring a torn last line in ${file}`);
            break;
          }
          await replay(storage, base, entry);
        }
      } finally {
        st.replaying = false;
      }
    }
    // Start from a fresh snapshot: it folds the journal in and opens the next one.
    compact();
  };
}
